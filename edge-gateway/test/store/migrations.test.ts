import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Migration } from '../../src/store/index.js';
import { currentVersion, migrate, MigrationError, Store } from '../../src/store/index.js';
import { ALL_MIGRATIONS } from '../../src/store/migrations.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ns-mig-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

const tables = (db: Database.Database) =>
  (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[]).filter((n) => !n.startsWith('sqlite_'));

describe('migrations', () => {
  it('creates the schema on :memory: and records each version', () => {
    const store = Store.open(':memory:');
    expect(tables(store.db)).toEqual(expect.arrayContaining(['dedup_floor', 'events', 'hourly', 'links', 'messages', 'meta', 'nodes', 'schema_migrations']));
    const rows = store.db.prepare('SELECT version, name FROM schema_migrations ORDER BY version').all();
    expect(rows).toEqual(ALL_MIGRATIONS.map((m) => ({ version: m.version, name: m.name })));
    // Versions are unique and strictly increasing: a feature's migration can never shadow another's.
    const versions = ALL_MIGRATIONS.map((m) => m.version);
    expect(versions).toEqual([...versions].sort((x, y) => x - y));
    expect(new Set(versions).size).toBe(versions.length);
    store.close();
  });

  it('opens a file in WAL with synchronous=FULL and small pages, and does not re-run migrations', () => {
    const path = join(dir, 'gw.db');
    const a = Store.open(path);
    expect(a.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(a.db.pragma('synchronous', { simple: true })).toBe(2);
    expect(a.db.pragma('page_size', { simple: true })).toBe(1024);
    expect(a.boot).toBe(1);
    // Exclusive by default: the WAL index lives in memory, so there is no -shm file to write back.
    expect(a.db.pragma('locking_mode', { simple: true })).toBe('exclusive');
    expect(existsSync(path + '-shm')).toBe(false);
    a.close();
    const b = Store.open(path);
    expect(b.boot).toBe(2);
    expect(b.db.prepare('SELECT count(*) FROM schema_migrations').pluck().get()).toBe(ALL_MIGRATIONS.length);
    b.close();
  });

  it('lets other processes read when opened shared', () => {
    const path = join(dir, 'shared.db');
    const a = Store.open(path, { shared: true });
    a.appendEvents([{ ts: 1, level: 'info', source: 'test', kind: 'k' }]);
    const reader = new Database(path, { readonly: true });
    expect(reader.prepare('SELECT count(*) FROM events').pluck().get()).toBe(1);
    reader.close();
    a.close();
  });

  it('applies newer migrations in order, each in its own transaction', () => {
    const db = new Database(':memory:');
    const order: number[] = [];
    const list: Migration[] = [
      { version: 2, name: 'two', up: (d) => (order.push(2), d.exec('CREATE TABLE two (x INTEGER)')) },
      { version: 1, name: 'one', up: (d) => (order.push(1), d.exec('CREATE TABLE one (x INTEGER)')) },
    ];
    expect(migrate(db, list)).toBe(2);
    expect(order).toEqual([1, 2]);
    const more: Migration[] = [...list, { version: 3, name: 'three', up: (d) => (order.push(3), d.exec('ALTER TABLE one ADD COLUMN y TEXT')) }];
    expect(migrate(db, more)).toBe(3);
    expect(order).toEqual([1, 2, 3]);
    db.close();
  });

  it('rolls a failing migration back completely and reports it', () => {
    const db = new Database(':memory:');
    migrate(db, [{ version: 1, name: 'one', up: (d) => d.exec('CREATE TABLE one (x INTEGER)') }]);
    const broken: Migration = {
      version: 2,
      name: 'broken',
      up: (d) => {
        d.exec('CREATE TABLE half (x INTEGER)');
        d.exec('INSERT INTO no_such_table VALUES (1)');
      },
    };
    expect(() => migrate(db, [{ version: 1, name: 'one', up: () => {} }, broken])).toThrow(MigrationError);
    expect(currentVersion(db)).toBe(1);
    expect(tables(db)).not.toContain('half');
    db.close();
  });

  it('refuses a database from a newer gateway', () => {
    const path = join(dir, 'new.db');
    const db = new Database(path);
    migrate(db, [...ALL_MIGRATIONS, { version: 99, name: 'future', up: () => {} }]);
    db.close();
    expect(() => Store.open(path)).toThrow(/newer than this gateway/);
  });
});
