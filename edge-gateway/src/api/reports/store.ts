// Resident reports in SQLite. Personal fields live in `personal` (JSON) so the retention purge is one
// UPDATE that nulls it; `summary` keeps the non-personal part (kind, category, people) for statistics.
import type { Database, Statement } from 'better-sqlite3';
import type { Migration } from '../../store/migrations.js';
import type { ReportKind } from './schemas.js';

export const REPORT_STATUSES = ['submitted', 'sent', 'confirmed'] as const;
export type ReportStatus = (typeof REPORT_STATUSES)[number];

/** Suggested version 5 (after AUTH_MIGRATION 4): the lead renumbers on append. */
export const REPORTS_MIGRATION: Migration = {
  version: 5,
  name: 'api-reports',
  up(db) {
    db.exec(`
      CREATE TABLE reports (
        id TEXT PRIMARY KEY,
        receipt_hash TEXT NOT NULL UNIQUE,
        kind TEXT NOT NULL CHECK (kind IN ('emergency', 'need', 'safe')),
        status TEXT NOT NULL CHECK (status IN ('submitted', 'sent', 'confirmed')),
        summary TEXT NOT NULL,
        personal TEXT,
        created_at INTEGER NOT NULL,
        sent_at INTEGER,
        confirmed_at INTEGER,
        purged_at INTEGER
      ) STRICT;
      CREATE INDEX reports_created ON reports (created_at);
    `);
  },
};

export interface ReportRecord {
  id: string;
  kind: ReportKind;
  status: ReportStatus;
  summary: Record<string, unknown>;
  /** null once purged. */
  personal: Record<string, unknown> | null;
  createdAt: number;
  sentAt: number | null;
  confirmedAt: number | null;
  purgedAt: number | null;
}

interface Raw {
  id: string;
  kind: ReportKind;
  status: ReportStatus;
  summary: string;
  personal: string | null;
  created_at: number;
  sent_at: number | null;
  confirmed_at: number | null;
  purged_at: number | null;
}

const toRecord = (r: Raw): ReportRecord => ({
  id: r.id,
  kind: r.kind,
  status: r.status,
  summary: JSON.parse(r.summary) as Record<string, unknown>,
  personal: r.personal === null ? null : (JSON.parse(r.personal) as Record<string, unknown>),
  createdAt: r.created_at,
  sentAt: r.sent_at,
  confirmedAt: r.confirmed_at,
  purgedAt: r.purged_at,
});

export class ReportStore {
  private readonly st: {
    insert: Statement<[string, string, ReportKind, string, string, number]>;
    byId: Statement<[string], Raw>;
    byReceipt: Statement<[string], Raw>;
    sent: Statement<[number, string]>;
    confirmed: Statement<[number, number, string]>;
    unsent: Statement<[], Raw>;
    recent: Statement<[number], Raw>;
    purge: Statement<[number, number]>;
  };

  constructor(db: Database) {
    this.st = {
      insert: db.prepare("INSERT INTO reports (id, receipt_hash, kind, status, summary, personal, created_at) VALUES (?, ?, ?, 'submitted', ?, ?, ?)"),
      byId: db.prepare('SELECT * FROM reports WHERE id = ?'),
      byReceipt: db.prepare('SELECT * FROM reports WHERE receipt_hash = ?'),
      // never moves a confirmed report back
      sent: db.prepare("UPDATE reports SET status = 'sent', sent_at = ? WHERE id = ? AND status = 'submitted'"),
      confirmed: db.prepare("UPDATE reports SET status = 'confirmed', confirmed_at = ?, sent_at = coalesce(sent_at, ?) WHERE id = ? AND status != 'confirmed'"),
      unsent: db.prepare("SELECT * FROM reports WHERE status = 'submitted' AND personal IS NOT NULL ORDER BY created_at"),
      recent: db.prepare('SELECT * FROM reports ORDER BY created_at DESC LIMIT ?'),
      purge: db.prepare('UPDATE reports SET personal = NULL, purged_at = ? WHERE created_at < ? AND personal IS NOT NULL'),
    };
  }

  insert(id: string, receiptHash: string, kind: ReportKind, summary: object, personal: object, now: number): void {
    this.st.insert.run(id, receiptHash, kind, JSON.stringify(summary), JSON.stringify(personal), now);
  }

  get(id: string): ReportRecord | null {
    const r = this.st.byId.get(id);
    return r ? toRecord(r) : null;
  }

  byReceipt(receiptHash: string): ReportRecord | null {
    const r = this.st.byReceipt.get(receiptHash);
    return r ? toRecord(r) : null;
  }

  markSent(id: string, now: number): boolean {
    return this.st.sent.run(now, id).changes > 0;
  }

  markConfirmed(id: string, now: number): boolean {
    return this.st.confirmed.run(now, now, id).changes > 0;
  }

  unsent(): ReportRecord[] {
    return this.st.unsent.all().map(toRecord);
  }

  recent(limit: number): ReportRecord[] {
    return this.st.recent.all(limit).map(toRecord);
  }

  /** Nulls the personal fields of reports created before `before`; returns how many. */
  purgeBefore(before: number, now: number): number {
    return this.st.purge.run(now, before).changes;
  }
}
