// Versioned schema. Append new migrations; never edit one that has shipped.
// Each runs inside its own transaction together with its row in `schema_migrations`.
import type { Database } from 'better-sqlite3';
import { MigrationError } from './errors.js';
import { CHARGING_MIGRATION } from '../charging/store.js';
import { POINT_HISTORY_MIGRATION } from '../coordinator/history.js';
import { AUTH_MIGRATION } from '../api/auth/store.js';
import { REPORTS_MIGRATION } from '../api/reports/store.js';
import { relayOutboxMigration } from '../relay/outbox.js';
import { messageInboxMigration } from '../coordinator/message-inbox.js';
import { relayReportRefMigration } from '../relay/report-sink.js';
import { COORDINATOR_CONSOLE_MIGRATION } from '../coordinator/console-store.js';
import { HELP_MIGRATION } from '../help/store.js';
import { COMMISSIONING_MIGRATION } from '../commissioning/store.js';

export interface Migration {
  version: number;
  name: string;
  up(db: Database): void;
}

// Write volume on the SD card drives the layout:
// - `messages` has no secondary index: appends touch only the rightmost leaf. Dedup lives in memory and is
//   rebuilt from this table at start (see ingest/dedup.ts); retention walks it in rowid order.
// - node and link names are small integers in `messages` (a link name like `serial:/dev/ttyUSB0` costs 19 bytes a row).
// - STRICT tables reject a wrongly typed value instead of storing it, so a bad row fails alone (ingest rejects it).
// - `hourly` and `dedup_floor` are WITHOUT ROWID: their primary key is the only lookup they need. `hourly`
//   is keyed hour first, so each hour's rows append at the end instead of touching one page per series.
export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    name: 'initial',
    up(db) {
      db.exec(`
        CREATE TABLE nodes (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          kind TEXT,
          fw TEXT,
          first_seen INTEGER NOT NULL,
          last_seen INTEGER NOT NULL,
          boot INTEGER,
          boot_seen INTEGER,
          last_hb TEXT,
          last_hb_at INTEGER
        ) STRICT;
        CREATE TABLE links (
          id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE
        ) STRICT;
        CREATE TABLE messages (
          id INTEGER PRIMARY KEY,
          node INTEGER NOT NULL,
          boot INTEGER NOT NULL,
          seq INTEGER NOT NULL,
          ts INTEGER NOT NULL,
          received INTEGER NOT NULL,
          type TEXT NOT NULL,
          body TEXT NOT NULL,
          link INTEGER NOT NULL
        ) STRICT;
        CREATE TABLE hourly (
          node INTEGER NOT NULL,
          type TEXT NOT NULL,
          metric TEXT NOT NULL,
          hour INTEGER NOT NULL,
          n INTEGER NOT NULL,
          min REAL,
          max REAL,
          sum REAL,
          last REAL,
          last_at INTEGER,
          PRIMARY KEY (hour, node, type, metric)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE events (
          id INTEGER PRIMARY KEY,
          ts INTEGER NOT NULL,
          level TEXT NOT NULL,
          source TEXT NOT NULL,
          kind TEXT NOT NULL,
          data TEXT
        ) STRICT;
        CREATE TABLE dedup_floor (
          node INTEGER NOT NULL,
          boot INTEGER NOT NULL,
          seq INTEGER NOT NULL,
          PRIMARY KEY (node, boot)
        ) STRICT, WITHOUT ROWID;
        CREATE TABLE meta (
          key TEXT PRIMARY KEY,
          value ANY
        ) STRICT, WITHOUT ROWID;
      `);
    },
  },
];

/**
 * Every migration of the gateway, in order: the store's own, then each feature's tables (defined next to
 * the feature). Versions are assigned here, once; a shipped number is never reused.
 */
export const ALL_MIGRATIONS: readonly Migration[] = [
  ...MIGRATIONS,
  { ...CHARGING_MIGRATION, version: 2 },
  { ...POINT_HISTORY_MIGRATION, version: 3 },
  { ...AUTH_MIGRATION, version: 4 },
  { ...REPORTS_MIGRATION, version: 5 },
  { ...relayOutboxMigration, version: 6 },
  { ...messageInboxMigration, version: 7 },
  { ...relayReportRefMigration, version: 8 },
  { ...HELP_MIGRATION, version: 9 },
  { ...COMMISSIONING_MIGRATION, version: 10 },
  { ...COORDINATOR_CONSOLE_MIGRATION, version: 11 },
];

/** Applies every migration newer than the database, in order; returns the resulting version. */
export function migrate(db: Database, migrations: readonly Migration[] = ALL_MIGRATIONS): number {
  db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    applied_at INTEGER NOT NULL
  ) STRICT`);
  const current = currentVersion(db);
  const known = migrations.reduce((m, x) => Math.max(m, x.version), 0);
  if (current > known) {
    throw new MigrationError(`database schema version ${current} is newer than this gateway knows (${known})`);
  }
  const record = db.prepare('INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)');
  const pending = [...migrations].filter((m) => m.version > current).sort((a, b) => a.version - b.version);
  for (const m of pending) {
    try {
      db.transaction(() => {
        m.up(db);
        record.run(m.version, m.name, Date.now());
      })();
    } catch (err) {
      throw new MigrationError(`migration ${m.version} (${m.name}) failed`, { cause: err });
    }
  }
  return currentVersion(db);
}

export function currentVersion(db: Database): number {
  const row = db.prepare('SELECT max(version) AS v FROM schema_migrations').get() as { v: number | null };
  return row.v ?? 0;
}
