// SerialNodeLink against serialport's mock binding: traffic, rejections, framing of sends,
// and unplug/replug with backoff.
import { describe, it, expect, afterEach } from 'vitest';
import { SerialPortMock } from 'serialport';
import type { PortFactory } from '../../../src/links/serial/index.js';
import { SerialNodeLink } from '../../../src/links/serial/index.js';
import type { DownlinkMessage, Message } from '../../../src/protocol/index.js';
import { FrameParser, crc32Hex, decodeMessage, encodeFrame, encodeMessage } from '../../../src/protocol/index.js';
import { ManualClock } from '../../../src/core/clock.js';
import { memoryLogger } from '../../../src/log/logger.js';
import { EXAMPLES } from '../../protocol/examples.js';
import { recordEvents, sleep, waitFor } from './helpers.js';

// @serialport/binding-mock ships separate CJS and ESM builds, each with its own port registry;
// SerialPortMock uses the CJS one, so take that very instance rather than importing the ESM one.
const MockBinding = SerialPortMock.binding;

let pathNo = 0;
const links: SerialNodeLink[] = [];

afterEach(async () => {
  await Promise.all(links.splice(0).map((l) => l.stop()));
  MockBinding.reset();
});

interface Rig {
  path: string;
  link: SerialNodeLink;
  ports: SerialPortMock[];
  clock: ManualClock;
  log: ReturnType<typeof memoryLogger>;
  /** Bytes arriving from the device, on the port the link has open now. */
  fromDevice(data: string | Buffer): void;
  /** Everything the link wrote to the current port. */
  written(): Buffer;
}

function rig(opts: { device?: boolean; maxQueued?: number } = {}): Rig {
  const path = `/dev/ttyMOCK${pathNo++}`;
  if (opts.device !== false) MockBinding.createPort(path, { record: true });
  const ports: SerialPortMock[] = [];
  const createPort: PortFactory = (o) => {
    const p = new SerialPortMock({ ...o, autoOpen: false });
    ports.push(p);
    return p;
  };
  const clock = new ManualClock();
  const log = memoryLogger('gw:serial');
  const link = new SerialNodeLink({ path, createPort, clock, log, backoff: { initialMs: 10, maxMs: 40 }, maxQueued: opts.maxQueued });
  links.push(link);
  const current = () => {
    const binding = ports.at(-1)?.port;
    if (!binding?.isOpen) throw new Error('no open mock port');
    return binding;
  };
  return {
    path,
    link,
    ports,
    clock,
    log,
    fromDevice: (data) => current().emitData(data),
    written: () => current().recording,
  };
}

const frameOf = (m: Message): string => encodeFrame(encodeMessage(m));
const cmdFor = (node: string, seq = 1): DownlinkMessage => ({ ...EXAMPLES.cmd, node, seq });

/** Decodes every frame in bytes the link wrote. */
function framesIn(bytes: Buffer): Message[] {
  return new FrameParser().push(bytes).map(decodeMessage);
}

describe('SerialNodeLink with the mock binding', () => {
  it('opens at 115200 baud by default and reports the link up', async () => {
    const r = rig();
    const ev = recordEvents(r.link);
    await r.link.start();
    expect(ev.status).toEqual([{ link: `serial:${r.path}`, up: true }]);
    expect(r.ports[0]!.baudRate).toBe(115_200);
    expect(r.link.stats.up).toBe(true);
  });

  it('emits valid uplinks among console noise, with receive time and availability', async () => {
    const r = rig();
    const ev = recordEvents(r.link);
    await r.link.start();
    const fuel2 = { ...EXAMPLES.fuel, seq: 43 };
    r.fromDevice(`\r\x1b[J>=undefined\r\n${frameOf(EXAMPLES.fuel)}>`);
    r.fromDevice(Buffer.from(frameOf(EXAMPLES.battery) + frameOf(fuel2).slice(0, 20)));
    r.fromDevice(frameOf(fuel2).slice(20) + 'Uncaught Error: x\r\n');
    await waitFor(() => ev.message.length === 3, '3 messages');
    expect(ev.message.map((e) => e.msg)).toEqual([EXAMPLES.fuel, EXAMPLES.battery, fuel2]);
    expect(ev.message.every((e) => e.link === r.link.name && e.receivedAt === r.clock.now())).toBe(true);
    expect(ev.availability).toEqual([
      { link: r.link.name, node: 'fuel-1', online: true },
      { link: r.link.name, node: 'battery-1', online: true },
    ]);
    expect(ev.rejected).toEqual([]);
    expect(r.link.stats).toMatchObject({ frames: 3, messages: 3, nodes: ['battery-1', 'fuel-1'] });
    expect(r.link.stats.noiseBytes).toBeGreaterThan(20);
  });

  it('rejects corrupt frames, bad JSON, schema errors and downlink types, and keeps going', async () => {
    const r = rig();
    const ev = recordEvents(r.link);
    await r.link.start();
    const badJson = '{"v":1,"node":"fuel-1"';
    const wrongSchema = encodeMessage({ ...EXAMPLES.fuel, body: { ...EXAMPLES.fuel.body, pct: 140 } });
    r.fromDevice(
      frameOf(EXAMPLES.fuel).replace('"ok"', '"OK"') +
        `#NS${badJson}*${crc32Hex(badJson)}\n` +
        encodeFrame(wrongSchema) +
        frameOf({ ...EXAMPLES.ack, node: 'charger-1' }) +
        `#NS${'x'.repeat(1100)}*00000000\n` +
        frameOf(EXAMPLES.visitors),
    );
    await waitFor(() => ev.message.length === 1, 'the valid message after the bad ones');
    expect(ev.message[0]!.msg).toEqual(EXAMPLES.visitors);
    expect(ev.rejected.map((e) => [e.reason, e.node])).toEqual([
      ['corrupt', undefined],
      ['json', undefined],
      ['schema', 'fuel-1'],
      ['direction', 'charger-1'],
      ['oversize', undefined],
    ]);
    expect(ev.rejected[0]!.detail).toBe('checksum mismatch');
    expect(ev.rejected[1]!.detail).toMatch(/^malformed JSON/);
    expect(ev.rejected[2]!.detail).toMatch(/body\.pct/);
    expect(ev.rejected[3]!.detail).toMatch(/may not send 'ack'/);
    expect(ev.rejected.every((e) => e.link === r.link.name)).toBe(true);
    expect(r.link.stats).toMatchObject({ rejected: 5, corrupt: 1, oversize: 1, messages: 1 });
    // A node that only sent refused messages is not routable.
    expect(r.link.send(cmdFor('charger-1'))).toBe(false);
  });

  it('isolates a throwing listener from the data handler', async () => {
    const r = rig();
    const got: string[] = [];
    r.link.on('message', () => {
      throw new Error('listener bug');
    });
    r.link.on('message', (e) => got.push(e.msg.type));
    await r.link.start();
    r.fromDevice(frameOf(EXAMPLES.fuel) + frameOf(EXAMPLES.battery));
    await waitFor(() => got.length === 2, 'both messages');
    expect(r.log.records.filter((x) => x.msg === 'listener failed')).toHaveLength(2);
    r.fromDevice(frameOf(EXAMPLES.visitors));
    await waitFor(() => got.length === 3, 'a later message');
  });

  it('sends framed downlinks only to nodes heard on this port', async () => {
    const r = rig();
    await r.link.start();
    expect(r.link.send(cmdFor('fuel-1'))).toBe(false);
    r.fromDevice(frameOf(EXAMPLES.fuel));
    await waitFor(() => r.link.stats.nodes.length === 1, 'the node to be heard');
    const cmd = cmdFor('fuel-1', 5);
    const ack: DownlinkMessage = { ...EXAMPLES.ack, seq: 6 };
    expect(r.link.send(cmd)).toBe(true);
    expect(r.link.send(ack)).toBe(true);
    expect(r.link.send(cmdFor('charger-1'))).toBe(false);
    await waitFor(() => r.written().length > 0 && framesIn(r.written()).length === 2, 'two frames written');
    expect(r.written().toString('utf8')).toBe(encodeFrame(encodeMessage(cmd)) + encodeFrame(encodeMessage(ack)));
    expect(framesIn(r.written())).toEqual([cmd, ack]);
    expect(r.link.stats.sent).toBe(2);
  });

  it('refuses a downlink too big for one frame without throwing', async () => {
    const r = rig();
    await r.link.start();
    r.fromDevice(frameOf(EXAMPLES.charger));
    await waitFor(() => r.link.stats.nodes.length === 1, 'the node to be heard');
    const set = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`key${i}`, 'v'.repeat(60)]));
    expect(r.link.send({ ...EXAMPLES.cmd, body: { op: 'config', set } })).toBe(false);
    expect(r.log.records.some((x) => x.level === 'error' && x.msg === 'cannot frame downlink')).toBe(true);
  });

  it('reports an unplug, retries with backoff while the device is gone, and reconnects on replug', async () => {
    const r = rig();
    const ev = recordEvents(r.link);
    await r.link.start();
    r.fromDevice(frameOf(EXAMPLES.fuel) + frameOf(EXAMPLES.battery));
    await waitFor(() => ev.message.length === 2, 'traffic before the unplug');

    // Unplug: the device disappears and the open port closes under the link.
    MockBinding.reset();
    r.ports[0]!.close();
    await waitFor(() => ev.status.length === 2, 'status down');
    expect(ev.status[1]).toMatchObject({ up: false, detail: 'device closed' });
    expect(ev.availability.filter((a) => !a.online).map((a) => a.node).sort()).toEqual(['battery-1', 'fuel-1']);
    expect(r.link.stats.up).toBe(false);

    // Sends for known nodes wait in the queue; unknown nodes are still refused.
    expect(r.link.send(cmdFor('fuel-1', 10))).toBe(true);
    expect(r.link.send(cmdFor('visitors-1'))).toBe(false);

    // 10, 20, 40, 40 … ms: several failed opens within 150 ms, reported once.
    await sleep(150);
    const failures = r.link.stats.openFailures;
    expect(failures).toBeGreaterThanOrEqual(3);
    expect(failures).toBeLessThanOrEqual(8);
    expect(ev.status).toHaveLength(2);

    // Replug.
    MockBinding.createPort(r.path, { record: true });
    await waitFor(() => ev.status.length === 3, 'status up after replug');
    expect(ev.status[2]).toEqual({ link: r.link.name, up: true });
    expect(r.link.stats.reconnects).toBe(1);
    await waitFor(() => r.written().length > 0, 'the queued frame');
    expect(framesIn(r.written())).toEqual([cmdFor('fuel-1', 10)]);
    r.fromDevice(frameOf({ ...EXAMPLES.fuel, seq: 99 }));
    await waitFor(() => ev.message.length === 3, 'traffic after the replug');
    expect(ev.availability.at(-1)).toEqual({ link: r.link.name, node: 'fuel-1', online: true });
  });

  it('does not glue a frame cut by the unplug to bytes after the replug', async () => {
    const r = rig();
    const ev = recordEvents(r.link);
    await r.link.start();
    r.fromDevice(frameOf(EXAMPLES.fuel).slice(0, 30));
    await sleep(20);
    r.ports[0]!.close();
    await waitFor(() => ev.status.length === 3, 'down and up again');
    r.fromDevice(frameOf(EXAMPLES.fuel).slice(30) + frameOf(EXAMPLES.battery));
    await waitFor(() => ev.message.length === 1, 'the next whole frame');
    expect(ev.message[0]!.msg).toEqual(EXAMPLES.battery);
    expect(ev.rejected.map((e) => e.reason)).toEqual([]);
  });

  it('keeps a bounded write queue while down, dropping the oldest', async () => {
    const r = rig({ maxQueued: 3 });
    await r.link.start();
    r.fromDevice(frameOf(EXAMPLES.charger));
    await waitFor(() => r.link.stats.nodes.length === 1, 'the node to be heard');
    MockBinding.reset();
    r.ports[0]!.close();
    await waitFor(() => !r.link.stats.up, 'down');
    for (let seq = 1; seq <= 5; seq++) expect(r.link.send(cmdFor('charger-1', seq))).toBe(true);
    expect(r.link.stats).toMatchObject({ queued: 3, queueDrops: 2 });
    MockBinding.createPort(r.path, { record: true });
    await waitFor(() => r.link.stats.up && r.written().length > 0 && framesIn(r.written()).length === 3, 'the queue to flush');
    expect(framesIn(r.written()).map((m) => m.seq)).toEqual([3, 4, 5]);
    expect(r.link.stats.queued).toBe(0);
  });

  it('starts without the device, reports it down once, and comes up when it appears', async () => {
    const r = rig({ device: false });
    const ev = recordEvents(r.link);
    await r.link.start();
    expect(ev.status).toHaveLength(1);
    expect(ev.status[0]!.up).toBe(false);
    expect(ev.status[0]!.detail).toMatch(/^cannot open \/dev\/ttyMOCK\d+: Port does not exist/);
    await sleep(60);
    expect(ev.status).toHaveLength(1);
    MockBinding.createPort(r.path);
    await waitFor(() => ev.status.length === 2, 'status up');
    expect(ev.status[1]!.up).toBe(true);
    // The first successful open is not a reconnect.
    expect(r.link.stats.reconnects).toBe(0);
  });

  it('stop() cancels retries', async () => {
    const r = rig({ device: false });
    await r.link.start();
    await r.link.stop();
    const created = r.ports.length;
    await sleep(100);
    expect(r.ports.length).toBe(created);
    expect(r.link.stats.up).toBe(false);
  });

  it('stop() closes the port and releases the device', async () => {
    const r = rig();
    const ev = recordEvents(r.link);
    await r.link.start();
    r.fromDevice(frameOf(EXAMPLES.fuel));
    await waitFor(() => ev.message.length === 1, 'a message');
    await r.link.stop();
    expect(r.ports[0]!.isOpen).toBe(false);
    expect(ev.status.at(-1)).toEqual({ link: r.link.name, up: false, detail: 'stopped' });
    expect(ev.availability.at(-1)).toEqual({ link: r.link.name, node: 'fuel-1', online: false });
    // The mock binding locks an open port: opening it again proves the link let go.
    const other = new SerialPortMock({ path: r.path, baudRate: 115_200, autoOpen: false });
    await new Promise<void>((res, rej) => other.open((err) => (err ? rej(err) : res())));
    other.close();
    await sleep(50);
    expect(r.ports).toHaveLength(1);
  });

  it('stop() during an open in flight leaves the port closed', async () => {
    const r = rig();
    const starting = r.link.start();
    const stopping = r.link.stop();
    await Promise.all([starting, stopping]);
    expect(r.ports.every((p) => !p.isOpen)).toBe(true);
    expect(r.link.stats.up).toBe(false);
  });
});
