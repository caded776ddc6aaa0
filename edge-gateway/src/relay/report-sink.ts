// Residents' reports from the API into the relay, and the coordinator's acknowledgement back to the
// report's receipt. The API's report and the relay's outbox row are tied by a row in relay_report_ref,
// written in the same transaction as the outbox row: after a crash a report is neither sent twice (it
// is already mapped) nor left unconfirmed (the ack of its row still finds it).
import type { Database, Statement } from 'better-sqlite3';
import type { OutgoingReport, ReportSink } from '../api/reports/sink.js';
import type { EmergencyInput, NeedInput, SafeInput } from '../api/reports/schemas.js';
import type { Logger } from '../log/logger.js';
import type { Migration } from '../store/migrations.js';
import type { EmergencyReport, NeedsReport, SafeRegistration } from './messages.js';
import type { Relay, Submitted } from './relay.js';
import { RelayPayloadError } from './relay.js';

/** Schema of the report ↔ outbox mapping; versioned in store/migrations.ts. */
export const relayReportRefMigration: Migration = {
  version: 8,
  name: 'relay-report-ref',
  up(db) {
    db.exec(`
      CREATE TABLE relay_report_ref (
        ref INTEGER PRIMARY KEY,
        report_id TEXT NOT NULL UNIQUE
      ) STRICT;
    `);
  },
};

/** A report the relay cannot carry even shortened: retrying will not help. */
export class ReportNotRelayableError extends Error {
  override name = 'ReportNotRelayableError';
}

/** The resident's emergency kinds in the codec's list (the codec has no plain "water"). */
const EMERGENCY_TYPE: Record<EmergencyInput['what'], EmergencyReport['type']> = {
  medical: 'medical',
  fire: 'fire',
  trapped: 'trapped',
  water: 'flooding',
  violence: 'violence',
  other: 'other',
};

/** The resident's need categories (also citizen help's) in the codec's list: help counts and needs reports share buckets. */
export const NEED_CATEGORY: Record<NeedInput['category'], NeedsReport['needs'][number]['category']> = {
  water: 'water',
  food: 'food',
  medicine: 'medication',
  power: 'medical_power',
  shelter: 'shelter',
  transport: 'transport',
  care: 'elderly_care',
  other: 'other',
};

/** Longest note tried when the full one does not fit the codec's fragments. */
const SHORT_NOTE = 120;

const joinNote = (...parts: string[]) => parts.map((p) => p.trim()).filter(Boolean).join(' — ');

export interface RelayReportSinkOptions {
  db: Database;
  relay: Relay;
  log: Logger;
  /** Called with the API report id once the coordinator acknowledged it (ReportService.markConfirmed). */
  confirmed: (reportId: string) => void;
}

export class RelayReportSink implements ReportSink {
  private readonly stmts: {
    byReport: Statement<[string], { ref: number }>;
    byRef: Statement<[number], { report_id: string }>;
    insert: Statement<[number, string]>;
    remove: Statement<[number]>;
  };
  private readonly detach: () => void;

  constructor(private readonly opts: RelayReportSinkOptions) {
    const { db } = opts;
    this.stmts = {
      byReport: db.prepare(`SELECT ref FROM relay_report_ref WHERE report_id = ?`),
      byRef: db.prepare(`SELECT report_id FROM relay_report_ref WHERE ref = ?`),
      insert: db.prepare(`INSERT INTO relay_report_ref (ref, report_id) VALUES (?, ?)`),
      remove: db.prepare(`DELETE FROM relay_report_ref WHERE ref = ?`),
    };
    this.detach = opts.relay.on('delivered', ({ row }) => this.delivered(row.id));
  }

  send(report: OutgoingReport): Promise<void> {
    try {
      this.submit(report);
      return Promise.resolve();
    } catch (err) {
      return Promise.reject(err instanceof Error ? err : new Error(String(err)));
    }
  }

  /** Stops listening for acknowledgements (the relay keeps running). */
  close(): void {
    this.detach();
  }

  private submit(report: OutgoingReport): Submitted {
    const known = this.stmts.byReport.get(report.id);
    if (known) return known; // handed over before a crash that came ahead of markSent
    const attempt = (short: boolean) =>
      this.opts.db.transaction((): Submitted => {
        const s = this.toRelay(report, short);
        this.stmts.insert.run(s.ref, report.id);
        return s;
      })();
    try {
      return attempt(false);
    } catch (err) {
      if (!(err instanceof RelayPayloadError)) throw err;
      this.opts.log.warn('report too long for the relay: sending it shortened', { id: report.id, kind: report.kind, error: err.message });
    }
    try {
      return attempt(true);
    } catch (err) {
      if (err instanceof RelayPayloadError) throw new ReportNotRelayableError(`${report.kind} report ${report.id} cannot be relayed: ${err.message}`, { cause: err });
      throw err;
    }
  }

  private toRelay(report: OutgoingReport, short: boolean): Submitted {
    const { relay } = this.opts;
    const cut = (s: string) => (short && s.length > SHORT_NOTE ? s.slice(0, SHORT_NOTE - 1) + '…' : s);
    switch (report.kind) {
      case 'emergency': {
        const b = report.body as EmergencyInput;
        // A resident does not grade an emergency; the coordinator does.
        return relay.submitEmergency({ type: EMERGENCY_TYPE[b.what], severity: 'high', people: b.people, note: cut(joinNote(b.where, b.details)) });
      }
      case 'need': {
        const b = report.body as NeedInput;
        return relay.submitNeeds({ needs: [{ category: NEED_CATEGORY[b.category], severity: 'medium', people: b.people }] });
      }
      case 'safe': {
        const b = report.body as SafeInput;
        const reg: SafeRegistration = { people: null, postcode: null, houseNumber: null, name: cut(b.name) };
        return relay.submitSafe(reg);
      }
    }
  }

  private delivered(ref: number): void {
    const row = this.stmts.byRef.get(ref);
    if (!row) return; // a status, or a message not from a resident's report
    this.stmts.remove.run(ref);
    this.opts.confirmed(row.report_id);
  }
}
