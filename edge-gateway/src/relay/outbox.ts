// The relay's durable outbox: every message a service submits is in SQLite (committed, fsynced by
// the store's synchronous=FULL) before submit() returns, and leaves only when the coordinator
// acknowledges it, so a crash, a reboot or a dead link loses nothing. Statuses (and help counts) coalesce:
// only the newest matters, so a new one replaces any of its kind not yet acknowledged.
import type { Database, Statement } from 'better-sqlite3';
import type { Migration } from '../store/migrations.js';
import type { RelayKind, RelayPayload } from './messages.js';
import { PRIORITY, SEQ_WINDOW, SEQ_WINDOW_ROUTINE, hasSeq } from './messages.js';

export type OutboxState = 'pending' | 'inflight';
export type RelayPathName = 'ip' | 'lora';

export interface OutboxRow {
  /** Row id, never reused (AUTOINCREMENT): what an IP ack names. */
  id: number;
  kind: RelayKind;
  priority: number;
  /** Apply-once message id (emergency, needs, safe), given at the first send; null before and for a status. LoRa carries seq & 63. */
  seq: number | null;
  payload: RelayPayload;
  created: number;
  attempts: number;
  state: OutboxState;
  /** Path of the last attempt. */
  path: RelayPathName | null;
  sentAt: number | null;
  /** An in-flight message not acknowledged by then is sent again; a pending one waits until then. */
  retryAt: number | null;
  /** The LoRaWAN network confirmed the last LoRa uplink (confirmed uplink); the coordinator's ack is still awaited. */
  confirmed: boolean;
}

export class OutboxError extends Error {
  override name = 'OutboxError';
}

/** Schema of the outbox; the lead appends it to store/migrations.ts (renumber `version` to fit). */
export const relayOutboxMigration: Migration = {
  version: 2,
  name: 'relay-outbox',
  up(db) {
    db.exec(`
      CREATE TABLE relay_outbox (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        kind TEXT NOT NULL,
        priority INTEGER NOT NULL,
        seq INTEGER UNIQUE,
        payload TEXT NOT NULL,
        created INTEGER NOT NULL,
        attempts INTEGER NOT NULL DEFAULT 0,
        state TEXT NOT NULL DEFAULT 'pending',
        path TEXT,
        sent_at INTEGER,
        retry_at INTEGER,
        confirmed INTEGER NOT NULL DEFAULT 0
      ) STRICT;
      CREATE TABLE relay_counter (
        name TEXT PRIMARY KEY,
        value INTEGER NOT NULL
      ) STRICT, WITHOUT ROWID;
      INSERT INTO relay_counter (name, value) VALUES ('seq', 0);
    `);
  },
};

interface DbRow {
  id: number;
  kind: string;
  priority: number;
  seq: number | null;
  payload: string;
  created: number;
  attempts: number;
  state: string;
  path: string | null;
  sent_at: number | null;
  retry_at: number | null;
  confirmed: number;
}

function toRow(r: DbRow): OutboxRow {
  return {
    id: r.id,
    kind: r.kind as RelayKind,
    priority: r.priority,
    seq: r.seq,
    payload: JSON.parse(r.payload) as RelayPayload,
    created: r.created,
    attempts: r.attempts,
    state: r.state as OutboxState,
    path: r.path as RelayPathName | null,
    sentAt: r.sent_at,
    retryAt: r.retry_at,
    confirmed: r.confirmed === 1,
  };
}

export class Outbox {
  private readonly stmts: {
    nextSeq: Statement<[]>;
    bumpSeq: Statement<[]>;
    dropKind: Statement<[string]>;
    insert: Statement<[string, number, string, number]>;
    setSeq: Statement<[number, number]>;
    all: Statement<[]>;
    get: Statement<[number]>;
    markSent: Statement<[string, number, number | null, number]>;
    markConfirmed: Statement<[number]>;
    requeue: Statement<[number | null, number]>;
    requeuePath: Statement<[string]>;
    remove: Statement<[number]>;
    minSeq: Statement<[]>;
    count: Statement<[]>;
  };

  constructor(private readonly db: Database) {
    this.stmts = {
      nextSeq: db.prepare(`SELECT value FROM relay_counter WHERE name = 'seq'`),
      bumpSeq: db.prepare(`UPDATE relay_counter SET value = value + 1 WHERE name = 'seq'`),
      dropKind: db.prepare(`DELETE FROM relay_outbox WHERE kind = ?`),
      insert: db.prepare(`INSERT INTO relay_outbox (kind, priority, payload, created) VALUES (?, ?, ?, ?) RETURNING *`),
      setSeq: db.prepare(`UPDATE relay_outbox SET seq = ? WHERE id = ?`),
      all: db.prepare(`SELECT * FROM relay_outbox ORDER BY priority, id`),
      get: db.prepare(`SELECT * FROM relay_outbox WHERE id = ?`),
      markSent: db.prepare(`UPDATE relay_outbox SET state = 'inflight', attempts = attempts + 1, path = ?, sent_at = ?, retry_at = ?, confirmed = 0 WHERE id = ?`),
      markConfirmed: db.prepare(`UPDATE relay_outbox SET confirmed = 1 WHERE id = ?`),
      requeue: db.prepare(`UPDATE relay_outbox SET state = 'pending', retry_at = ? WHERE id = ?`),
      requeuePath: db.prepare(`UPDATE relay_outbox SET state = 'pending', retry_at = NULL WHERE state = 'inflight' AND path = ?`),
      remove: db.prepare(`DELETE FROM relay_outbox WHERE id = ?`),
      minSeq: db.prepare(`SELECT min(seq) AS s FROM relay_outbox WHERE seq IS NOT NULL`),
      count: db.prepare(`SELECT count(*) AS n FROM relay_outbox`),
    };
  }

  /** Stores a message durably and returns its row; a status (help counts) replaces every unacknowledged one of its kind. */
  accept(p: RelayPayload, now: number): OutboxRow {
    const tx = this.db.transaction((): OutboxRow => {
      if (!hasSeq(p.kind)) this.stmts.dropKind.run(p.kind);
      return toRow(this.stmts.insert.get(p.kind, PRIORITY[p.kind], JSON.stringify(p), now) as DbRow);
    });
    try {
      return tx();
    } catch (err) {
      throw new OutboxError(`cannot store the ${p.kind} message`, { cause: err });
    }
  }

  /**
   * Gives a message its apply-once id when it is first sent (on either path), so ids follow the order
   * of sending — an emergency that overtook a backlog gets the next id, not one far beyond the window.
   * Every later copy, on any path, carries the same id. Returns the row as updated.
   */
  assignSeq(row: OutboxRow): OutboxRow {
    if (row.seq !== null || !hasSeq(row.kind)) return row;
    const tx = this.db.transaction((): number => {
      const seq = (this.stmts.nextSeq.get() as { value: number }).value;
      this.stmts.bumpSeq.run();
      this.stmts.setSeq.run(seq, row.id);
      return seq;
    });
    return { ...row, seq: tx() };
  }

  /** Every message, most urgent first, oldest first within a priority. */
  rows(): OutboxRow[] {
    return (this.stmts.all.all() as DbRow[]).map(toRow);
  }

  get(id: number): OutboxRow | null {
    const r = this.stmts.get.get(id) as DbRow | undefined;
    return r ? toRow(r) : null;
  }

  size(): number {
    return (this.stmts.count.get() as { n: number }).n;
  }

  /** Lowest unacknowledged apply-once id (or the next one to be given out). */
  seqFloor(): number {
    const s = (this.stmts.minSeq.get() as { s: number | null }).s;
    return s ?? (this.stmts.nextSeq.get() as { value: number }).value;
  }

  /**
   * Whether a message may go out now without breaking the id window (see SEQ_WINDOW): one with an id
   * always may; one still needing an id only if the next id stays within the window of its kind.
   */
  inWindow(row: OutboxRow, floor = this.seqFloor()): boolean {
    if (row.seq !== null || !hasSeq(row.kind)) return true;
    const next = (this.stmts.nextSeq.get() as { value: number }).value;
    return next < floor + (row.kind === 'emergency' ? SEQ_WINDOW : SEQ_WINDOW_ROUTINE);
  }

  /** The next message due at `now` (pending, or in flight without an ack past its retry time). */
  next(now: number, accept: (row: OutboxRow) => boolean = () => true): OutboxRow | null {
    const floor = this.seqFloor();
    for (const r of this.rows()) {
      if (r.retryAt !== null && r.retryAt > now) continue;
      if (!this.inWindow(r, floor)) continue;
      if (accept(r)) return r;
    }
    return null;
  }

  markSent(id: number, path: RelayPathName, now: number, retryAt: number | null): void {
    // Whole ms for the INTEGER columns (a clock at a fractional --speed gives fractions).
    this.stmts.markSent.run(path, Math.floor(now), retryAt === null ? null : Math.ceil(retryAt), id);
  }

  markConfirmed(id: number): void {
    this.stmts.markConfirmed.run(id);
  }

  /** Back to pending, optionally not before `at`. */
  requeue(id: number, at: number | null = null): void {
    // Whole ms: waits derived from airtime / duty cycle are fractional, and retry_at is an INTEGER column.
    this.stmts.requeue.run(at === null ? null : Math.ceil(at), id);
  }

  /** Everything in flight on a path that went down is due again at once (on the other path). */
  requeuePath(path: RelayPathName): number {
    return this.stmts.requeuePath.run(path).changes;
  }

  /** Removes acknowledged rows by row id; returns the rows removed (unknown ids are ignored). */
  ackRefs(refs: readonly number[]): OutboxRow[] {
    const tx = this.db.transaction(() => {
      const out: OutboxRow[] = [];
      for (const id of refs) {
        const r = this.get(id);
        if (r && this.stmts.remove.run(id).changes) out.push(r);
      }
      return out;
    });
    return tx();
  }

  /**
   * Removes rows acknowledged by their 6-bit LoRa id (downAck); the id window makes the match unique.
   * Only rows already sent count, so a stale ack for an earlier use of the id cannot drop a new message.
   */
  ackLoraIds(ids: readonly number[]): OutboxRow[] {
    const wanted = new Set(ids.map((i) => i & 63));
    const floor = this.seqFloor();
    const refs = this.rows()
      .filter((r) => r.seq !== null && r.attempts > 0 && r.seq < floor + SEQ_WINDOW && wanted.has(r.seq & 63))
      .map((r) => r.id);
    return this.ackRefs(refs);
  }
}
