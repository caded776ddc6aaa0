// The coordinator's silence rule for points heard over LoRa, consistent with the points' status feed
// (relay/status-lora.ts): hourly by default, stretched to ~5.4 h at SF12 to fit the airtime share.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { CoordinatorMonitor } from '../../src/coordinator/monitor.js';
import { PointBook } from '../../src/coordinator/point-book.js';
import { lorawanAirtimeMs } from '../../src/lora/airtime.js';
import type { StatusReport } from '../../src/relay/messages.js';
import { LoraBudget } from '../../src/relay/scheduler.js';
import { pacedIntervalMs } from '../../src/relay/status-lora.js';
import { migrate } from '../../src/store/migrations.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
const report: StatusReport = { fuelPct: 50, hoursToEmpty: null, batteryPct: 70, batteryV: 25.1, generator: 'unknown', visitorsPresent: 4, visitorsLastHour: null, chargingW: null, chargingSessions: null, alarms: [], link: 'ip_down' };

function setup() {
  const db = new Database(':memory:');
  migrate(db);
  const clock = new ManualClock(Date.UTC(2026, 10, 27, 6));
  const monitor = new CoordinatorMonitor({ db, book: new PointBook(3 * MIN), clock, log: silentLogger });
  const heard = () => monitor.loraStatus('p9', report, clock.now());
  const at = (ms: number) => {
    clock.advance(ms);
    monitor.tick();
    return { online: monitor.overview()[0]!.online, silent: monitor.openAlerts().some((a) => a.rule === 'point-silent') };
  };
  return { heard, at };
}

describe('coordinator: silence of a point on LoRa', () => {
  it('expects the hourly heartbeat: online through two missed hours, silent after three', () => {
    const t = setup();
    t.heard();
    expect(t.at(HOUR)).toEqual({ online: true, silent: false });
    t.heard();
    expect(t.at(2 * HOUR + 59 * MIN)).toEqual({ online: true, silent: false });
    expect(t.at(2 * MIN)).toEqual({ online: false, silent: true });
    t.heard();
    expect(t.at(MIN)).toEqual({ online: true, silent: false });
  });

  it('learns an SF12 point’s stretched interval and holds it online between its statuses', () => {
    const t = setup();
    const interval = pacedIntervalMs(HOUR, lorawanAirtimeMs(12, 12), new LoraBudget());
    expect(interval).toBeGreaterThan(5 * HOUR);
    t.heard();
    t.at(interval);
    t.heard(); // one gap learnt: 5.4 h
    t.at(interval);
    t.heard();
    expect(t.at(2 * interval)).toEqual({ online: true, silent: false });
    expect(t.at(interval + MIN)).toEqual({ online: false, silent: true });
  });
});
