// The coordinator's monitor on a real SQLite database with a virtual clock: alerts survive a restart and
// close when their condition clears afterwards (no duplicate); a point heard only over LoRa is judged by
// LoRa's report interval and its compact status feeds the rules; the fuel forecast; chart thinning.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { CoordinatorMonitor, thin } from '../../src/coordinator/monitor.js';
import { PointBook } from '../../src/coordinator/point-book.js';
import type { PointStatus } from '../../src/protocol/index.js';
import type { StatusReport } from '../../src/relay/messages.js';
import { migrate } from '../../src/store/migrations.js';

const MIN = 60_000;

function status(seq: number, ts: number, fuelPct: number): PointStatus {
  return {
    v: 1,
    point: 'p1',
    name: 'Dorpshuis',
    seq,
    ts,
    nodes: [],
    fuel: { litres: (fuelPct / 100) * 60, pct: fuelPct, status: 'ok' },
    battery: { v: 25.5, soc: 70, a: 2 },
    visitors: { inside: 5, entries: seq },
    charging: null,
    alarms: [],
  };
}

function monitorOn(db: Database.Database, clock: ManualClock) {
  const book = new PointBook(3 * MIN);
  const changed: { id: number; state: string }[] = [];
  const monitor = new CoordinatorMonitor({ db, book, clock, log: silentLogger, on: { alert: (a) => changed.push(a) } });
  let seq = 0;
  const send = (fuelPct: number) => {
    const s = status(++seq, clock.now(), fuelPct);
    if (book.applyStatus(s, clock.now()) === 'accepted') monitor.status(s, clock.now());
  };
  return { monitor, book, send, changed };
}

const lora = (over: Partial<StatusReport> = {}): StatusReport => ({
  fuelPct: 40,
  hoursToEmpty: 12,
  batteryPct: 65,
  batteryV: 25.2,
  generator: 'running',
  visitorsPresent: 14,
  visitorsLastHour: 30,
  chargingW: 50,
  chargingSessions: 3,
  alarms: [],
  link: 'ip_down',
  ...over,
});

describe('coordinator monitor', () => {
  it('continues an open alert after a restart and closes it when the condition clears, without a duplicate', () => {
    const db = new Database(':memory:');
    migrate(db);
    const clock = new ManualClock(Date.UTC(2026, 10, 27, 8, 0));
    const first = monitorOn(db, clock);
    first.send(7);
    clock.advance(30_000);
    first.send(7);
    first.monitor.tick();
    const [raised] = first.monitor.openAlerts();
    expect(raised).toMatchObject({ rule: 'fuel-low', state: 'open', conditionActive: true });
    first.monitor.acknowledge(raised!.id, 'coord');
    first.monitor.flush();

    // Restart: a new monitor and point book on the same database.
    clock.advance(MIN);
    const second = monitorOn(db, clock);
    second.send(7);
    clock.advance(30_000);
    second.send(7);
    second.monitor.tick();
    expect(second.monitor.openAlerts().map((a) => [a.id, a.state])).toEqual([[raised!.id, 'acknowledged']]);
    second.send(60);
    clock.advance(30_000);
    second.send(60);
    second.monitor.tick();
    expect(second.monitor.openAlerts()).toEqual([]);
    expect(second.monitor.listAlerts({ state: 'all', limit: 10 })).toMatchObject([{ id: raised!.id, state: 'resolved', resolution: 'auto', acknowledgedBy: 'coord' }]);
    expect(second.changed.map((a) => [a.id, a.state])).toEqual([[raised!.id, 'resolved']]);
  });

  it('judges a point heard only over LoRa by LoRa’s interval, and raises alerts from its compact status', () => {
    const db = new Database(':memory:');
    migrate(db);
    const clock = new ManualClock(Date.UTC(2026, 10, 27, 8, 0));
    const { monitor } = monitorOn(db, clock);
    monitor.loraStatus('p2', lora({ generator: 'fault' }), clock.now());
    monitor.tick();
    expect(monitor.overview()[0]).toMatchObject({ point: 'p2', link: 'lora', online: true, lora: { fuelPct: 40, generator: 'fault' }, status: null });
    // Two hours without a word is normal on LoRa (hourly status heartbeat, relay/status-lora.ts), not on MQTT.
    clock.advance(5 * MIN);
    monitor.tick();
    expect(monitor.openAlerts().map((a) => a.rule)).toEqual(['generator-stopped']);
    clock.advance(115 * MIN);
    monitor.tick();
    expect(monitor.overview()[0]!.online).toBe(true);
    expect(monitor.openAlerts().map((a) => a.rule)).toEqual(['generator-stopped']);
    clock.advance(61 * MIN); // 181 min: three LoRa reports missed
    monitor.tick();
    expect(monitor.overview()[0]!.online).toBe(false);
    expect(monitor.openAlerts().map((a) => a.rule).sort()).toEqual(['generator-stopped', 'point-silent']);
    // The next status clears the silence at once.
    monitor.loraStatus('p2', lora({ generator: 'running' }), clock.now());
    expect(monitor.openAlerts().map((a) => a.rule)).toEqual(['generator-stopped']);
    expect(monitor.overview()[0]!.urgency).toBeGreaterThanOrEqual(500);
  });

  it('forecasts hours to empty from the statuses, in litres, and ranks the point by it', () => {
    const db = new Database(':memory:');
    migrate(db);
    const clock = new ManualClock(Date.UTC(2026, 10, 27, 8, 0));
    const { monitor, send } = monitorOn(db, clock);
    // 60 L tank: 3 L/h from 30 L → 10 h to empty.
    for (let i = 0; i <= 60; i++) {
      send(50 - (5 * i) / 60);
      clock.advance(MIN);
    }
    const [p] = monitor.overview();
    expect(p!.forecast).toMatchObject({ kind: 'estimate', unit: 'l', confidence: 'high' });
    expect(p!.forecast!.hoursToEmpty).toBeCloseTo(9, 0); // 27 L left at 3 L/h
    expect(p!.forecast!.ratePerHour).toBeCloseTo(3, 1);
    expect(p!.urgency).toBeCloseTo((48 - p!.forecast!.hoursToEmpty!) * 5, 0);
    const d = monitor.detail('p1', 2, 600);
    expect(d.series.t).toHaveLength(61);
    expect(d.battery.kind).toBe('steady');
  });

  it('learns a point’s own report interval: every 5 minutes over MQTT is silent after three missed, not after 3 minutes', () => {
    const db = new Database(':memory:');
    migrate(db);
    const clock = new ManualClock(Date.UTC(2026, 10, 27, 8, 0));
    const { monitor, send } = monitorOn(db, clock);
    for (let i = 0; i < 4; i++) {
      send(50);
      clock.advance(5 * MIN);
    }
    clock.advance(4 * MIN); // 9 minutes since the last status
    monitor.tick();
    expect(monitor.overview()[0]!.online).toBe(true);
    expect(monitor.openAlerts()).toEqual([]);
    clock.advance(7 * MIN); // 16 minutes: three reports missed
    monitor.tick();
    expect(monitor.overview()[0]!.online).toBe(false);
    expect(monitor.openAlerts().map((a) => a.rule)).toEqual(['point-silent']);
  });

  it('thins chart series by averaging equal time bins', () => {
    const samples = Array.from({ length: 1000 }, (_, i) => ({ t: i * 1000, v: { fuelPct: i % 2 ? 10 : 20, batterySoc: i < 500 ? null : 50 } }));
    const s = thin(samples, 0, 1_000_000, 100);
    expect(s.t).toHaveLength(100);
    expect(s.fuelPct.every((v) => v === 15)).toBe(true);
    expect(s.batterySoc.slice(0, 50).every((v) => v === null)).toBe(true);
    expect(s.batterySoc.slice(50).every((v) => v === 50)).toBe(true);
    expect(s.chargingW.every((v) => v === null)).toBe(true);
  });
});
