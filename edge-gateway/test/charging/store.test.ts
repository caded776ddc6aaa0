import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { CHARGING_MIGRATION, ChargingStoreError, SqliteChargingPersistence, withChargingMigration } from '../../src/charging/store.js';
import type { ChargingSnapshot } from '../../src/charging/types.js';
import { MIGRATIONS, currentVersion, migrate } from '../../src/store/index.js';

function db() {
  const d = new Database(':memory:');
  migrate(d, withChargingMigration(MIGRATIONS));
  return d;
}

const snapshot: ChargingSnapshot = { nextNumber: 4, tickets: [], ports: [], holderStarts: { abc: [1, 2] }, stage: 'reduced', policy: 'budget' };

describe('SQLite charging persistence', () => {
  it('applies as a migration after the existing ones', () => {
    const d = db();
    expect(currentVersion(d)).toBeGreaterThanOrEqual(CHARGING_MIGRATION.version);
    const tables = d.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'charging%' ORDER BY name").pluck().all();
    expect(tables).toEqual(['charging_records', 'charging_state']);
  });

  it('keeps one snapshot row, replaced on each save', () => {
    const d = db();
    const p = new SqliteChargingPersistence(d, () => 1000);
    expect(p.loadSnapshot()).toBeNull();
    p.saveSnapshot(snapshot);
    p.saveSnapshot({ ...snapshot, nextNumber: 9 });
    expect(p.loadSnapshot()).toEqual({ ...snapshot, nextNumber: 9 });
    expect(d.prepare('SELECT count(*) FROM charging_state').pluck().get()).toBe(1);
  });

  it('returns records of a time range in order and prunes old ones', () => {
    const p = new SqliteChargingPersistence(db());
    p.append({ kind: 'taken', at: 10, number: 1 });
    p.append({ kind: 'refused', at: 20, reason: 'no-power' });
    p.append({ kind: 'taken', at: 30, number: 2 });
    expect(p.records(10, 30)).toEqual([
      { kind: 'taken', at: 10, number: 1 },
      { kind: 'refused', at: 20, reason: 'no-power' },
    ]);
    expect(p.pruneBefore(20)).toBe(1);
    expect(p.records(0, 100).map((r) => r.at)).toEqual([20, 30]);
  });

  it('refuses a database without the charging tables, naming the migration', () => {
    const d = new Database(':memory:');
    migrate(d, MIGRATIONS.filter((m) => m.name !== CHARGING_MIGRATION.name));
    expect(() => new SqliteChargingPersistence(d)).toThrow(ChargingStoreError);
    expect(() => new SqliteChargingPersistence(d)).toThrow(/CHARGING_MIGRATION/);
  });
});
