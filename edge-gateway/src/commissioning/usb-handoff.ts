// `noodsteun firmware flash` with the gateway service stopped: before the espruino CLI opens the board's USB
// port, open it ourselves, learn the node's id from its first frame (a node drops commands addressed to
// another id), send `{op:'console'}` and wait briefly for the result, so the CLI finds Espruino's REPL there.
// Whatever happens the upload is tried afterwards: a board without our firmware has its REPL on the UART already.
import { SerialNodeLink } from '../links/serial/index.js';
import type { PortFactory } from '../links/serial/index.js';
import type { Logger } from '../log/logger.js';
import { errorMessage, silentLogger } from '../log/logger.js';
import type { DownlinkMessage } from '../protocol/index.js';
import { CONSOLE_SETTLE_MS, timeout } from './flash.js';

export interface UsbHandoffOptions {
  path: string;
  baudRate?: number;
  /** How long to listen for the node's first frame (its heartbeat comes every 30 s). */
  listenMs?: number;
  /** How long to wait for the command's result. */
  answerMs?: number;
  createPort?: PortFactory;
  log?: Logger;
}

export type UsbHandoffOutcome =
  /** The node answered ok and moved its REPL onto the UART. */
  | 'handed-over'
  /** Firmware older than the console command. */
  | 'unsupported'
  /** The node answered with another error. */
  | 'refused'
  /** A node was heard but did not answer the command. */
  | 'no-answer'
  /** No valid frame within listenMs: no node firmware running (a blank board, or the REPL is on the UART). */
  | 'silent'
  /** The port could not be opened (the gateway service still holding it, or no such device). */
  | 'no-port';

export interface UsbHandoffResult {
  outcome: UsbHandoffOutcome;
  node: string | null;
  detail: string;
}

export const DEFAULT_LISTEN_MS = 35_000;
export const DEFAULT_ANSWER_MS = 3_000;

export async function usbConsoleHandoff(o: UsbHandoffOptions): Promise<UsbHandoffResult> {
  const log = o.log ?? silentLogger;
  const link = new SerialNodeLink({ path: o.path, ...(o.baudRate ? { baudRate: o.baudRate } : {}), ...(o.createPort ? { createPort: o.createPort } : {}), log, name: `handoff:${o.path}` });
  let down = '';
  const offStatus = link.on('status', ({ up, detail }) => {
    if (!up) down = detail ?? 'closed';
  });
  let heard: (node: string) => void = () => undefined;
  const firstFrom = new Promise<string>((resolve) => (heard = resolve));
  let answered: (r: { ok: boolean; error?: string }) => void = () => undefined;
  const answer = new Promise<{ ok: boolean; error?: string }>((resolve) => (answered = resolve));
  const seq = 1;
  const offMsg = link.on('message', ({ msg }) => {
    heard(msg.node);
    if (msg.type === 'result' && msg.body.cmd === seq) answered({ ok: msg.body.ok, ...(msg.body.error ? { error: msg.body.error } : {}) });
  });
  try {
    await link.start();
    if (!link.stats.up) return { outcome: 'no-port', node: null, detail: `cannot open ${o.path}: ${down || 'not opened'}` };
    const listenMs = o.listenMs ?? DEFAULT_LISTEN_MS;
    const node = await timeout(firstFrom, listenMs);
    if (node === null) return { outcome: 'silent', node: null, detail: `no frame from the board within ${Math.round(listenMs / 1000)} s: no node firmware running on it (or its REPL is on the UART already)` };
    // The boot id only has to be a valid number: the firmware answers commands by seq and ignores the boot.
    const cmd: DownlinkMessage = { v: 1, node, boot: Math.floor(Date.now() / 1000), seq, ts: Date.now(), type: 'cmd', body: { op: 'console' } };
    link.send(cmd);
    const r = await timeout(answer, o.answerMs ?? DEFAULT_ANSWER_MS);
    if (r === null) return { outcome: 'no-answer', node, detail: `${node} did not answer the console command within ${Math.round((o.answerMs ?? DEFAULT_ANSWER_MS) / 1000)} s` };
    if (r.ok) {
      // Close only after the node moved its console (it does so shortly after answering).
      await new Promise((resolve) => setTimeout(resolve, CONSOLE_SETTLE_MS));
      return { outcome: 'handed-over', node, detail: `${node} handed its USB UART to the REPL` };
    }
    if (r.error !== undefined && /^unsupported op/.test(r.error)) return { outcome: 'unsupported', node, detail: `${node} runs firmware without the console command (${r.error})` };
    return { outcome: 'refused', node, detail: `${node} refused the console command: ${r.error ?? 'no reason given'}` };
  } catch (err) {
    return { outcome: 'no-port', node: null, detail: `cannot use ${o.path}: ${errorMessage(err)}` };
  } finally {
    offMsg();
    offStatus();
    await link.stop();
  }
}
