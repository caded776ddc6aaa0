// When a point sends its compact status over LoRa, on virtual time: the real relay, outbox, LoraPath and
// budget, a modem double that answers on the clock, the status built from a PointStatus by the same
// statusReportFromPoint the gateway uses. Promptly after the switch, then a heartbeat paced to the airtime
// share, early on a new alarm but not within the minimum interval, the latest status wins, behind emergencies.
import { describe, it, expect } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { lorawanAirtimeMs } from '../../src/lora/airtime.js';
import { decodeFrame } from '../../src/lora/codec/index.js';
import type { StatusMessage } from '../../src/lora/codec/index.js';
import type { PointStatus } from '../../src/protocol/index.js';
import type { IpPath } from '../../src/relay/ip-path.js';
import { LoraPath } from '../../src/relay/lora-path.js';
import type { OutboxRow } from '../../src/relay/outbox.js';
import { Outbox } from '../../src/relay/outbox.js';
import { Relay } from '../../src/relay/relay.js';
import { LoraBudget } from '../../src/relay/scheduler.js';
import { DEFAULT_LORA_STATUS_SHARE, earlyReason, pacedIntervalMs, startStatusLoraFeed } from '../../src/relay/status-lora.js';
import type { StatusLoraFeedOptions } from '../../src/relay/status-lora.js';
import { statusReportFromPoint } from '../../src/relay/status-report.js';
import { advance, emergency, relayDb, status as sampleStatus, VirtualModem } from './support.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const STATUS_PORT = 1;

/** The IP side of the relay, switched by the test (the relay's IP path is not under test here): acks every send at once. */
class SwitchableIp {
  up = false;
  readonly ackTimeoutMs = 10_000;
  private ackFns: ((refs: number[]) => void)[] = [];
  private healthFns: ((healthy: boolean) => void)[] = [];
  readonly sent: OutboxRow[] = [];
  onAck(fn: (refs: number[]) => void): void {
    this.ackFns.push(fn);
  }
  onHealth(fn: (healthy: boolean) => void): void {
    this.healthFns.push(fn);
  }
  healthy(): boolean {
    return this.up;
  }
  send(row: OutboxRow): void {
    this.sent.push(row);
    queueMicrotask(() => this.ackFns.forEach((f) => f([row.id])));
  }
  set(up: boolean): void {
    this.up = up;
    this.healthFns.forEach((f) => f(up));
  }
}

function pointStatus(over: Partial<PointStatus> = {}): PointStatus {
  return {
    v: 1,
    point: 'punt-1',
    name: 'Buurthuis',
    seq: 0,
    ts: 0,
    nodes: [],
    fuel: { litres: 120, pct: 60, status: 'ok' },
    battery: { v: 25.4, soc: 80, a: 3 },
    visitors: { inside: 12, entries: 40 },
    charging: null,
    alarms: [],
    ...over,
  };
}

function setup(o: { dr?: number; txMs?: number; ip?: boolean; feed?: Partial<Pick<StatusLoraFeedOptions, 'minIntervalMs' | 'checkMs' | 'dailyShare'>>; intervalS?: number } = {}) {
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 12));
  const modem = new VirtualModem(clock, o.txMs ?? 100);
  modem.dr = o.dr ?? 5;
  const budget = new LoraBudget();
  const outbox = new Outbox(relayDb());
  const path = new LoraPath({ modem, budget, clock, log: silentLogger });
  const ip = o.ip ? new SwitchableIp() : null;
  const relay = new Relay({ pointId: 'punt-1', outbox, clock, log: silentLogger, lora: path, budget, ...(ip ? { ip: ip as unknown as IpPath } : {}) });
  let ps = pointStatus();
  const set = (over: Partial<PointStatus>) => (ps = { ...ps, ...over });
  const { feed, stop } = startStatusLoraFeed({
    relay,
    lora: { path, budget },
    status: () => statusReportFromPoint(ps, { link: 'ip_down' }),
    clock,
    log: silentLogger,
    ...(o.intervalS ? { intervalS: o.intervalS } : {}),
    ...(o.feed ? { options: o.feed } : {}),
  });
  const frames = () => modem.sent.filter((f) => f.port === STATUS_PORT);
  const decoded = (i = -1) => {
    const f = frames().at(i);
    return f ? (decodeFrame(f.port, f.bytes) as StatusMessage) : null;
  };
  return { clock, modem, budget, outbox, path, relay, ip, feed, stop, set, frames, decoded };
}

describe('status over LoRa: when the point sends it', () => {
  it('sends one promptly on LoRa, then a heartbeat every interval carrying fuel and battery', async () => {
    const t = setup({ dr: 5 });
    t.relay.start();
    await advance(t.clock, 5_000, 500);
    expect(t.relay.activePath).toBe('lora');
    expect(t.frames()).toHaveLength(1);
    expect(t.decoded()).toMatchObject({ fuelPct: 60, batteryPct: 80, batteryV: 25.4, visitorsPresent: 12, alarms: [], link: 'ip_down' });
    const firstAt = t.frames()[0]!.at;
    // visitors come and go: no early frame for that
    t.set({ visitors: { inside: 30, entries: 70 } });
    await advance(t.clock, 59 * MIN, 10_000);
    expect(t.frames()).toHaveLength(1);
    await advance(t.clock, 2 * MIN, 1_000);
    expect(t.frames()).toHaveLength(2);
    expect(t.frames()[1]!.at - firstAt).toBeGreaterThanOrEqual(HOUR);
    expect(t.frames()[1]!.at - firstAt).toBeLessThan(HOUR + 2_000);
    expect(t.decoded()!.visitorsPresent).toBe(30);
    // a day at SF7: 24 heartbeats, nothing more
    await advance(t.clock, 23 * HOUR, 60_000);
    expect(t.frames().length).toBeGreaterThanOrEqual(24);
    expect(t.frames().length).toBeLessThanOrEqual(25);
    t.stop();
  });

  it('sends early when fuel or battery falls under its low mark or an alarm appears, never within the minimum interval', async () => {
    const t = setup({ dr: 5 });
    t.relay.start();
    await advance(t.clock, 5_000, 500);
    expect(t.frames()).toHaveLength(1);
    // 2 min after the first: fuel under 15 % → fuel_low, but the 5-minute minimum holds it back
    await advance(t.clock, 2 * MIN, 10_000);
    t.set({ fuel: { litres: 28, pct: 14, status: 'ok' } });
    await advance(t.clock, 2 * MIN, 10_000);
    expect(t.frames()).toHaveLength(1);
    await advance(t.clock, 2 * MIN, 1_000);
    expect(t.frames()).toHaveLength(2);
    expect(t.frames()[1]!.at - t.frames()[0]!.at).toBeGreaterThanOrEqual(5 * MIN);
    expect(t.decoded()).toMatchObject({ fuelPct: 14, alarms: ['fuel_low'] });
    // still low, a bit lower: the coordinator knows, it waits for the heartbeat
    t.set({ fuel: { litres: 26, pct: 13, status: 'ok' } });
    await advance(t.clock, 20 * MIN, 10_000);
    expect(t.frames()).toHaveLength(2);
    // the battery crosses its mark and a node drops off: early again
    t.set({ battery: { v: 23.9, soc: 18, a: -6 }, nodes: [{ id: 'fuel-1', kind: 'fuel', online: false, lastSeen: 0 }] });
    await advance(t.clock, 60_000, 10_000);
    expect(t.frames()).toHaveLength(3);
    expect(t.decoded()).toMatchObject({ batteryPct: 18, alarms: ['fuel_low', 'battery_low', 'node_offline'] });
    expect(t.feed.stats.early).toBe(2);
    t.stop();
  });

  it('paces the heartbeat to its airtime share at SF12 and stays within it over a day of alarms', async () => {
    const t = setup({ dr: 0, txMs: 1500 });
    const airtime = lorawanAirtimeMs(12, 12);
    const cap = (t.budget.dailyBudgetMs - t.budget.emergencyReserveMs) * DEFAULT_LORA_STATUS_SHARE;
    expect(t.feed.intervalMs()).toBe(pacedIntervalMs(HOUR, airtime, t.budget));
    expect(t.feed.intervalMs()).toBeGreaterThan(5 * HOUR); // 1.48 s a frame: 4 a day in 6.6 s
    t.relay.start();
    // an alarm flapping every 20 min all day
    for (let i = 0; i < 72; i++) {
      t.set({ fuel: { litres: 30, pct: i % 2 ? 14 : 16, status: 'ok' } });
      await advance(t.clock, 20 * MIN, 30_000);
    }
    const sent = t.frames();
    const onAir = sent.length * airtime;
    expect(sent.length).toBeGreaterThanOrEqual(3);
    expect(onAir).toBeLessThanOrEqual(cap);
    expect(t.feed.stats.airtimeMs).toBeCloseTo(onAir, 0);
    // within 24 h of any instant no more than the share
    for (const f of sent) expect(sent.filter((g) => g.at >= f.at && g.at < f.at + 24 * HOUR).length * airtime).toBeLessThanOrEqual(cap);
    t.stop();
  });

  it('keeps only the latest status while one waits, and never holds up an emergency', async () => {
    const t = setup({ dr: 0, txMs: 2000 });
    t.modem.autoAck = true;
    t.relay.start();
    await advance(t.clock, 3_000, 500);
    expect(t.frames()).toHaveLength(1);
    // The relay stops sending (as while the modem is busy): statuses pile up as one row, the newest.
    t.relay.stop();
    await advance(t.clock, 10 * MIN, 10_000);
    t.set({ fuel: { litres: 20, pct: 10, status: 'ok' } });
    await advance(t.clock, 60_000, 10_000);
    t.set({ fuel: { litres: 18, pct: 9, status: 'ok' } });
    await advance(t.clock, 60_000, 10_000);
    const waiting = t.outbox.rows().filter((r) => r.kind === 'status');
    expect(waiting).toHaveLength(1);
    expect(waiting[0]!.payload.body).toMatchObject({ fuelPct: 9 });
    expect(t.feed.stats.replaced).toBeGreaterThanOrEqual(1);
    const { ref } = t.relay.submitEmergency(emergency());
    t.relay.start();
    await advance(t.clock, 6 * MIN, 1_000);
    const ports = t.modem.sent.map((f) => f.port);
    expect(ports.lastIndexOf(2)).toBeGreaterThan(0);
    expect(ports.lastIndexOf(2)).toBeLessThan(ports.lastIndexOf(STATUS_PORT)); // the emergency first
    expect(t.frames()).toHaveLength(2); // the waiting status went once, with the latest values
    expect(t.decoded()).toMatchObject({ fuelPct: 9, alarms: ['fuel_low'] });
    // right after a status frame silenced its sub-band, an emergency still goes within its own airtime
    await advance(t.clock, HOUR, 30_000);
    t.set({ alarms: ['charger:failsafe'], battery: { v: 23, soc: 12, a: -9 } });
    await advance(t.clock, 31_000, 250);
    const statusAt = t.frames().at(-1)!.at;
    expect(t.clock.now() - statusAt).toBeLessThan(32_000);
    const second = t.relay.submitEmergency(emergency('Val van trap, Dorpsstraat 3.'));
    const submittedAt = t.clock.now();
    const before = t.modem.sent.length;
    await advance(t.clock, 10_000, 250);
    const after = t.modem.sent.slice(before);
    expect(after.map((f) => f.port)).toContain(2);
    expect(after.find((f) => f.port === 2)!.at - submittedAt).toBeLessThanOrEqual(2_500);
    expect(t.outbox.get(ref)).toBeNull(); // acked
    expect(second.ref).toBeGreaterThan(ref);
    t.stop();
  });

  it('sends nothing while IP carries the status, and promptly after each switch to LoRa (not within the minimum interval)', async () => {
    const t = setup({ dr: 5, ip: true });
    t.ip!.set(true);
    t.relay.start();
    await advance(t.clock, 2 * HOUR, 60_000);
    expect(t.relay.activePath).toBe('ip');
    expect(t.feed.stats.submitted).toBe(0);
    expect(t.ip!.sent.filter((r) => r.kind === 'status')).toEqual([]);
    // IP fails: the coordinator hears a status within seconds
    t.ip!.set(false);
    const downAt = t.clock.now();
    await advance(t.clock, 5_000, 500);
    expect(t.frames()).toHaveLength(1);
    expect(t.frames()[0]!.at - downAt).toBeLessThan(2_000);
    // IP back for a minute, then gone again: the next status waits for the 5-minute minimum, not for the heartbeat
    await advance(t.clock, 60_000, 1_000);
    t.ip!.set(true);
    await advance(t.clock, 60_000, 1_000);
    expect(t.relay.activePath).toBe('ip');
    t.ip!.set(false);
    await advance(t.clock, 60_000, 1_000);
    expect(t.frames()).toHaveLength(1);
    await advance(t.clock, 3 * MIN, 1_000);
    expect(t.frames()).toHaveLength(2);
    expect(t.frames()[1]!.at - t.frames()[0]!.at).toBeGreaterThanOrEqual(5 * MIN);
    expect(t.frames()[1]!.at - t.frames()[0]!.at).toBeLessThan(5 * MIN + 31_000);
    t.stop();
  });
});

describe('status over LoRa: the rules', () => {
  it('counts a new alarm or a stopping generator as early news, and nothing else', () => {
    const s = sampleStatus();
    expect(earlyReason(s, null)).toBeNull();
    expect(earlyReason({ ...s, alarms: ['fuel_low'] }, s)).toBe('alarm fuel_low');
    expect(earlyReason({ ...s, alarms: ['fuel_low'] }, { ...s, alarms: ['fuel_low', 'tamper'] })).toBeNull(); // one cleared
    expect(earlyReason({ ...s, generator: 'off' }, s)).toBe('generator off');
    expect(earlyReason({ ...s, generator: 'fault' }, { ...s, generator: 'cooldown' })).toBe('generator fault');
    expect(earlyReason({ ...s, generator: 'off' }, { ...s, generator: 'unknown' })).toBeNull();
    expect(earlyReason({ ...s, fuelPct: 20, batteryPct: 40, visitorsPresent: 90 }, s)).toBeNull();
  });

  it('stretches the interval only where the airtime share needs it', () => {
    const budget = new LoraBudget();
    const routine = budget.dailyBudgetMs - budget.emergencyReserveMs;
    expect(routine).toBe(13_242);
    expect(pacedIntervalMs(HOUR, lorawanAirtimeMs(12, 7), budget)).toBe(HOUR); // SF7: 61.7 ms
    expect(pacedIntervalMs(HOUR, lorawanAirtimeMs(12, 9), budget)).toBe(HOUR); // SF9 (default DR3): 205.8 ms
    const sf12 = pacedIntervalMs(HOUR, lorawanAirtimeMs(12, 12), budget);
    expect(sf12 / HOUR).toBeCloseTo(5.37, 2);
    expect((DAY_MS / sf12) * lorawanAirtimeMs(12, 12)).toBeLessThanOrEqual(routine * DEFAULT_LORA_STATUS_SHARE);
  });
});

const DAY_MS = 24 * HOUR;
