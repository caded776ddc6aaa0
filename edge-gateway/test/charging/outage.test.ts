// 72 h simulated outage in virtual time: the charging service on the simulated point (sim/world), with
// residents taking numbers, a fuel shortage (generator running continuously on 10 L, delivery at 40 h),
// an over-current port and a charger node that drops out for a quarter of an hour.
import Database from 'better-sqlite3';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ChargingSimResult, Resident } from '../../src/charging/simulation.js';
import { ChargingSimulation } from '../../src/charging/simulation.js';
import { SqliteChargingPersistence, withChargingMigration } from '../../src/charging/store.js';
import type { ChargingRecord } from '../../src/charging/types.js';
import { MIGRATIONS, migrate } from '../../src/store/index.js';

const H = 3_600_000;
const MIN = 60_000;
const FAULTY_PORT = 5;
const FAULT_AT_H = 4;
/** 15:00 local: busy, ports in use. */
const OFFLINE_AT_H = 8;

let sim: ChargingSimulation;
let result: ChargingSimResult;
let records: ChargingRecord[];
let t0: number;
const commandsWhileOffline: number[] = [];

beforeAll(() => {
  const db = new Database(':memory:');
  migrate(db, withChargingMigration(MIGRATIONS));
  sim = new ChargingSimulation({
    policy: 'budget',
    hours: 72,
    seed: 7,
    scenario: { generator: { initialFuelL: 10 }, staff: { refuelBelowFrac: 0 }, phones: { arrivalLevel: [0.3, 0.95] } },
    config: { sessionMinutes: 90 },
    demand: { returnAfterMin: [25, 240] },
    persistence: new SqliteChargingPersistence(db),
    events: [
      { atH: 0, run: (s) => s.world.setGeneratorMode('on') },
      { atH: FAULT_AT_H, run: (s) => s.injectFault(FAULTY_PORT, 'overcurrent') },
      {
        atH: OFFLINE_AT_H,
        run: (s) => {
          s.setChargerOnline(false);
          const relays = () => s.world.hw.charger;
          s.clock.setTimeout(() => commandsWhileOffline.push([0, 1, 2, 3, 4, 6, 7].filter((p) => relays().relay(p)).length), 3 * MIN);
        },
      },
      { atH: OFFLINE_AT_H + 0.25, run: (s) => s.setChargerOnline(true) },
      { atH: 40, run: (s) => s.world.refuel(40) },
    ],
  });
  t0 = sim.clock.now();
  result = sim.run();
  records = sim.persistence.records(t0, Infinity);
}, 120_000);

const byNumber = () => new Map(sim.residents.filter((r) => r.number !== null).map((r) => [r.number!, r] as [number, Resident]));

describe('72 h outage in virtual time', () => {
  it('never touches the critical reserve, and the critical loads are always served', () => {
    expect(result.arrived).toBeGreaterThan(300);
    expect(result.served).toBeGreaterThan(100);
    expect(result.reserveViolationMin).toBe(0);
    expect(result.unservedWh).toBeLessThan(1e-6);
  });

  it('sheds in the right order: normal → reduced → off while fuel runs out, back after the delivery', () => {
    const seq = result.stages.map((s) => s.stage).filter((s, i, a) => i === 0 || a[i - 1] !== s);
    // Back straight to normal: the delivery fills the tank past both thresholds within the climb hold.
    expect(seq).toEqual(['normal', 'reduced', 'off', 'normal']);
    const offAt = result.stages.find((s) => s.stage === 'off')!.at;
    const backAt = result.stages.find((s) => s.at > offAt && s.stage !== 'off')!.at;
    expect(backAt - t0).toBeGreaterThanOrEqual(40 * H);
    // While off, no session ran and no offer was made; numbers were refused for lack of power.
    expect(records.filter((r) => (r.kind === 'offered' || r.kind === 'started' || r.kind === 'resumed') && r.at > offAt && r.at < backAt)).toEqual([]);
    expect(records.some((r) => r.kind === 'refused' && r.reason === 'no-power' && r.at > offAt && r.at < backAt)).toBe(true);
    // Within each shedding step offers go before sessions, and sessions that served their resident go first.
    const groups = new Map<number, ChargingRecord[]>();
    for (const r of records) if (r.kind === 'withdrawn' || r.kind === 'paused') groups.set(r.at, [...(groups.get(r.at) ?? []), r]);
    expect(groups.size).toBeGreaterThan(0);
    for (const g of groups.values()) {
      const rank = g.map((r) => (r.kind === 'withdrawn' ? 0 : r.kind === 'paused' && r.wh >= 5 ? 1 : 2));
      expect(rank).toEqual([...rank].sort((a, b) => a - b));
    }
  });

  it('offers ports strictly in number order and serves no number twice', () => {
    const waiting = new Set<number>();
    const started = new Set<number>();
    const ended = new Set<number>();
    let offers = 0;
    for (const r of records) {
      if (r.kind === 'taken') waiting.add(r.number);
      else if (r.kind === 'withdrawn') waiting.add(r.number);
      else if (r.kind === 'cancelled') waiting.delete(r.number);
      else if (r.kind === 'offered') {
        offers++;
        expect(r.number).toBe(Math.min(...waiting));
        waiting.delete(r.number);
      } else if (r.kind === 'started') {
        expect(started.has(r.number)).toBe(false);
        started.add(r.number);
      } else if (r.kind === 'ended') {
        expect(ended.has(r.number)).toBe(false);
        expect(started.has(r.number)).toBe(true);
        ended.add(r.number);
      }
    }
    expect(offers).toBeGreaterThan(100);
    // Every number taken is accounted for: served, missed, cancelled, or still waiting at the end.
    const taken = records.filter((r) => r.kind === 'taken').map((r) => (r.kind === 'taken' ? r.number : 0));
    const closed = new Set(records.flatMap((r) => (r.kind === 'missed' || r.kind === 'cancelled' || r.kind === 'started' ? [r.number] : [])));
    for (const n of taken) expect(closed.has(n) || waiting.has(n) || [...sim.residents].some((x) => x.number === n && x.outcome === 'waiting')).toBe(true);
  });

  it('ends sessions correctly on full, unplug and timeout', () => {
    const res = byNumber();
    const ends = records.filter((r): r is Extract<ChargingRecord, { kind: 'ended' }> => r.kind === 'ended');
    const count = (e: string) => ends.filter((r) => r.end === e).length;
    expect(count('full')).toBeGreaterThan(10);
    expect(count('unplugged')).toBeGreaterThan(10);
    expect(count('timeout')).toBeGreaterThan(10);
    for (const e of ends) {
      const r = res.get(e.number)!;
      expect(r.port).toBe(e.port);
      // 'full' means the draw tapered below unplugFromMa (2 W) first: the phone was at least 96 % (taper from 80 %).
      if (e.end === 'full') expect(r.phone!.level).toBeGreaterThan(0.96);
      if (e.end === 'unplugged') {
        expect(r.unpluggedAt).not.toBeNull();
        expect(r.unpluggedAt!).toBeLessThanOrEqual(e.at);
        // A port that is off (paused for power) cannot see an unplug: it is seen when the session resumes.
        const resumed = records.filter((x) => x.kind === 'resumed' && x.number === e.number && x.at <= e.at).map((x) => x.at);
        expect(e.at - Math.max(r.unpluggedAt!, ...resumed)).toBeLessThanOrEqual(2 * MIN);
      }
      if (e.end === 'timeout') {
        expect(e.activeMs).toBeGreaterThanOrEqual(90 * MIN);
        expect(e.activeMs).toBeLessThan(92 * MIN);
        expect(r.unpluggedAt === null || r.unpluggedAt >= e.at).toBe(true);
      }
    }
  });

  it('isolates the over-current port: disabled, alert raised, the others keep serving', () => {
    const faultAt = t0 + FAULT_AT_H * H;
    const faults = records.filter((r) => r.kind === 'fault');
    expect(faults).toEqual([{ kind: 'fault', at: expect.any(Number), port: FAULTY_PORT, fault: 'overcurrent' }]);
    expect(faults[0]!.at - faultAt).toBeLessThan(MIN);
    expect(result.alerts.filter((a) => a.fault === 'overcurrent').map((a) => a.port)).toEqual([FAULTY_PORT]);
    expect(sim.world.hw.charger.relay(FAULTY_PORT)).toBe(false);
    const later = records.filter((r) => r.at > faults[0]!.at && (r.kind === 'offered' || r.kind === 'started'));
    expect(later.some((r) => 'port' in r && r.port === FAULTY_PORT)).toBe(false);
    expect(new Set(later.map((r) => ('port' in r ? r.port : -1))).size).toBe(7);
  });

  it('handles the charger going offline safely: alert, relays off by the node failsafe, service resumes', () => {
    expect(result.alerts.filter((a) => a.fault === 'charger-offline')).toHaveLength(1);
    // 3 minutes into the outage of the link the node's failsafe has switched every relay off.
    expect(commandsWhileOffline).toEqual([0]);
    const from = t0 + OFFLINE_AT_H * H;
    const back = from + 0.25 * H;
    expect(records.filter((r) => (r.kind === 'offered' || r.kind === 'started') && r.at > from && r.at < back)).toEqual([]);
    expect(records.some((r) => (r.kind === 'resumed' || r.kind === 'offered') && r.at >= back && r.at < back + 5 * MIN)).toBe(true);
  });

  it('exports hourly evidence that adds up to the session records', () => {
    const hours = sim.service!.evidence(t0, Infinity);
    // Hours without any record (night, charging off) are absent.
    expect(hours.length).toBeGreaterThan(48);
    const ends = records.filter((r) => r.kind === 'ended');
    expect(hours.reduce((s, h) => s + h.sessionsEnded, 0)).toBe(ends.length);
    expect(hours.reduce((s, h) => s + h.served, 0)).toBe(ends.filter((r) => r.kind === 'ended' && r.served).length);
    expect(hours.some((h) => h.refusedNoPower > 0)).toBe(true);
    expect(hours.some((h) => h.waitP95Min !== null)).toBe(true);
  });
});
