// SQLite persistence of the charging service, in the gateway's database (better-sqlite3): one row with
// the queue/port snapshot (rewritten on change, see ChargingService.save) and append-only evidence rows.
// Tables come from CHARGING_MIGRATION, which the gateway appends to store/migrations.ts.
import type { Database, Statement } from 'better-sqlite3';
import type { Migration } from '../store/migrations.js';
import type { ChargingPersistence, ChargingRecord, ChargingSnapshot } from './types.js';

export class ChargingStoreError extends Error {
  override name = 'ChargingStoreError';
}

/**
 * Suggested version 2: the lead renumbers it if another migration lands first (never edit one that shipped).
 * STRICT tables; the snapshot is a single row (id = 1) so a save is one page write. Records are keyed by
 * rowid (they arrive in time order) with an index on `at` for the per-hour export.
 */
export const CHARGING_MIGRATION: Migration = {
  version: 2,
  name: 'charging',
  up(db) {
    db.exec(`
      CREATE TABLE charging_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        saved_at INTEGER NOT NULL,
        snapshot TEXT NOT NULL
      ) STRICT;
      CREATE TABLE charging_records (
        id INTEGER PRIMARY KEY,
        at INTEGER NOT NULL,
        kind TEXT NOT NULL,
        data TEXT NOT NULL
      ) STRICT;
      CREATE INDEX charging_records_at ON charging_records (at);
    `);
  },
};

/** `base` with CHARGING_MIGRATION appended unless it is already there (before and after the gateway wires it in). */
export function withChargingMigration(base: readonly Migration[]): Migration[] {
  return base.some((m) => m.name === CHARGING_MIGRATION.name) ? [...base] : [...base, CHARGING_MIGRATION];
}

export class SqliteChargingPersistence implements ChargingPersistence {
  private readonly getState: Statement<[], { snapshot: string }>;
  private readonly putState: Statement<[number, string]>;
  private readonly insert: Statement<[number, string, string]>;
  private readonly range: Statement<[number, number], { data: string }>;
  private readonly prune: Statement<[number]>;

  /** `db` must already carry CHARGING_MIGRATION; `now` stamps saves (the gateway's clock). */
  constructor(
    db: Database,
    private readonly now: () => number = Date.now,
  ) {
    try {
      this.getState = db.prepare('SELECT snapshot FROM charging_state WHERE id = 1');
      this.putState = db.prepare('INSERT INTO charging_state (id, saved_at, snapshot) VALUES (1, ?, ?) ON CONFLICT (id) DO UPDATE SET saved_at = excluded.saved_at, snapshot = excluded.snapshot');
      this.insert = db.prepare('INSERT INTO charging_records (at, kind, data) VALUES (?, ?, ?)');
      this.range = db.prepare('SELECT data FROM charging_records WHERE at >= ? AND at < ? ORDER BY at, id');
      this.prune = db.prepare('DELETE FROM charging_records WHERE at < ?');
    } catch (err) {
      throw new ChargingStoreError('charging tables missing: apply CHARGING_MIGRATION first', { cause: err });
    }
  }

  loadSnapshot(): ChargingSnapshot | null {
    const row = this.getState.get();
    if (!row) return null;
    try {
      return JSON.parse(row.snapshot) as ChargingSnapshot;
    } catch (err) {
      throw new ChargingStoreError('charging snapshot is not valid JSON', { cause: err });
    }
  }

  saveSnapshot(s: ChargingSnapshot): void {
    this.putState.run(this.now(), JSON.stringify(s));
  }

  append(r: ChargingRecord): void {
    this.insert.run(r.at, r.kind, JSON.stringify(r));
  }

  records(from: number, to: number): ChargingRecord[] {
    return this.range.all(from, to).map((row) => JSON.parse(row.data) as ChargingRecord);
  }

  /** Deletes evidence older than `before` (after it has been exported); returns rows deleted. */
  pruneBefore(before: number): number {
    return this.prune.run(before).changes;
  }
}
