// Where submitted reports go next. The relay (LoRa/IP to the coordination point) implements ReportSink;
// when the coordination point acknowledges a report, the relay calls ReportService.markConfirmed(id).
import type { ReportKind } from './schemas.js';

export interface OutgoingReport {
  id: string;
  kind: ReportKind;
  createdAt: number;
  /** The validated input (personal fields included: the relay carries them once, before any purge). */
  body: Record<string, unknown>;
}

export interface ReportSink {
  /** Resolves once the report has left this gateway (queued on the link is enough); rejects to retry later. */
  send(report: OutgoingReport): Promise<void>;
}

/** Keeps what was sent (tests, and a gateway without a relay yet). */
export class MemoryReportSink implements ReportSink {
  readonly sent: OutgoingReport[] = [];
  fail = false;

  send(report: OutgoingReport): Promise<void> {
    if (this.fail) return Promise.reject(new Error('sink unavailable'));
    this.sent.push(report);
    return Promise.resolve();
  }
}
