// SerialNodeLink on a real pseudo-terminal pair made by socat, through serialport's native binding:
// the link opens one end, the "node" writes to the other. Killing socat is an unplug.
import { describe, it, expect, afterEach, beforeEach } from 'vitest';
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { SerialPort } from 'serialport';
import { SerialNodeLink } from '../../../src/links/serial/index.js';
import type { Message } from '../../../src/protocol/index.js';
import { FrameParser, decodeMessage, encodeFrame, encodeMessage } from '../../../src/protocol/index.js';
import { memoryLogger } from '../../../src/log/logger.js';
import { EXAMPLES } from '../../protocol/examples.js';
import { recordEvents, sleep, waitFor } from './helpers.js';
import { skipWithout } from '../../support/externals.js';

const HAVE_SOCAT = !skipWithout('socat', 'serial pty integration tests');

/** A socat process joining two pty ends, reachable through stable symlinks a and b in dir. */
class PtyPair {
  private constructor(
    private readonly proc: ChildProcess,
    private readonly stderr: string[],
  ) {}

  static async start(dir: string): Promise<PtyPair> {
    const a = join(dir, 'a');
    const b = join(dir, 'b');
    rmSync(a, { force: true });
    rmSync(b, { force: true });
    const proc = spawn('socat', ['-d', '-d', `pty,raw,echo=0,link=${a}`, `pty,raw,echo=0,link=${b}`], { stdio: ['ignore', 'ignore', 'pipe'] });
    const stderr: string[] = [];
    proc.stderr?.on('data', (c: Buffer) => stderr.push(c.toString()));
    const pair = new PtyPair(proc, stderr);
    try {
      await waitFor(() => {
        if (proc.exitCode !== null) throw new Error(`socat exited with ${proc.exitCode}: ${stderr.join('')}`);
        return existsSync(a) && existsSync(b);
      }, 'socat to create both pty links');
    } catch (err) {
      await pair.stop();
      throw err;
    }
    return pair;
  }

  get running(): boolean {
    return this.proc.exitCode === null && this.proc.signalCode === null;
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    const exited = new Promise<void>((resolve) => this.proc.once('exit', () => resolve()));
    this.proc.kill('SIGTERM');
    const timer = setTimeout(() => this.proc.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  }
}

/** The node's end of the wire: a second SerialPort on the other pty. */
class FakeNode {
  readonly received: Buffer[] = [];
  private constructor(private readonly port: SerialPort) {
    port.on('data', (c: Buffer) => this.received.push(c));
    port.on('error', () => {});
  }

  static async open(path: string): Promise<FakeNode> {
    const port = new SerialPort({ path, baudRate: 115_200, autoOpen: false });
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    return new FakeNode(port);
  }

  write(data: string): Promise<void> {
    return new Promise((resolve, reject) => {
      this.port.write(data);
      this.port.drain((err) => (err ? reject(err) : resolve()));
    });
  }

  frames(): Message[] {
    return new FrameParser().push(Buffer.concat(this.received)).map(decodeMessage);
  }

  close(): Promise<void> {
    if (!this.port.isOpen) return Promise.resolve();
    return new Promise((resolve) => this.port.close(() => resolve()));
  }
}

const frameOf = (m: Message): string => encodeFrame(encodeMessage(m));

describe.skipIf(!HAVE_SOCAT)('SerialNodeLink over a socat pty pair', () => {
  let dir: string;
  const cleanup: Array<() => Promise<void>> = [];

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'noodsteun-pty-'));
  });

  afterEach(async () => {
    for (const fn of cleanup.splice(0).reverse()) await fn();
    rmSync(dir, { recursive: true, force: true });
  });

  async function pair(): Promise<PtyPair> {
    const p = await PtyPair.start(dir);
    cleanup.push(() => p.stop());
    return p;
  }

  async function node(): Promise<FakeNode> {
    const n = await FakeNode.open(join(dir, 'b'));
    cleanup.push(() => n.close());
    return n;
  }

  function link(): SerialNodeLink {
    const l = new SerialNodeLink({ path: join(dir, 'a'), log: memoryLogger('gw:serial'), backoff: { initialMs: 50, maxMs: 200 } });
    cleanup.push(() => l.stop());
    return l;
  }

  it('carries frames both ways, survives socat dying and reconnects when it is back', async () => {
    const socat = await pair();
    const l = link();
    const ev = recordEvents(l);
    await l.start();
    expect(ev.status).toEqual([{ link: l.name, up: true }]);

    let dev = await node();
    await dev.write(`\r\x1b[J>=undefined\r\n${frameOf(EXAMPLES.fuel)}Uncaught Error: oops\r\n>${frameOf(EXAMPLES.hb)}`);
    await waitFor(() => ev.message.length === 2, 'two messages over the pty');
    expect(ev.message.map((e) => e.msg)).toEqual([EXAMPLES.fuel, EXAMPLES.hb]);

    const cmd = { ...EXAMPLES.cmd, node: 'fuel-1', seq: 3 } as const;
    expect(l.send(cmd)).toBe(true);
    await waitFor(() => dev.frames().length === 1, 'the command at the node end');
    expect(dev.frames()).toEqual([cmd]);

    // Unplug.
    await socat.stop();
    await waitFor(() => ev.status.length === 2, 'the link to report down');
    expect(ev.status[1]!.up).toBe(false);
    expect(ev.availability).toEqual([
      { link: l.name, node: 'fuel-1', online: true },
      { link: l.name, node: 'fuel-1', online: false },
    ]);
    await dev.close();
    await sleep(300); // a few failed reopen attempts against the missing device
    expect(l.stats.openFailures).toBeGreaterThanOrEqual(1);

    // Replug: same link paths, new ptys behind them.
    await pair();
    await waitFor(() => ev.status.length === 3, 'the link to reconnect');
    expect(ev.status[2]).toEqual({ link: l.name, up: true });
    expect(l.stats.reconnects).toBe(1);
    dev = await node();
    const later = { ...EXAMPLES.fuel, seq: 100 };
    await dev.write(frameOf(later));
    await waitFor(() => ev.message.length === 3, 'traffic after the reconnect');
    expect(ev.message[2]!.msg).toEqual(later);
    expect(l.send({ ...cmd, seq: 4 })).toBe(true);
    await waitFor(() => dev.frames().length === 1, 'a command after the reconnect');
    expect(dev.frames()[0]!.seq).toBe(4);
    expect(ev.rejected).toEqual([]);
  });

  it('waits for a device that is not there yet', async () => {
    const l = link();
    const ev = recordEvents(l);
    await l.start();
    expect(ev.status).toEqual([expect.objectContaining({ up: false })]);
    await pair();
    await waitFor(() => ev.status.length === 2, 'the link to come up');
    const dev = await node();
    await dev.write(frameOf(EXAMPLES.visitors));
    await waitFor(() => ev.message.length === 1, 'a message');
    expect(ev.message[0]!.msg).toEqual(EXAMPLES.visitors);
  });
});
