import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { HISTORY_BUCKET_MS, POINT_HISTORY_MIGRATION, PointHistory } from '../../src/coordinator/history.js';
import type { PointStatus } from '../../src/protocol/index.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';

const status = (point: string, seq: number, ts: number, pct: number | null): PointStatus => ({
  v: 1,
  point,
  name: point,
  seq,
  ts,
  nodes: [],
  fuel: pct === null ? null : { litres: pct / 4, pct, status: 'ok' },
  battery: { v: 25, soc: 70, a: -1 },
  visitors: { inside: 3, entries: 9 },
  charging: null,
  alarms: seq % 2 ? ['charger:failsafe'] : [],
});

describe('PointHistory on SQLite', () => {
  let db: Database.Database;
  let h: PointHistory;
  beforeEach(() => {
    db = new Database(':memory:');
    expect(migrate(db, [...MIGRATIONS.filter((m) => m.version < POINT_HISTORY_MIGRATION.version), POINT_HISTORY_MIGRATION])).toBe(POINT_HISTORY_MIGRATION.version);
    h = new PointHistory(db);
  });
  afterEach(() => db.close());

  it('stores statuses in batches and reads them back per point', () => {
    for (let i = 0; i < 10; i++) {
      h.record(status('p1', i, i * 60_000, 80 - i), i * 60_000 + 5);
      h.record(status('p2', i, i * 60_000, null), i * 60_000 + 5);
    }
    expect(h.queued).toBe(20);
    expect(h.flush()).toBe(20);
    expect(h.flush()).toBe(0);
    const rows = h.rows('p1', 0, 5 * 60_000);
    expect(rows).toHaveLength(6);
    expect(rows[1]).toMatchObject({ point: 'p1', seq: 1, fuel_pct: 79, fuel_l: 19.75, inside: 3, alarms: ['charger:failsafe'] });
    expect(h.fuelReadings('p1', 8 * 60_000)).toEqual([
      { t: 8 * 60_000, level: 72 },
      { t: 9 * 60_000, level: 71 },
    ]);
    expect(h.fuelReadings('p2', 0)).toEqual([]);
  });

  it('folds old rows into 15-minute buckets, merging a bucket folded in two passes', () => {
    const t0 = 100 * HISTORY_BUCKET_MS;
    // 30 readings a minute apart: two full buckets.
    for (let i = 0; i < 30; i++) h.record(status('p1', i, t0 + i * 60_000, 50 - i), 0);
    h.flush();
    // First pass folds the first 10 minutes only.
    expect(h.downsample(t0 + 10 * 60_000, 0).folded).toBe(10);
    expect(h.buckets('p1', 'fuel_pct', 0, Infinity)).toEqual([{ bucket: t0, n: 10, min: 41, max: 50, avg: 45.5, last: 41 }]);
    const r = h.downsample(t0 + 60 * 60_000, 0);
    expect(r.folded).toBe(20);
    expect(h.buckets('p1', 'fuel_pct', 0, Infinity)).toEqual([
      { bucket: t0, n: 15, min: 36, max: 50, avg: 43, last: 36 },
      { bucket: t0 + HISTORY_BUCKET_MS, n: 15, min: 21, max: 35, avg: 28, last: 21 },
    ]);
    expect(h.rows('p1', 0, Infinity)).toEqual([]);
    expect(h.buckets('p1', 'inside', 0, Infinity).map((b) => b.n)).toEqual([15, 15]);
    // Bucket retention: six metrics with values (charging_w is null) × the older bucket.
    expect(h.downsample(t0 + 2 * HISTORY_BUCKET_MS, 0, HISTORY_BUCKET_MS).droppedBuckets).toBe(6);
    expect(h.buckets('p1', 'fuel_pct', 0, Infinity).map((b) => b.bucket)).toEqual([t0 + HISTORY_BUCKET_MS]);
  });
});
