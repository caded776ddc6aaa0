// Per-point status history on the coordinator: every accepted status as a row for two days (the
// forecast window and the console's recent graphs), then folded into 15-minute buckets
// (min/avg/max/last) kept for 90 days. 1,000 points every 5 minutes is 288,000 rows a day, so
// writes are batched into one transaction per flush.
import type { Database, Statement } from 'better-sqlite3';
import type { PointStatus } from '../protocol/index.js';
import type { Migration } from '../store/migrations.js';
import type { LevelReading } from './forecast.js';

export const HISTORY_BUCKET_MS = 15 * 60_000;
export const DEFAULT_RAW_RETENTION_MS = 2 * 24 * 3_600_000;
export const DEFAULT_BUCKET_RETENTION_MS = 90 * 24 * 3_600_000;

const METRICS = ['fuel_l', 'fuel_pct', 'batt_v', 'batt_soc', 'batt_a', 'inside', 'charging_w'] as const;
export type HistoryMetric = (typeof METRICS)[number];

/** Appended by the lead to store/migrations.ts MIGRATIONS (renumber `version` if another came first). */
export const POINT_HISTORY_MIGRATION: Migration = {
  version: 2,
  name: 'coordinator point history',
  up(db) {
    db.exec(`
      CREATE TABLE point_status (
        point TEXT NOT NULL,
        ts INTEGER NOT NULL,
        received INTEGER NOT NULL,
        seq INTEGER NOT NULL,
        ${METRICS.map((m) => `${m} ${m === 'inside' ? 'INTEGER' : 'REAL'}`).join(',\n        ')},
        alarms TEXT NOT NULL
      ) STRICT;
      CREATE INDEX point_status_point_ts ON point_status (point, ts);
      CREATE TABLE point_status_15m (
        point TEXT NOT NULL,
        bucket INTEGER NOT NULL,
        metric TEXT NOT NULL,
        n INTEGER NOT NULL,
        min REAL NOT NULL,
        max REAL NOT NULL,
        sum REAL NOT NULL,
        last REAL NOT NULL,
        last_at INTEGER NOT NULL,
        PRIMARY KEY (point, metric, bucket)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};

export interface HistoryRow {
  point: string;
  ts: number;
  received: number;
  seq: number;
  fuel_l: number | null;
  fuel_pct: number | null;
  batt_v: number | null;
  batt_soc: number | null;
  batt_a: number | null;
  inside: number | null;
  charging_w: number | null;
  alarms: string[];
}

export interface Bucket {
  bucket: number;
  n: number;
  min: number;
  max: number;
  avg: number;
  last: number;
}

export function historyRow(s: PointStatus, received: number): HistoryRow {
  return {
    point: s.point,
    ts: s.ts,
    received,
    seq: s.seq,
    fuel_l: s.fuel?.litres ?? null,
    fuel_pct: s.fuel?.pct ?? null,
    batt_v: s.battery?.v ?? null,
    batt_soc: s.battery?.soc ?? null,
    batt_a: s.battery?.a ?? null,
    inside: s.visitors?.inside ?? null,
    charging_w: s.charging?.watts ?? null,
    alarms: s.alarms,
  };
}

export class PointHistory {
  private readonly insert: Statement;
  private readonly selectRows: Statement;
  private readonly selectFuel: Record<'fuel_l' | 'fuel_pct', Statement>;
  private readonly selectBuckets: Statement;
  private readonly pending: HistoryRow[] = [];

  /** `db` must have POINT_HISTORY_MIGRATION applied. */
  constructor(private readonly db: Database) {
    this.insert = db.prepare(
      `INSERT INTO point_status (point, ts, received, seq, ${METRICS.join(', ')}, alarms) VALUES (@point, @ts, @received, @seq, ${METRICS.map((m) => '@' + m).join(', ')}, @alarms)`,
    );
    this.selectRows = db.prepare('SELECT * FROM point_status WHERE point = ? AND ts >= ? AND ts <= ? ORDER BY ts');
    const fuel = (col: string) => db.prepare(`SELECT ts AS t, ${col} AS level FROM point_status WHERE point = ? AND ts >= ? AND ${col} IS NOT NULL ORDER BY ts`);
    this.selectFuel = { fuel_l: fuel('fuel_l'), fuel_pct: fuel('fuel_pct') };
    this.selectBuckets = db.prepare('SELECT bucket, n, min, max, sum / n AS avg, last FROM point_status_15m WHERE point = ? AND metric = ? AND bucket >= ? AND bucket <= ? ORDER BY bucket');
  }

  /** Queues a status; call `flush()` periodically (one transaction for the whole batch). */
  record(s: PointStatus, received: number): void {
    this.pending.push(historyRow(s, received));
  }

  get queued(): number {
    return this.pending.length;
  }

  flush(): number {
    const rows = this.pending.splice(0);
    if (!rows.length) return 0;
    this.db.transaction(() => {
      for (const r of rows) this.insert.run({ ...r, alarms: JSON.stringify(r.alarms) });
    })();
    return rows.length;
  }

  rows(point: string, from: number, to: number): HistoryRow[] {
    const raw = this.selectRows.all(point, from, to) as (Omit<HistoryRow, 'alarms'> & { alarms: string })[];
    return raw.map((r) => ({ ...r, alarms: JSON.parse(r.alarms) as string[] }));
  }

  /** Fuel levels for the forecast (litres when the point reports them, else percent). */
  fuelReadings(point: string, since: number, unit: 'fuel_l' | 'fuel_pct' = 'fuel_pct'): LevelReading[] {
    return this.selectFuel[unit].all(point, since) as LevelReading[];
  }

  buckets(point: string, metric: HistoryMetric, from: number, to: number): Bucket[] {
    return this.selectBuckets.all(point, metric, from, to) as Bucket[];
  }

  /**
   * Folds raw rows older than `rawRetentionMs` into 15-minute buckets (merging with a bucket that
   * already has rows) and deletes them; drops buckets older than `bucketRetentionMs`.
   */
  downsample(now: number, rawRetentionMs = DEFAULT_RAW_RETENTION_MS, bucketRetentionMs = DEFAULT_BUCKET_RETENTION_MS): { folded: number; droppedBuckets: number } {
    const cutoff = now - rawRetentionMs;
    return this.db.transaction(() => {
      for (const m of METRICS) {
        // `last` is the value of the newest row in the group: SQLite takes the bare column from the max() row.
        this.db
          .prepare(
            `INSERT INTO point_status_15m (point, bucket, metric, n, min, max, sum, last, last_at)
             SELECT point, (ts / ${HISTORY_BUCKET_MS}) * ${HISTORY_BUCKET_MS}, '${m}', count(*), min(${m}), max(${m}), sum(${m}), ${m}, max(ts)
             FROM point_status WHERE ts < ? AND ${m} IS NOT NULL GROUP BY point, ts / ${HISTORY_BUCKET_MS}
             ON CONFLICT (point, metric, bucket) DO UPDATE SET
               n = n + excluded.n, min = min(min, excluded.min), max = max(max, excluded.max), sum = sum + excluded.sum,
               last = CASE WHEN excluded.last_at >= last_at THEN excluded.last ELSE last END,
               last_at = max(last_at, excluded.last_at)`,
          )
          .run(cutoff);
      }
      const folded = this.db.prepare('DELETE FROM point_status WHERE ts < ?').run(cutoff).changes;
      const droppedBuckets = this.db.prepare('DELETE FROM point_status_15m WHERE bucket < ?').run(now - bucketRetentionMs).changes;
      return { folded, droppedBuckets };
    })();
  }
}
