// What the coordinator console keeps beyond the raw history: alerts with who acknowledged and resolved
// them, which relayed reports were read and handled, and hourly pilot-evidence counters per point
// (counts only: the export must never carry personal data).
import type { Database, Statement } from 'better-sqlite3';
import type { Migration } from '../store/migrations.js';
import type { Alert } from './alerts.js';

/** store/migrations.ts ALL_MIGRATIONS assigns version 11. */
export const COORDINATOR_CONSOLE_MIGRATION: Migration = {
  version: 11,
  name: 'coordinator alerts, inbox marks and evidence',
  up(db) {
    db.exec(`
      CREATE TABLE coord_alert (
        id INTEGER PRIMARY KEY,
        point TEXT NOT NULL,
        rule TEXT NOT NULL,
        severity TEXT NOT NULL,
        state TEXT NOT NULL,
        condition_active INTEGER NOT NULL,
        value TEXT NOT NULL,
        raised_at INTEGER NOT NULL,
        ack_at INTEGER,
        ack_by TEXT,
        cleared_at INTEGER,
        resolved_at INTEGER,
        resolved_by TEXT,
        resolution TEXT,
        note TEXT
      ) STRICT;
      CREATE INDEX coord_alert_point ON coord_alert (point, raised_at);
      CREATE INDEX coord_alert_unresolved ON coord_alert (state) WHERE state != 'resolved';
      CREATE TABLE coord_inbox_mark (
        point TEXT NOT NULL,
        seq INTEGER NOT NULL,
        read_at INTEGER,
        read_by TEXT,
        handled_at INTEGER,
        handled_by TEXT,
        PRIMARY KEY (point, seq)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE coord_evidence_hour (
        point TEXT NOT NULL,
        hour INTEGER NOT NULL,
        statuses INTEGER NOT NULL,
        lora_statuses INTEGER NOT NULL,
        covered_ms INTEGER NOT NULL,
        entries INTEGER NOT NULL,
        inside_max INTEGER,
        charging_sessions INTEGER NOT NULL,
        charging_wh REAL NOT NULL,
        fuel_used_l REAL,
        fuel_added_l REAL,
        PRIMARY KEY (point, hour)
      ) STRICT, WITHOUT ROWID;
    `);
  },
};

// ---- alerts ----

export type ConsoleAlertState = 'open' | 'acknowledged' | 'resolved';

/** An alert as the console shows it (see /work/team/coordinator-api.md `Alert`). */
export interface ConsoleAlert {
  id: number;
  point: string;
  pointName: string;
  rule: string;
  severity: 'critical' | 'warning';
  state: ConsoleAlertState;
  conditionActive: boolean;
  value: number | boolean;
  raisedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
  resolution: 'auto' | 'manual' | null;
  note: string | null;
}

/** A point's unresolved alerts: all of them, the critical ones, the ones nobody acknowledged yet. */
export interface AlertCounts {
  open: number;
  critical: number;
  unacknowledged: number;
}

interface AlertRow {
  id: number;
  point: string;
  rule: string;
  severity: string;
  state: string;
  condition_active: number;
  value: string;
  raised_at: number;
  ack_at: number | null;
  ack_by: string | null;
  cleared_at: number | null;
  resolved_at: number | null;
  resolved_by: string | null;
  resolution: string | null;
  note: string | null;
}

const ALERT_ORDER = `ORDER BY state = 'resolved', severity != 'critical', raised_at DESC, id DESC`;
const ALERT_COUNTS = `count(*) AS open, sum(severity = 'critical') AS critical, sum(ack_at IS NULL) AS unacknowledged`;

export class AlertStore {
  private readonly s: Record<'insert' | 'get' | 'ack' | 'resolve' | 'clear' | 'open' | 'openPoint' | 'all' | 'allPoint' | 'active' | 'maxId' | 'counts' | 'countsPoint', Statement>;

  constructor(db: Database) {
    this.s = {
      insert: db.prepare(
        `INSERT INTO coord_alert (id, point, rule, severity, state, condition_active, value, raised_at) VALUES (@id, @point, @rule, @severity, 'open', 1, @value, @raisedAt)`,
      ),
      get: db.prepare('SELECT * FROM coord_alert WHERE id = ?'),
      ack: db.prepare(`UPDATE coord_alert SET ack_at = ?, ack_by = ?, state = CASE WHEN state = 'open' THEN 'acknowledged' ELSE state END WHERE id = ? AND ack_at IS NULL`),
      resolve: db.prepare(`UPDATE coord_alert SET state = 'resolved', resolved_at = ?, resolved_by = ?, resolution = ?, note = ? WHERE id = ? AND state != 'resolved'`),
      clear: db.prepare(
        `UPDATE coord_alert SET condition_active = 0, cleared_at = ?,
           resolution = CASE WHEN state = 'resolved' THEN resolution ELSE 'auto' END,
           resolved_at = CASE WHEN state = 'resolved' THEN resolved_at ELSE ? END,
           state = 'resolved'
         WHERE id = ?`,
      ),
      open: db.prepare(`SELECT * FROM coord_alert WHERE state != 'resolved' ${ALERT_ORDER} LIMIT ?`),
      openPoint: db.prepare(`SELECT * FROM coord_alert WHERE state != 'resolved' AND point = ? ${ALERT_ORDER} LIMIT ?`),
      all: db.prepare(`SELECT * FROM coord_alert ${ALERT_ORDER} LIMIT ?`),
      allPoint: db.prepare(`SELECT * FROM coord_alert WHERE point = ? ${ALERT_ORDER} LIMIT ?`),
      active: db.prepare('SELECT * FROM coord_alert WHERE condition_active = 1'),
      maxId: db.prepare('SELECT max(id) AS id FROM coord_alert'),
      counts: db.prepare(`SELECT point, ${ALERT_COUNTS} FROM coord_alert WHERE state != 'resolved' GROUP BY point`),
      countsPoint: db.prepare(`SELECT point, ${ALERT_COUNTS} FROM coord_alert WHERE state != 'resolved' AND point = ? GROUP BY point`),
    };
  }

  private view(r: AlertRow, name: (point: string) => string): ConsoleAlert {
    return {
      id: r.id,
      point: r.point,
      pointName: name(r.point),
      rule: r.rule,
      severity: r.severity as ConsoleAlert['severity'],
      state: r.state as ConsoleAlertState,
      conditionActive: r.condition_active === 1,
      value: JSON.parse(r.value) as number | boolean,
      raisedAt: r.raised_at,
      acknowledgedAt: r.ack_at,
      acknowledgedBy: r.ack_by,
      resolvedAt: r.resolved_at,
      resolvedBy: r.resolved_by,
      resolution: r.resolution as ConsoleAlert['resolution'],
      note: r.note,
    };
  }

  raised(a: Alert): void {
    this.s.insert.run({ id: a.id, point: a.point, rule: a.rule, severity: a.severity, value: JSON.stringify(a.value), raisedAt: a.raisedAt });
  }

  /** The condition cleared: closes the alert automatically unless someone resolved it already. */
  cleared(id: number, at: number): void {
    this.s.clear.run(at, at, id);
  }

  /** False when there is no such unacknowledged alert (the caller checks why). */
  acknowledge(id: number, by: string, at: number): boolean {
    return this.s.ack.run(at, by, id).changes === 1;
  }

  resolve(id: number, by: string, at: number, note: string | null): boolean {
    return this.s.resolve.run(at, by, 'manual', note, id).changes === 1;
  }

  get(id: number, name: (point: string) => string = (p) => p): ConsoleAlert | null {
    const r = this.s.get.get(id) as AlertRow | undefined;
    return r ? this.view(r, name) : null;
  }

  list(o: { state: 'open' | 'all'; point?: string; limit: number }, name: (point: string) => string): ConsoleAlert[] {
    const rows = (
      o.state === 'open' ? (o.point ? this.s.openPoint.all(o.point, o.limit) : this.s.open.all(o.limit)) : o.point ? this.s.allPoint.all(o.point, o.limit) : this.s.all.all(o.limit)
    ) as AlertRow[];
    return rows.map((r) => this.view(r, name));
  }

  /** Unresolved alerts counted per point (only `point`'s when given); a point without any is absent. */
  counts(point?: string): Map<string, AlertCounts> {
    const rows = (point === undefined ? this.s.counts.all() : this.s.countsPoint.all(point)) as ({ point: string } & AlertCounts)[];
    return new Map(rows.map((r) => [r.point, { open: r.open, critical: r.critical, unacknowledged: r.unacknowledged }]));
  }

  /** Alerts whose condition was holding at the last stop, in the engine's form (for AlertEngine.restore). */
  activeForEngine(): Alert[] {
    return (this.s.active.all() as AlertRow[]).map((r) => ({
      id: r.id,
      point: r.point,
      rule: r.rule,
      severity: r.severity as Alert['severity'],
      state: r.state === 'resolved' ? 'resolved' : r.ack_at !== null ? 'acknowledged' : 'active',
      raisedAt: r.raised_at,
      value: JSON.parse(r.value) as number | boolean,
      acknowledgedAt: r.ack_at,
      acknowledgedBy: r.ack_by,
      clearedAt: null,
      resolvedAt: r.resolved_at,
      resolvedBy: r.resolved_by,
    }));
  }

  maxId(): number {
    return (this.s.maxId.get() as { id: number | null }).id ?? 0;
  }
}

// ---- inbox marks ----

export type InboxKind = 'emergency' | 'needs' | 'safe';
export const INBOX_KINDS: readonly InboxKind[] = ['emergency', 'needs', 'safe'];
export type InboxCounts = Record<InboxKind, { total: number; unread: number; unhandled: number }>;

export interface InboxItem {
  id: string;
  point: string;
  pointName: string;
  seq: number;
  kind: InboxKind;
  body: unknown;
  created: number | null;
  received: number;
  path: 'ip' | 'chirpstack' | 'ttn';
  /** The relay acknowledged it to the point on arrival (lora-ingest / IP ack): the resident sees "confirmed". */
  delivered: true;
  readAt: number | null;
  readBy: string | null;
  handledAt: number | null;
  handledBy: string | null;
}

interface InboxRow {
  point: string;
  seq: number;
  kind: string;
  body: string;
  created: number | null;
  received: number;
  path: string;
  read_at: number | null;
  read_by: string | null;
  handled_at: number | null;
  handled_by: string | null;
}

const INBOX_SELECT = `SELECT i.point, i.seq, i.kind, i.body, i.created, i.received, i.path, m.read_at, m.read_by, m.handled_at, m.handled_by
  FROM relay_inbox i LEFT JOIN coord_inbox_mark m ON m.point = i.point AND m.seq = i.seq`;

/** The coordinator's reading of the relay inbox (coordinator/message-inbox.ts): order, read and handled marks. */
export class InboxView {
  private readonly s: Record<'list' | 'one' | 'read' | 'handled' | 'unhandle' | 'counts' | 'countsPoint', Statement>;

  constructor(db: Database) {
    this.s = {
      // Emergencies first, then needs, then safe registrations; unhandled before handled; newest first.
      list: db.prepare(
        `${INBOX_SELECT}
         WHERE (@kind IS NULL OR i.kind = @kind) AND (@point IS NULL OR i.point = @point) AND (@unhandled = 0 OR m.handled_at IS NULL)
         ORDER BY CASE i.kind WHEN 'emergency' THEN 0 WHEN 'needs' THEN 1 ELSE 2 END, m.handled_at IS NOT NULL, i.received DESC, i.point, i.seq DESC
         LIMIT @limit`,
      ),
      one: db.prepare(`${INBOX_SELECT} WHERE i.point = ? AND i.seq = ?`),
      read: db.prepare(
        `INSERT INTO coord_inbox_mark (point, seq, read_at, read_by) VALUES (?, ?, ?, ?)
         ON CONFLICT (point, seq) DO UPDATE SET read_at = coalesce(read_at, excluded.read_at), read_by = coalesce(read_by, excluded.read_by)`,
      ),
      handled: db.prepare(
        `INSERT INTO coord_inbox_mark (point, seq, read_at, read_by, handled_at, handled_by) VALUES (@point, @seq, @at, @by, @at, @by)
         ON CONFLICT (point, seq) DO UPDATE SET read_at = coalesce(read_at, excluded.read_at), read_by = coalesce(read_by, excluded.read_by),
           handled_at = coalesce(handled_at, excluded.handled_at), handled_by = coalesce(handled_by, excluded.handled_by)`,
      ),
      unhandle: db.prepare('UPDATE coord_inbox_mark SET handled_at = NULL, handled_by = NULL WHERE point = ? AND seq = ?'),
      counts: db.prepare(
        `SELECT i.kind, count(*) AS total, sum(m.read_at IS NULL) AS unread, sum(m.handled_at IS NULL) AS unhandled
         FROM relay_inbox i LEFT JOIN coord_inbox_mark m ON m.point = i.point AND m.seq = i.seq GROUP BY i.kind`,
      ),
      countsPoint: db.prepare(
        `SELECT i.kind, count(*) AS total, sum(m.read_at IS NULL) AS unread, sum(m.handled_at IS NULL) AS unhandled
         FROM relay_inbox i LEFT JOIN coord_inbox_mark m ON m.point = i.point AND m.seq = i.seq WHERE i.point = ? GROUP BY i.kind`,
      ),
    };
  }

  private view(r: InboxRow, name: (point: string) => string): InboxItem {
    return {
      id: `${r.point}:${r.seq}`,
      point: r.point,
      pointName: name(r.point),
      seq: r.seq,
      kind: r.kind as InboxKind,
      body: JSON.parse(r.body) as unknown,
      created: r.created,
      received: r.received,
      path: r.path as InboxItem['path'],
      delivered: true,
      readAt: r.read_at,
      readBy: r.read_by,
      handledAt: r.handled_at,
      handledBy: r.handled_by,
    };
  }

  list(o: { kind?: InboxKind; point?: string; unhandled: boolean; limit: number }, name: (point: string) => string): InboxItem[] {
    const rows = this.s.list.all({ kind: o.kind ?? null, point: o.point ?? null, unhandled: o.unhandled ? 1 : 0, limit: o.limit }) as InboxRow[];
    return rows.map((r) => this.view(r, name));
  }

  get(point: string, seq: number, name: (point: string) => string): InboxItem | null {
    const r = this.s.one.get(point, seq) as InboxRow | undefined;
    return r ? this.view(r, name) : null;
  }

  markRead(point: string, seq: number, by: string, at: number): void {
    this.s.read.run(point, seq, at, by);
  }

  markHandled(point: string, seq: number, by: string, at: number, handled: boolean): void {
    if (handled) this.s.handled.run({ point, seq, at, by });
    else this.s.unhandle.run(point, seq);
  }

  counts(point?: string): InboxCounts {
    const out = Object.fromEntries(INBOX_KINDS.map((k) => [k, { total: 0, unread: 0, unhandled: 0 }])) as InboxCounts;
    const rows = (point === undefined ? this.s.counts.all() : this.s.countsPoint.all(point)) as { kind: string; total: number; unread: number; unhandled: number }[];
    for (const r of rows) if (r.kind in out) out[r.kind as InboxKind] = { total: r.total, unread: r.unread, unhandled: r.unhandled };
    return out;
  }
}
