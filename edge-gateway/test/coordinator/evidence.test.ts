// Pilot-evidence counters and export from known input on a real SQLite database: uptime with a gap,
// visitor and charging counters that restart, fuel used and refuelled from noisy levels, relayed reports
// and needs by category — and no personal data in the CSV.
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { EVIDENCE_COLUMNS, EvidenceRecorder, evidenceRows, toCsv } from '../../src/coordinator/evidence.js';
import { MessageInbox } from '../../src/coordinator/message-inbox.js';
import type { PointStatus } from '../../src/protocol/index.js';
import { migrate } from '../../src/store/migrations.js';

const T0 = Date.UTC(2026, 10, 27, 10, 0);
const MIN = 60_000;
const COVER = 3 * MIN; // silence limit of an MQTT point

function status(k: number, litres: number): PointStatus {
  return {
    v: 1,
    point: 'p1',
    name: 'Dorpshuis',
    seq: k + 1,
    ts: T0 + k * MIN,
    nodes: [],
    fuel: { litres, pct: (litres / 60) * 100, status: 'ok' },
    battery: null,
    // The entry counter restarts at k = 100 (the point restarted).
    visitors: { inside: k % 30, entries: k < 100 ? 100 + k : k - 100 },
    charging: null,
    alarms: [],
    chargingStats: { policy: 'budget', stage: 'normal', queue: 0, sessionsToday: Math.floor(k / 10), servedToday: 0, energyWhToday: 2.5 * k, refusedNoPowerToday: 0 },
  };
}

function setup() {
  const db = new Database(':memory:');
  migrate(db);
  const rec = new EvidenceRecorder(db);
  // A status a minute from 10:00 to 11:59, none from 11:10 to 11:29. Fuel drains 0.1 L/min with ±0.2 L
  // sensor noise and a slosh spike every 7th reading; 20 L refuelled at 10:30.
  for (let k = 0; k < 120; k++) {
    if (k >= 70 && k < 90) continue;
    const truth = 50 - 0.1 * k + (k >= 30 ? 20 : 0);
    const noise = (k % 2 ? 0.2 : -0.2) + (k % 7 === 3 ? 2.5 : 0);
    rec.status(status(k, truth + noise), T0 + k * MIN, COVER);
  }
  rec.flush();
  const inbox = new MessageInbox(db);
  inbox.apply({ point: 'p1', seq: 0, kind: 'emergency', body: { type: 'medical', severity: 'high', people: 1, note: 'Kerkstraat 4' }, created: null, received: T0 + 15 * MIN, path: 'ip' });
  inbox.apply({
    point: 'p1',
    seq: 1,
    kind: 'needs',
    body: { needs: [{ category: 'water', severity: 'high', people: 10 }, { category: 'food', severity: 'low', people: 3 }] },
    created: null,
    received: T0 + 65 * MIN,
    path: 'chirpstack',
  });
  inbox.apply({ point: 'p1', seq: 2, kind: 'safe', body: { people: 2, postcode: '9401 AB', houseNumber: 7, name: 'Jansen' }, created: null, received: T0 + 90 * MIN, path: 'ip' });
  return db;
}

const asObjects = (rows: (string | number | null)[][]) => rows.map((r) => Object.fromEntries(EVIDENCE_COLUMNS.map((c, i) => [c, r[i]])));

describe('pilot evidence', () => {
  it('counts per hour: uptime with a gap, counters across a restart, fuel used and added, reports and needs', () => {
    const db = setup();
    const rows = asObjects(evidenceRows(db, { from: T0, to: T0 + 2 * 3_600_000, period: 'hour' }));
    expect(rows).toHaveLength(2);
    const [h10, h11] = rows as [Record<string, unknown>, Record<string, unknown>];
    // 10:00: 60 statuses; each covers the minute before it (the first none), the one at 11:00 covers 10:59–11:00.
    expect(h10).toMatchObject({ point: 'p1', period_start: '2026-11-27T10:00:00.000Z', period_end: '2026-11-27T11:00:00.000Z', statuses: 60, uptime_pct: 100 });
    // 11:00: 40 statuses; the one after the 20-minute gap covers only the 3-minute silence limit → 9 + 3 + 29 = 41 minutes.
    expect(h11).toMatchObject({ statuses: 40, uptime_pct: 68.3 });
    expect(h10).toMatchObject({ visitors_entries: 59, visitors_inside_max: 29 });
    // 1 + 9 + 21 (across the gap) + 9 + 0 (restart: the counter read 0) + 19.
    expect(h11).toMatchObject({ visitors_entries: 59 });
    expect(h10).toMatchObject({ charging_sessions: 5, charging_energy_wh: 147.5 });
    expect(h11).toMatchObject({ charging_sessions: 6, charging_energy_wh: 150 });
    // True use: 0.1 L/min. Noise and slosh must not add up (naively summing the drops of the raw readings
    // gives 30.8 L here), and the refuel is counted apart. The median's lag puts the few minutes of use around
    // the refuel into the refuelled amount (~1 L here; the 5-reading median keeps slosh spikes out).
    expect(h10.fuel_used_l as number).toBeGreaterThan(4);
    expect(h10.fuel_used_l as number).toBeLessThan(6.4);
    expect(h10.fuel_added_l as number).toBeGreaterThan(19);
    expect(h10.fuel_added_l as number).toBeLessThan(20.7);
    expect(h11.fuel_used_l as number).toBeGreaterThan(5.5);
    expect(h11.fuel_used_l as number).toBeLessThan(6.5);
    expect(h11.fuel_added_l).toBe(0);
    expect(h10).toMatchObject({ messages_emergency: 1, messages_needs: 0, messages_safe: 0, needs_water: 0 });
    expect(h11).toMatchObject({ messages_emergency: 0, messages_needs: 1, messages_safe: 1, needs_water: 1, needs_food: 1, needs_medication: 0 });
  });

  it('adds hours up per day, filters by point, and exports counts only', () => {
    const db = setup();
    const [day] = asObjects(evidenceRows(db, { from: T0, to: T0 + 3_600_000 * 24, period: 'day' }));
    expect(day).toMatchObject({ period_start: '2026-11-27T00:00:00.000Z', period_end: '2026-11-28T00:00:00.000Z', statuses: 100, visitors_entries: 118, charging_sessions: 11, messages_needs: 1 });
    expect(day!.uptime_pct).toBe(7); // 101 of 1440 minutes
    expect(evidenceRows(db, { from: T0, to: T0 + 3_600_000 * 24, period: 'day', point: 'p2' })).toEqual([]);
    const csv = toCsv(EVIDENCE_COLUMNS, evidenceRows(db, { from: T0, to: T0 + 2 * 3_600_000, period: 'hour' }));
    const lines = csv.trimEnd().split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]!.split(',')).toEqual([...EVIDENCE_COLUMNS]);
    expect(lines[1]!.split(',')).toHaveLength(EVIDENCE_COLUMNS.length);
    expect(csv).not.toMatch(/Jansen|Kerkstraat|9401/);
  });

  it('leaves fuel empty for a point that reports no litres', () => {
    const db = new Database(':memory:');
    migrate(db);
    const rec = new EvidenceRecorder(db);
    for (let k = 0; k < 3; k++) rec.status({ ...status(k, 1), fuel: { litres: null, pct: 50, status: 'ok' } }, T0 + k * MIN, COVER);
    rec.flush();
    const [row] = asObjects(evidenceRows(db, { from: T0, to: T0 + 3_600_000, period: 'hour' }));
    expect(row).toMatchObject({ statuses: 3, fuel_used_l: null, fuel_added_l: null });
  });
});
