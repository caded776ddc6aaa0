// VeDirectLink against serialport's mock binding, fed with blocks from the real BMV-700 capture:
// battery messages from a virtual node, rate limit, heartbeats, throttled rejections, silence,
// unplug and replug.
import { describe, it, expect, afterEach } from 'vitest';
import { SerialPortMock } from 'serialport';
import type { PortFactory } from '../../../src/links/serial/index.js';
import { VeDirectLink } from '../../../src/links/vedirect/index.js';
import type { VeDirectLinkOptions } from '../../../src/links/vedirect/index.js';
import type { DownlinkMessage, UplinkMessage } from '../../../src/protocol/index.js';
import { MessageSchema } from '../../../src/protocol/index.js';
import { ManualClock } from '../../../src/core/clock.js';
import { memoryLogger } from '../../../src/log/logger.js';
import { encodeBlock } from '../../../src/drivers/vedirect/index.js';
import { DUMP, naiveBlocks } from '../../drivers/vedirect/capture.js';
import { recordEvents, sleep, waitFor } from '../serial/helpers.js';

// @serialport/binding-mock ships separate CJS and ESM builds, each with its own port registry;
// SerialPortMock uses the CJS one, so take that very instance.
const MockBinding = SerialPortMock.binding;

const NAIVE = naiveBlocks(DUMP);
/** Main block i followed by its history block, as the BMV sends them each second. */
const pair = (i: number): Buffer => DUMP.subarray(NAIVE[2 * i]!.start, NAIVE[2 * i + 1]!.end);
const mainFields = (i: number): Map<string, string> => new Map(NAIVE[2 * i]!.fields);
/** Expected battery body of main block i, computed from the raw strings. */
function bodyOf(i: number): Record<string, unknown> {
  const f = mainFields(i);
  return { v: Number(f.get('V')) / 1000, a: Number(f.get('I')) / 1000, soc: Number(f.get('SOC')) / 10, status: 'ok', ttgMin: Number(f.get('TTG')) };
}

const BOOT = 1_767_225_600;
let pathNo = 0;
const links: VeDirectLink[] = [];

afterEach(async () => {
  await Promise.all(links.splice(0).map((l) => l.stop()));
  MockBinding.reset();
});

function rig(opts: { device?: boolean } & Partial<VeDirectLinkOptions> = {}) {
  const path = `/dev/ttyVEDIRECT${pathNo++}`;
  if (opts.device !== false) MockBinding.createPort(path, { record: true });
  const ports: SerialPortMock[] = [];
  const createPort: PortFactory = (o) => {
    const p = new SerialPortMock({ ...o, autoOpen: false });
    ports.push(p);
    return p;
  };
  const clock = new ManualClock();
  const log = memoryLogger('gw:vedirect');
  const { device: _device, ...rest } = opts;
  const link = new VeDirectLink({ path, node: 'vedirect-1', boot: BOOT, createPort, clock, log, backoff: { initialMs: 10, maxMs: 40 }, ...rest });
  links.push(link);
  const ev = recordEvents(link);
  const current = () => {
    const binding = ports.at(-1)?.port;
    if (!binding?.isOpen) throw new Error('no open mock port');
    return binding;
  };
  /** Sends bytes from the monitor and waits until the link has parsed them. */
  const feed = async (data: Buffer | string): Promise<void> => {
    const bytes = link.stats.bytes;
    current().emitData(data);
    await waitFor(() => link.stats.bytes > bytes, 'the link to read the bytes');
  };
  /** One simulated second of the monitor: block pair i, then the clock moves on. */
  const second = async (i: number): Promise<void> => {
    await feed(pair(i));
    clock.advance(1000);
  };
  const msgs = (type?: UplinkMessage['type']): UplinkMessage[] => ev.message.map((e) => e.msg).filter((m) => !type || m.type === type);
  return { path, link, ports, clock, log, ev, feed, second, msgs };
}

describe('VeDirectLink with the mock binding', () => {
  it('opens at 19200 baud and turns the first block into a heartbeat and a battery message', async () => {
    const r = rig();
    await r.link.start();
    expect(r.ev.status).toEqual([{ link: `vedirect:${r.path}`, up: true }]);
    expect(r.ports[0]!.baudRate).toBe(19_200);
    await r.feed(pair(0));
    expect(r.ev.availability).toEqual([{ link: r.link.name, node: 'vedirect-1', online: true }]);
    const t0 = r.clock.now();
    expect(r.msgs()).toEqual([
      { v: 1, node: 'vedirect-1', boot: BOOT, seq: 0, ts: t0, type: 'hb', body: { kind: 'vedirect', fw: '3.08', up: 0, mem: null, flags: [], link: 'serial' } },
      // Block 1 of the capture, by hand: V 12065 mV, I -7625 mA, SOC 839 ‰, TTG 942 min.
      { v: 1, node: 'vedirect-1', boot: BOOT, seq: 1, ts: t0, type: 'battery', body: { v: 12.065, a: -7.625, soc: 83.9, status: 'ok', ttgMin: 942 } },
    ]);
    expect(r.ev.message.every((e) => e.link === r.link.name && e.receivedAt === t0)).toBe(true);
    for (const m of r.msgs()) expect(MessageSchema.parse(m)).toEqual(m);
    expect(r.ev.rejected).toEqual([]);
    expect(r.link.stats).toMatchObject({ blocks: 2, messages: 1, heartbeats: 1, up: true, online: true });
    // The history block is kept for diagnostics.
    expect(r.link.latest.history?.history.maxVoltageV).toBe(16.161);
  });

  it('sends at most one battery message per interval, taking the latest block', async () => {
    const r = rig();
    await r.link.start();
    for (let i = 0; i < 25; i++) await r.second(i);
    const battery = r.msgs('battery');
    // t=0 at once; then the block from t=9 s at t=10 s and the one from t=19 s at t=20 s.
    expect(battery.map((m) => m.body)).toEqual([bodyOf(0), bodyOf(9), bodyOf(19)]);
    expect(battery.map((m) => m.ts - battery[0]!.ts)).toEqual([0, 9000, 19000]);
    // Replaced while waiting for their slot: blocks 2–9, 11–19 and 21–24 (block 24 still waits).
    expect(r.link.stats.superseded).toBe(8 + 9 + 4);
    // seq rises by one per message of any type.
    expect(r.msgs().map((m) => m.seq)).toEqual([0, 1, 2, 3]);
  });

  it('honours a configured interval', async () => {
    const r = rig({ intervalMs: 3000 });
    await r.link.start();
    for (let i = 0; i < 10; i++) await r.second(i);
    expect(r.msgs('battery').map((m) => m.body)).toEqual([bodyOf(0), bodyOf(2), bodyOf(5), bodyOf(8)]);
  });

  it('sends a heartbeat every 60 s with the firmware, uptime and alarm flags', async () => {
    const r = rig();
    const started = r.clock.now();
    await r.link.start();
    for (let t = 0; t <= 125; t += 5) {
      // From t=100 s the monitor raises a low-SOC alarm.
      if (t >= 100) await r.feed(encodeBlock([...mainFields(t / 5)].map(([k, v]) => [k, k === 'Alarm' ? 'ON' : k === 'AR' ? '4' : v] as [string, string])));
      else await r.feed(pair(t / 5));
      r.clock.advance(5000);
    }
    const hbs = r.msgs('hb');
    expect(hbs.map((m) => (m.ts - started) / 1000)).toEqual([0, 60, 120]);
    expect(hbs.map((m) => (m.type === 'hb' ? [m.body.up, m.body.fw, m.body.flags] : null))).toEqual([
      [0, '3.08', []],
      [60, '3.08', []],
      [120, '3.08', ['ALARM', 'LOW_SOC']],
    ]);
  });

  it('refuses to send: the monitor takes no commands', async () => {
    const r = rig();
    await r.link.start();
    await r.feed(pair(0));
    const cmd: DownlinkMessage = { v: 1, node: 'vedirect-1', boot: 1, seq: 1, ts: 0, type: 'cmd', body: { op: 'ping' } };
    const ack: DownlinkMessage = { v: 1, node: 'vedirect-1', boot: 1, seq: 2, ts: 0, type: 'ack', body: { boot: BOOT, seqs: [1] } };
    expect(r.link.send(cmd)).toBe(false);
    expect(r.link.send(ack)).toBe(false);
    expect(r.ports[0]!.port!.recording.length).toBe(0);
  });

  it('drops blocks with a bad checksum and reports them, throttled to one event per minute', async () => {
    const r = rig();
    await r.link.start();
    const bad = (i: number): Buffer => {
      const b = Buffer.from(pair(i));
      // First digit of the voltage: one more or less breaks the sum.
      const at = b.indexOf('\nV\t', 0, 'latin1') + 3;
      b[at] = b[at] === 0x31 ? 0x32 : 0x31;
      return b;
    };
    await r.second(0);
    for (let i = 1; i <= 3; i++) {
      await r.feed(bad(i));
      r.clock.advance(1000);
    }
    expect(r.ev.rejected).toEqual([{ link: r.link.name, reason: 'checksum', node: 'vedirect-1', detail: expect.stringContaining('sum to') }]);
    expect(r.link.stats).toMatchObject({ checksum: 3, rejected: 1, rejectsSuppressed: 2 });
    // The good history blocks between the bad ones still arrive; no battery message from a bad block.
    expect(r.link.stats.blocks).toBe(2 + 3);
    for (let i = 4; i < 65; i++) await r.second(i);
    await r.feed(bad(65));
    expect(r.ev.rejected).toHaveLength(2);
    expect(r.ev.rejected[1]!.detail).toMatch(/\(\+2 more since the last report\)$/);
    // Blocks 1–3 were bad; the slots at t = 10 s, 20 s … 60 s took the blocks from the second before.
    expect(r.msgs('battery').map((m) => m.body)).toEqual([0, 9, 19, 29, 39, 49, 59].map(bodyOf));
    // Bad blocks since the previous heartbeat are flagged once.
    expect(r.msgs('hb').map((m) => (m.type === 'hb' ? m.body.flags : null))).toEqual([[], ['BAD_BLOCKS']]);
  });

  it('skips hex frames interleaved with the text blocks', async () => {
    const r = rig();
    await r.link.start();
    const p = pair(0);
    const mid = p.indexOf('SOC', 0, 'latin1') + 5;
    await r.feed(Buffer.concat([Buffer.from(':51641F9\n'), p.subarray(0, mid), Buffer.from(':7F0ED0071\n'), p.subarray(mid)]));
    expect(r.msgs('battery').map((m) => m.body)).toEqual([bodyOf(0)]);
    expect(r.link.stats).toMatchObject({ hexFrames: 2, checksum: 0, malformed: 0 });
  });

  it('does not reject the block already under way when it opens', async () => {
    const r = rig();
    await r.link.start();
    await r.feed(pair(0).subarray(37));
    await r.feed(pair(1));
    expect(r.ev.rejected).toEqual([]);
    expect(r.link.stats.partial).toBe(1);
    expect(r.msgs('battery').map((m) => m.body)).toEqual([bodyOf(1)]);
  });

  it('reports a monitor that falls silent offline, and online again when it resumes', async () => {
    const r = rig();
    await r.link.start();
    for (let i = 0; i < 3; i++) await r.second(i);
    r.clock.advance(30_000);
    expect(r.ev.availability.map((a) => a.online)).toEqual([true, false]);
    expect(r.link.stats).toMatchObject({ up: true, online: false });
    const count = r.ev.message.length;
    r.clock.advance(120_000);
    expect(r.ev.message).toHaveLength(count);
    await r.second(3);
    expect(r.ev.availability.map((a) => a.online)).toEqual([true, false, true]);
    expect(r.msgs().slice(count).map((m) => m.type)).toEqual(['hb', 'battery']);
  });

  it('reports a monitor without a voltage as a fault, with unknowns as null', async () => {
    const r = rig();
    await r.link.start();
    await r.feed(encodeBlock([['PID', '0xA389'], ['V', '---'], ['I', '---'], ['SOC', '---'], ['Alarm', 'OFF'], ['FW', '0405']]));
    expect(r.msgs('battery').map((m) => m.body)).toEqual([{ v: null, a: null, soc: null, status: 'fault' }]);
    expect(r.msgs('hb')[0]!.body).toMatchObject({ fw: '4.05' });
  });

  it('reports an unplug, reopens with backoff, and reads the monitor again after a replug', async () => {
    const r = rig();
    await r.link.start();
    await r.second(0);
    // Unplug mid-block: the cut-off block must not be glued to what comes after the replug.
    await r.feed(pair(1).subarray(0, 40));
    MockBinding.reset();
    r.ports[0]!.close();
    await waitFor(() => r.ev.status.length === 2, 'status down');
    expect(r.ev.status[1]).toMatchObject({ up: false, detail: 'device closed' });
    expect(r.ev.availability.map((a) => a.online)).toEqual([true, false]);
    expect(r.link.stats.up).toBe(false);
    await sleep(100);
    expect(r.link.stats.openFailures).toBeGreaterThanOrEqual(2);
    expect(r.ev.status).toHaveLength(2);

    MockBinding.createPort(r.path, { record: true });
    await waitFor(() => r.ev.status.length === 3, 'status up after the replug');
    expect(r.ev.status[2]).toEqual({ link: r.link.name, up: true });
    expect(r.link.stats.reconnects).toBe(1);
    r.clock.advance(20_000);
    await r.feed(Buffer.concat([pair(1).subarray(40), pair(2)]));
    expect(r.ev.availability.map((a) => a.online)).toEqual([true, false, true]);
    expect(r.msgs('battery').map((m) => m.body)).toEqual([bodyOf(0), bodyOf(2)]);
    expect(r.ev.rejected).toEqual([]);
  });

  it('starts without the device, reports it down once, and comes up when it appears', async () => {
    const r = rig({ device: false });
    await r.link.start();
    expect(r.ev.status).toEqual([{ link: r.link.name, up: false, detail: expect.stringContaining('cannot open') }]);
    await sleep(60);
    expect(r.ev.status).toHaveLength(1);
    MockBinding.createPort(r.path, { record: true });
    await waitFor(() => r.link.stats.up, 'the device to open');
    await r.feed(pair(0));
    expect(r.msgs('battery')).toHaveLength(1);
  });

  it('stops cleanly: node offline, link down, no timers left', async () => {
    const r = rig();
    await r.link.start();
    await r.second(0);
    await r.link.stop();
    expect(r.ev.availability.map((a) => a.online)).toEqual([true, false]);
    expect(r.ev.status.at(-1)).toEqual({ link: r.link.name, up: false, detail: 'stopped' });
    const count = r.ev.message.length;
    r.clock.advance(600_000);
    expect(r.ev.message).toHaveLength(count);
  });

  it('refuses a bad node id or interval at construction', () => {
    expect(() => new VeDirectLink({ path: '/dev/null', node: 'Bad Node' })).toThrow(RangeError);
    expect(() => new VeDirectLink({ path: '/dev/null', node: 'vedirect-1', intervalMs: 0 })).toThrow(/intervalMs/);
  });
});
