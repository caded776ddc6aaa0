// Commissioning runs in SQLite: a run survives a reload of the console and a restart of the gateway.
// One row per run, one per (run, step) with the technician's verdict, and the measurements taken in a
// step as an append-only list (what the report is made of).
import type { Database } from 'better-sqlite3';
import type { StepStatus } from './steps.js';

export const COMMISSIONING_MIGRATION = {
  name: 'commissioning',
  up(db: Database): void {
    db.exec(`
      CREATE TABLE commissioning_runs (
        id INTEGER PRIMARY KEY,
        started_at INTEGER NOT NULL,
        started_by TEXT NOT NULL,
        finished_at INTEGER,
        finished_by TEXT,
        report TEXT
      ) STRICT;
      CREATE TABLE commissioning_steps (
        run INTEGER NOT NULL REFERENCES commissioning_runs(id),
        step TEXT NOT NULL,
        status TEXT NOT NULL,
        note TEXT,
        decided_at INTEGER,
        decided_by TEXT,
        PRIMARY KEY (run, step)
      ) STRICT, WITHOUT ROWID;
      CREATE TABLE commissioning_measurements (
        id INTEGER PRIMARY KEY,
        run INTEGER NOT NULL REFERENCES commissioning_runs(id),
        step TEXT NOT NULL,
        at INTEGER NOT NULL,
        by TEXT NOT NULL,
        what TEXT NOT NULL,
        ok INTEGER,
        value TEXT NOT NULL
      ) STRICT;
      CREATE INDEX commissioning_measurements_run ON commissioning_measurements(run, id);
    `);
  },
};

export interface Measurement {
  id: number;
  step: string;
  at: number;
  by: string;
  /** Short name of the check, e.g. `discover`, `port 2`, `fuel table`. */
  what: string;
  /** The check's own verdict where it has one (firmware matches, node accepted the config …). */
  ok: boolean | null;
  value: unknown;
}

export interface StepRecord {
  step: string;
  status: StepStatus;
  note: string | null;
  decidedAt: number | null;
  decidedBy: string | null;
}

export interface RunRow {
  id: number;
  startedAt: number;
  startedBy: string;
  finishedAt: number | null;
  finishedBy: string | null;
}

interface RunDb {
  id: number;
  started_at: number;
  started_by: string;
  finished_at: number | null;
  finished_by: string | null;
}

const toRun = (r: RunDb): RunRow => ({ id: r.id, startedAt: r.started_at, startedBy: r.started_by, finishedAt: r.finished_at, finishedBy: r.finished_by });

export class CommissioningStore {
  constructor(private readonly db: Database) {}

  createRun(at: number, by: string, steps: readonly string[]): RunRow {
    return this.db.transaction(() => {
      const id = Number(this.db.prepare('INSERT INTO commissioning_runs (started_at, started_by) VALUES (?, ?)').run(at, by).lastInsertRowid);
      const ins = this.db.prepare("INSERT INTO commissioning_steps (run, step, status) VALUES (?, ?, 'open')");
      for (const s of steps) ins.run(id, s);
      return this.run(id)!;
    })();
  }

  run(id: number): RunRow | null {
    const r = this.db.prepare('SELECT id, started_at, started_by, finished_at, finished_by FROM commissioning_runs WHERE id = ?').get(id) as RunDb | undefined;
    return r ? toRun(r) : null;
  }

  /** The newest run not yet finished. */
  openRun(): RunRow | null {
    const r = this.db
      .prepare('SELECT id, started_at, started_by, finished_at, finished_by FROM commissioning_runs WHERE finished_at IS NULL ORDER BY id DESC LIMIT 1')
      .get() as RunDb | undefined;
    return r ? toRun(r) : null;
  }

  runs(limit: number): RunRow[] {
    const rows = this.db.prepare('SELECT id, started_at, started_by, finished_at, finished_by FROM commissioning_runs ORDER BY id DESC LIMIT ?').all(limit) as RunDb[];
    return rows.map(toRun);
  }

  steps(run: number): StepRecord[] {
    const rows = this.db.prepare('SELECT step, status, note, decided_at, decided_by FROM commissioning_steps WHERE run = ?').all(run) as {
      step: string;
      status: StepStatus;
      note: string | null;
      decided_at: number | null;
      decided_by: string | null;
    }[];
    return rows.map((r) => ({ step: r.step, status: r.status, note: r.note, decidedAt: r.decided_at, decidedBy: r.decided_by }));
  }

  decide(run: number, step: string, status: StepStatus, note: string | null, at: number, by: string): void {
    this.db
      .prepare('UPDATE commissioning_steps SET status = ?, note = ?, decided_at = ?, decided_by = ? WHERE run = ? AND step = ?')
      .run(status, note, at, by, run, step);
  }

  addMeasurement(run: number, m: Omit<Measurement, 'id'>): Measurement {
    const id = Number(
      this.db
        .prepare('INSERT INTO commissioning_measurements (run, step, at, by, what, ok, value) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(run, m.step, m.at, m.by, m.what, m.ok === null ? null : m.ok ? 1 : 0, JSON.stringify(m.value ?? null)).lastInsertRowid,
    );
    return { id, ...m };
  }

  measurements(run: number): Measurement[] {
    const rows = this.db.prepare('SELECT id, step, at, by, what, ok, value FROM commissioning_measurements WHERE run = ? ORDER BY id').all(run) as {
      id: number;
      step: string;
      at: number;
      by: string;
      what: string;
      ok: number | null;
      value: string;
    }[];
    return rows.map((r) => ({ id: r.id, step: r.step, at: r.at, by: r.by, what: r.what, ok: r.ok === null ? null : r.ok === 1, value: JSON.parse(r.value) as unknown }));
  }

  finish(run: number, at: number, by: string, report: string): void {
    this.db.prepare('UPDATE commissioning_runs SET finished_at = ?, finished_by = ?, report = ? WHERE id = ?').run(at, by, report, run);
  }

  report(run: number): string | null {
    const r = this.db.prepare('SELECT report FROM commissioning_runs WHERE id = ?').get(run) as { report: string | null } | undefined;
    return r?.report ?? null;
  }
}
