// Citizen help entries in SQLite. Statistics (kind, category, status, urgency, people, timestamps) stay for the
// evaluation; the personal part (what, where, when, contact) is one JSON column that the purge sets to NULL.
// The withdraw code is kept only as a hash, and only until the purge.
import type { Database, Statement } from 'better-sqlite3';
import type { Migration } from '../store/migrations.js';
import type { Contact, HelpCategory, HelpKind, HelpState, Urgency } from './schemas.js';

/** Version 9 in store/migrations.ts. Also holds the neighbourhood directory's places (directory/store.ts). */
export const HELP_MIGRATION: Omit<Migration, 'version'> = {
  name: 'citizen help and neighbourhood directory',
  up(db) {
    db.exec(`
      CREATE TABLE help_entries (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL,
        category TEXT NOT NULL,
        status TEXT NOT NULL,
        origin TEXT NOT NULL,
        urgency TEXT,
        people INTEGER,
        transport INTEGER NOT NULL DEFAULT 0,
        personal TEXT,
        code_hash TEXT,
        matched_with TEXT,
        report_id TEXT,
        escalated_at INTEGER,
        created_at INTEGER NOT NULL,
        updated_at INTEGER NOT NULL,
        expires_at INTEGER NOT NULL,
        matched_at INTEGER,
        done_at INTEGER,
        withdrawn_at INTEGER,
        expired_at INTEGER,
        purged_at INTEGER
      ) STRICT;
      CREATE UNIQUE INDEX help_entries_code ON help_entries (code_hash) WHERE code_hash IS NOT NULL;
      CREATE INDEX help_entries_status ON help_entries (status, expires_at);
      CREATE TABLE directory_places (
        id TEXT PRIMARY KEY,
        source TEXT NOT NULL,
        body TEXT NOT NULL,
        updated_at INTEGER NOT NULL
      ) STRICT;
    `);
  },
};

export interface HelpPersonal {
  what: string;
  where: string;
  when: string;
  contact: Contact;
}

export interface HelpRow {
  id: string;
  kind: HelpKind;
  category: HelpCategory;
  status: HelpState;
  origin: 'resident' | 'staff';
  urgency: Urgency | null;
  people: number | null;
  transport: boolean;
  personal: HelpPersonal | null;
  matchedWith: string | null;
  reportId: string | null;
  escalatedAt: number | null;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  matchedAt: number | null;
  doneAt: number | null;
  withdrawnAt: number | null;
  expiredAt: number | null;
  purgedAt: number | null;
}

interface RawRow {
  id: string;
  kind: string;
  category: string;
  status: string;
  origin: string;
  urgency: string | null;
  people: number | null;
  transport: number;
  personal: string | null;
  matched_with: string | null;
  report_id: string | null;
  escalated_at: number | null;
  created_at: number;
  updated_at: number;
  expires_at: number;
  matched_at: number | null;
  done_at: number | null;
  withdrawn_at: number | null;
  expired_at: number | null;
  purged_at: number | null;
}

function toRow(r: RawRow): HelpRow {
  return {
    id: r.id,
    kind: r.kind as HelpKind,
    category: r.category as HelpCategory,
    status: r.status as HelpState,
    origin: r.origin as HelpRow['origin'],
    urgency: r.urgency as Urgency | null,
    people: r.people,
    transport: r.transport === 1,
    personal: r.personal === null ? null : (JSON.parse(r.personal) as HelpPersonal),
    matchedWith: r.matched_with,
    reportId: r.report_id,
    escalatedAt: r.escalated_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    expiresAt: r.expires_at,
    matchedAt: r.matched_at,
    doneAt: r.done_at,
    withdrawnAt: r.withdrawn_at,
    expiredAt: r.expired_at,
    purgedAt: r.purged_at,
  };
}

export interface NewEntry {
  id: string;
  kind: HelpKind;
  category: HelpCategory;
  origin: HelpRow['origin'];
  urgency: Urgency | null;
  people: number | null;
  transport: boolean;
  personal: HelpPersonal;
  codeHash: string;
  createdAt: number;
  expiresAt: number;
}

/** One count row: entries of a kind and category in a state. */
export interface CountRow {
  kind: HelpKind;
  category: HelpCategory;
  status: HelpState;
  n: number;
}

export interface DemandRow {
  category: HelpCategory;
  urgency: Urgency;
  people: number | null;
}

export class HelpStore {
  private readonly s: Record<string, Statement>;

  constructor(readonly db: Database) {
    this.s = {
      insert: db.prepare(`INSERT INTO help_entries (id, kind, category, status, origin, urgency, people, transport, personal, code_hash,
        created_at, updated_at, expires_at) VALUES (@id, @kind, @category, 'open', @origin, @urgency, @people, @transport, @personal, @codeHash,
        @createdAt, @createdAt, @expiresAt)`),
      get: db.prepare('SELECT * FROM help_entries WHERE id = ?'),
      byCode: db.prepare('SELECT * FROM help_entries WHERE code_hash = ?'),
      codeTaken: db.prepare('SELECT 1 FROM help_entries WHERE code_hash = ?'),
      counts: db.prepare('SELECT kind, category, status, count(*) AS n FROM help_entries GROUP BY kind, category, status'),
      demand: db.prepare(`SELECT category, urgency, people FROM help_entries WHERE kind = 'request' AND status = 'open'`),
      due: db.prepare(`SELECT * FROM help_entries WHERE status IN ('open', 'matched') AND expires_at <= ?`),
      purge: db.prepare(`UPDATE help_entries SET personal = NULL, code_hash = NULL, purged_at = @now
        WHERE purged_at IS NULL AND created_at <= @before`),
      all: db.prepare('SELECT * FROM help_entries ORDER BY created_at'),
    };
  }

  insert(e: NewEntry): void {
    this.s.insert!.run({ ...e, transport: e.transport ? 1 : 0, personal: JSON.stringify(e.personal) });
  }

  get(id: string): HelpRow | null {
    const r = this.s.get!.get(id) as RawRow | undefined;
    return r ? toRow(r) : null;
  }

  byCode(hash: string): HelpRow | null {
    const r = this.s.byCode!.get(hash) as RawRow | undefined;
    return r ? toRow(r) : null;
  }

  codeTaken(hash: string): boolean {
    return this.s.codeTaken!.get(hash) !== undefined;
  }

  /**
   * Changes one entry's state and stamps the time of that state. The code hash stays until the purge, so a
   * resident can still see that their entry was done. `matchedWith` undefined leaves the link as it is.
   */
  setState(id: string, status: HelpState, now: number, matchedWith?: string | null): void {
    const stamp: Partial<Record<HelpState, string>> = { matched: 'matched_at', done: 'done_at', withdrawn: 'withdrawn_at', expired: 'expired_at' };
    const col = stamp[status];
    const sets = ['status = @status', 'updated_at = @now'];
    if (col) sets.push(`${col} = @now`);
    if (matchedWith !== undefined) sets.push('matched_with = @matchedWith');
    this.db.prepare(`UPDATE help_entries SET ${sets.join(', ')} WHERE id = @id`).run({ id, status, now, matchedWith: matchedWith ?? null });
  }

  setEscalated(id: string, reportId: string, now: number): void {
    this.db.prepare('UPDATE help_entries SET report_id = ?, escalated_at = ?, updated_at = ? WHERE id = ?').run(reportId, now, now, id);
  }

  list(filter: { kind?: HelpKind; statuses?: readonly HelpState[]; category?: HelpCategory; limit: number }): HelpRow[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (filter.kind) {
      where.push('kind = ?');
      args.push(filter.kind);
    }
    if (filter.category) {
      where.push('category = ?');
      args.push(filter.category);
    }
    if (filter.statuses) {
      where.push(`status IN (${filter.statuses.map(() => '?').join(', ')})`);
      args.push(...filter.statuses);
    }
    const sql = `SELECT * FROM help_entries ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY created_at DESC, rowid DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, filter.limit) as RawRow[]).map(toRow);
  }

  counts(): CountRow[] {
    return this.s.counts!.all() as CountRow[];
  }

  openDemand(): DemandRow[] {
    return this.s.demand!.all() as DemandRow[];
  }

  dueForExpiry(now: number): HelpRow[] {
    return (this.s.due!.all(now) as RawRow[]).map(toRow);
  }

  /** Erases the personal part of entries created at or before `before`; returns how many. */
  purgeBefore(before: number, now: number): number {
    return this.s.purge!.run({ before, now }).changes;
  }

  all(): HelpRow[] {
    return (this.s.all!.all() as RawRow[]).map(toRow);
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }
}
