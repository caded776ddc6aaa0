// SerialNodeLink.release()/resume(): the port is let go for a firmware upload and taken back, and nothing
// the link accepted meanwhile is lost (mock binding for the lock, a real socat pty for the bytes).
import { afterEach, describe, expect, it } from 'vitest';
import { SerialPort, SerialPortMock } from 'serialport';
import type { PortFactory } from '../../../src/links/serial/index.js';
import { SerialNodeLink } from '../../../src/links/serial/index.js';
import type { DownlinkMessage, Message } from '../../../src/protocol/index.js';
import { FrameParser, decodeMessage, encodeFrame, encodeMessage } from '../../../src/protocol/index.js';
import { ManualClock } from '../../../src/core/clock.js';
import { memoryLogger } from '../../../src/log/logger.js';
import { createPtyPair, type PtyPair } from '../../../src/sim/pty.js';
import { skipWithout } from '../../support/externals.js';
import { EXAMPLES } from '../../protocol/examples.js';
import { recordEvents, waitFor } from './helpers.js';

const MockBinding = SerialPortMock.binding;
const frameOf = (m: Message): string => encodeFrame(encodeMessage(m));
const cmdFor = (node: string, seq: number): DownlinkMessage => ({ ...EXAMPLES.cmd, node, seq });
const ackFor = (seq: number): DownlinkMessage => ({ ...EXAMPLES.ack, seq });
const framesIn = (bytes: Buffer): Message[] => new FrameParser().push(bytes).map(decodeMessage);

const links: SerialNodeLink[] = [];
afterEach(async () => {
  await Promise.all(links.splice(0).map((l) => l.stop()));
  MockBinding.reset();
});

function openPort(p: SerialPortMock | SerialPort): Promise<void> {
  return new Promise((res, rej) => p.open((err) => (err ? rej(err) : res())));
}

describe('SerialNodeLink release/resume (mock binding)', () => {
  it('lets go of the port, queues what is sent meanwhile, and delivers it in order after resume', async () => {
    const path = '/dev/ttyMOCKREL0';
    MockBinding.createPort(path, { record: true });
    const ports: SerialPortMock[] = [];
    const createPort: PortFactory = (o) => {
      const p = new SerialPortMock({ ...o, autoOpen: false });
      ports.push(p);
      return p;
    };
    const link = new SerialNodeLink({ path, createPort, clock: new ManualClock(), log: memoryLogger(), backoff: { initialMs: 10, maxMs: 40 } });
    links.push(link);
    const ev = recordEvents(link);
    await link.start();
    ports[0]!.port!.emitData(frameOf(EXAMPLES.fuel));
    await waitFor(() => link.stats.nodes.includes('fuel-1'), 'the node heard');

    // Held: the mock binding locks an open port, as the kernel does for a tty opened exclusively.
    const flasher = new SerialPortMock({ path, baudRate: 115_200, autoOpen: false });
    await expect(openPort(flasher)).rejects.toThrow(/locked/);

    await link.release();
    expect(link.released).toBe(true);
    expect(ev.status.at(-1)).toMatchObject({ up: false, detail: 'stopped' });
    expect(ev.availability.at(-1)).toEqual({ link: link.name, node: 'fuel-1', online: false });
    // Another program can open it now, and no retry of ours gets in its way.
    await openPort(flasher);
    await new Promise((r) => setTimeout(r, 80));
    expect(ports).toHaveLength(1);

    // Accepted while released: the command and the ack wait.
    expect(link.send(cmdFor('fuel-1', 21))).toBe(true);
    expect(link.send(ackFor(22))).toBe(true);
    expect(link.stats.queued).toBe(2);
    await new Promise<void>((r) => flasher.close(() => r()));

    await link.resume();
    expect(link.released).toBe(false);
    expect(ev.status.at(-1)).toEqual({ link: link.name, up: true });
    const port = ports.at(-1)!.port!;
    await waitFor(() => framesIn(port.recording).length === 2, 'the queued frames written');
    expect(framesIn(port.recording)).toEqual([cmdFor('fuel-1', 21), ackFor(22)]);
    expect(link.stats.queued).toBe(0);
    // Still routable, and traffic flows again.
    port.emitData(frameOf({ ...EXAMPLES.fuel, seq: 77 }));
    await waitFor(() => ev.message.length === 2, 'traffic after resume');
    expect(ev.availability.at(-1)).toEqual({ link: link.name, node: 'fuel-1', online: true });
  });

  it('release() of a stopped link is a no-op and stop() after release() stays stopped', async () => {
    const path = '/dev/ttyMOCKREL1';
    MockBinding.createPort(path);
    const link = new SerialNodeLink({ path, createPort: (o) => new SerialPortMock({ ...o, autoOpen: false }), log: memoryLogger() });
    links.push(link);
    await link.release();
    expect(link.released).toBe(true);
    await link.start();
    await link.release();
    await link.stop();
    expect(link.stats.up).toBe(false);
  });
});

const noSocat = skipWithout('socat', 'serial link release over a real pty');

describe.skipIf(noSocat)('SerialNodeLink release/resume (real pty)', () => {
  let pair: PtyPair | null = null;
  afterEach(async () => {
    await pair?.close();
    pair = null;
  });

  it('drops a frame cut by the release and loses nothing sent while released', async () => {
    pair = await createPtyPair();
    const node = new SerialPort({ path: pair.nodePath, baudRate: 115_200, autoOpen: false });
    await openPort(node);
    let fromLink = Buffer.alloc(0);
    node.on('data', (d: Buffer) => (fromLink = Buffer.concat([fromLink, d])));
    const link = new SerialNodeLink({ path: pair.gatewayPath, log: memoryLogger(), backoff: { initialMs: 20, maxMs: 100 } });
    links.push(link);
    const ev = recordEvents(link);
    await link.start();
    node.write(frameOf(EXAMPLES.battery));
    await waitFor(() => ev.message.length === 1, 'a frame over the pty');

    // Half a frame, then the release (the board resets mid-frame during an upload).
    node.write(frameOf({ ...EXAMPLES.battery, seq: 50 }).slice(0, 25));
    await new Promise((r) => setTimeout(r, 50));
    await link.release();
    // The flasher's turn: it can open the gateway end.
    const flasher = new SerialPort({ path: pair.gatewayPath, baudRate: 115_200, autoOpen: false });
    await openPort(flasher);
    await new Promise<void>((r) => flasher.close(() => r()));
    for (let seq = 1; seq <= 5; seq++) expect(link.send(cmdFor('battery-1', 100 + seq))).toBe(true);

    await link.resume();
    await waitFor(() => framesIn(fromLink).length === 5, 'the five queued commands at the node', 5000);
    expect(framesIn(fromLink).map((m) => m.seq)).toEqual([101, 102, 103, 104, 105]);
    node.write(frameOf({ ...EXAMPLES.battery, seq: 51 }));
    await waitFor(() => ev.message.length === 2, 'the next whole frame', 5000);
    expect(ev.message[1]!.msg.seq).toBe(51);
    await new Promise<void>((r) => node.close(() => r()));
  });
});
