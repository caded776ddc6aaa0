// The simulated boards' programming interface. A real upload runs the espruino CLI against the board's REPL,
// but our firmware moves the REPL off the USB UART at boot (E.setConsole(LoopbackA, {force: true}), see
// firmware/src/platform/board.ts), so an emulated board cannot honestly answer the CLI on its data line.
// Instead each simulated serial board listens on a Unix socket next to the gateway end of its pty
// (`<tty>.prog`); an upload sends the bundle's kind, the board loads firmware/dist/<kind>.js and reboots,
// as after a real upload. The gateway's wizard uses it when the socket is there, the espruino CLI otherwise.
import { existsSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server } from 'node:net';
import { espruinoFlasher, type FirmwareFlasher } from '../../commissioning/flash.js';
import type { Logger } from '../../log/logger.js';
import { errorMessage, silentLogger } from '../../log/logger.js';
import { SIM_NODE_KINDS, type SimNodeKind } from '../nodes/app.js';
import { readFirmwareBundle } from './bundles.js';
import type { FirmwareSimNode } from './firmware-node.js';

/** Socket path of the simulated board behind a gateway-side serial path. */
export function programmerSocket(gatewayPath: string): string {
  return `${gatewayPath}.prog`;
}

export class ProgrammerError extends Error {
  override name = 'ProgrammerError';
}

interface Reply {
  ok: boolean;
  output: string;
}

/** Simulator side: serves uploads for one board until closed. */
export async function startBoardProgrammer(node: FirmwareSimNode, gatewayPath: string, opts: { dist?: string; log?: Logger } = {}): Promise<{ path: string; close(): Promise<void> }> {
  const log = opts.log ?? silentLogger;
  const path = programmerSocket(gatewayPath);
  rmSync(path, { force: true });
  const server: Server = createServer((sock) => {
    let buf = '';
    sock.setEncoding('utf8');
    sock.on('error', () => undefined);
    sock.on('data', (d: string) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl < 0) return;
      const reply = upload(buf.slice(0, nl));
      sock.end(JSON.stringify(reply) + '\n');
    });
  });
  const upload = (line: string): Reply => {
    try {
      const req = JSON.parse(line) as { kind?: unknown };
      const kind = req.kind;
      if (typeof kind !== 'string' || !(SIM_NODE_KINDS as readonly string[]).includes(kind)) throw new ProgrammerError(`unknown node kind ${JSON.stringify(kind)}`);
      const code = readFirmwareBundle(kind as SimNodeKind, opts.dist);
      node.reflash(code);
      log.info('board flashed', { node: node.id, kind, fw: node.firmware ?? 'unknown', bytes: code.length });
      return { ok: true, output: `Uploading ${code.length} bytes to .bootcde (simulated board ${node.id})\nfirmware ${node.firmware ?? 'unknown'} loaded, board reset\nUpload Complete` };
    } catch (err) {
      return { ok: false, output: `upload refused: ${errorMessage(err)}` };
    }
  };
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  return {
    path,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        rmSync(path, { force: true });
      }),
  };
}

/** Gateway side: uploads through a simulated board's programmer socket. */
export function simProgrammerFlasher(timeoutMs = 30_000): FirmwareFlasher {
  return {
    flash: ({ kind, port }) =>
      new Promise((resolve, reject) => {
        const sock = createConnection(programmerSocket(port));
        let buf = '';
        const timer = setTimeout(() => sock.destroy(new ProgrammerError(`no answer from the simulated board's programmer within ${timeoutMs} ms`)), timeoutMs);
        sock.setEncoding('utf8');
        sock.on('connect', () => sock.write(JSON.stringify({ kind }) + '\n'));
        sock.on('data', (d: string) => (buf += d));
        sock.on('error', (err) => (clearTimeout(timer), reject(new ProgrammerError(`simulated board programmer: ${err.message}`, { cause: err }))));
        sock.on('end', () => {
          clearTimeout(timer);
          try {
            const r = JSON.parse(buf) as Reply;
            if (r.ok) resolve({ output: r.output });
            else reject(Object.assign(new ProgrammerError(r.output), { output: r.output }));
          } catch (err) {
            reject(new ProgrammerError(`bad answer from the simulated board's programmer: ${JSON.stringify(buf.slice(0, 200))}`, { cause: err }));
          }
        });
      }),
  };
}

/**
 * The wizard's flasher: the simulated board's programmer where one listens next to the port (only the
 * simulator makes these sockets), the espruino CLI on real hardware.
 */
export function wizardFlasher(): FirmwareFlasher {
  const cli = espruinoFlasher();
  const sim = simProgrammerFlasher();
  return { flash: (req) => (existsSync(programmerSocket(req.port)) ? sim.flash(req) : cli.flash(req)) };
}
