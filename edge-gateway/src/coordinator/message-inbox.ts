// Apply-once store of the reports points relay (emergency, needs, safe) and their latest status.
// A message is keyed by (point, seq): the same report arriving twice — a LoRa retransmission after a
// lost downAck, or the IP copy of something LoRa already delivered — is recognised and not applied
// again, but still acknowledged so the point can forget it.
import type { Database, Statement } from 'better-sqlite3';
import type { Migration } from '../store/migrations.js';
import type { RelayKind } from '../relay/messages.js';
import { SEQ_WINDOW } from '../relay/messages.js';

/** Schema of the inbox; the lead appends it to store/migrations.ts (renumber `version` to fit). */
export const messageInboxMigration: Migration = {
  version: 3,
  name: 'relay-inbox',
  up(db) {
    db.exec(`
      CREATE TABLE relay_inbox (
        point TEXT NOT NULL,
        seq INTEGER NOT NULL,
        kind TEXT NOT NULL,
        body TEXT NOT NULL,
        created INTEGER,
        received INTEGER NOT NULL,
        path TEXT NOT NULL,
        PRIMARY KEY (point, seq)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE relay_point_status (
        point TEXT PRIMARY KEY,
        body TEXT NOT NULL,
        at INTEGER NOT NULL,
        received INTEGER NOT NULL,
        path TEXT NOT NULL
      ) STRICT, WITHOUT ROWID;
    `);
  },
};

export type InboxPath = 'ip' | 'chirpstack' | 'ttn';

export interface InboxMessage {
  point: string;
  seq: number;
  kind: Exclude<RelayKind, 'status' | 'help'>;
  body: unknown;
  /** When the point took the report (IP: its clock; LoRa: received − ageMin for emergencies, else received). */
  created: number | null;
  received: number;
  path: InboxPath;
}

export class InboxError extends Error {
  override name = 'InboxError';
}

interface Row {
  point: string;
  seq: number;
  kind: string;
  body: string;
  created: number | null;
  received: number;
  path: string;
}

export class MessageInbox {
  private readonly stmts: {
    hi: Statement<[string]>;
    insert: Statement<[string, number, string, string, number | null, number, string]>;
    list: Statement<[string]>;
    all: Statement<[]>;
    status: Statement<[string]>;
    putStatus: Statement<[string, string, number, number, string]>;
  };

  constructor(db: Database) {
    this.stmts = {
      hi: db.prepare(`SELECT max(seq) AS hi FROM relay_inbox WHERE point = ?`),
      insert: db.prepare(`INSERT OR IGNORE INTO relay_inbox (point, seq, kind, body, created, received, path) VALUES (?, ?, ?, ?, ?, ?, ?)`),
      list: db.prepare(`SELECT * FROM relay_inbox WHERE point = ? ORDER BY seq`),
      all: db.prepare(`SELECT * FROM relay_inbox ORDER BY received, point, seq`),
      status: db.prepare(`SELECT body, at FROM relay_point_status WHERE point = ?`),
      putStatus: db.prepare(
        `INSERT INTO relay_point_status (point, body, at, received, path) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (point) DO UPDATE SET body = excluded.body, at = excluded.at, received = excluded.received, path = excluded.path
         WHERE excluded.at >= relay_point_status.at`,
      ),
    };
  }

  /** Highest seq received from a point, −1 before the first. */
  highest(point: string): number {
    return (this.stmts.hi.get(point) as { hi: number | null }).hi ?? -1;
  }

  /**
   * The full seq of a 6-bit LoRa id. The point keeps its unacknowledged ids within SEQ_WINDOW of its
   * lowest one, and everything below that was acknowledged (so seen here): the id is the one within
   * [highest − 31, highest + 32]. Null if that is below 0 (an id from before this point's first).
   */
  resolveLoraId(point: string, id: number): number | null {
    if (!Number.isInteger(id) || id < 0 || id > 63) throw new InboxError(`LoRa id must be 0–63, got ${id}`);
    const lo = this.highest(point) - (SEQ_WINDOW - 1);
    const seq = lo + ((((id - lo) % 64) + 64) % 64);
    return seq >= 0 ? seq : null;
  }

  /** Stores a message once; `applied` is false when (point, seq) was already there. */
  apply(m: InboxMessage): { applied: boolean } {
    const r = this.stmts.insert.run(m.point, m.seq, m.kind, JSON.stringify(m.body), m.created, m.received, m.path);
    return { applied: r.changes === 1 };
  }

  /** Keeps the newest status of a point (by `at`); returns whether this one is now the latest. */
  applyStatus(point: string, body: unknown, at: number, received: number, path: InboxPath): boolean {
    return this.stmts.putStatus.run(point, JSON.stringify(body), at, received, path).changes === 1;
  }

  status(point: string): { body: unknown; at: number } | null {
    const r = this.stmts.status.get(point) as { body: string; at: number } | undefined;
    return r ? { body: JSON.parse(r.body) as unknown, at: r.at } : null;
  }

  messages(point?: string): InboxMessage[] {
    const rows = (point === undefined ? this.stmts.all.all() : this.stmts.list.all(point)) as Row[];
    return rows.map((r) => ({
      point: r.point,
      seq: r.seq,
      kind: r.kind as InboxMessage['kind'],
      body: JSON.parse(r.body) as unknown,
      created: r.created,
      received: r.received,
      path: r.path as InboxPath,
    }));
  }
}
