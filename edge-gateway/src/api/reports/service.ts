// Resident reports: store first (a report survives a power cut), then hand to the ReportSink. Status goes
// submitted → sent (the sink accepted it) → confirmed (the coordination point acknowledged it; the relay
// calls markConfirmed). The resident follows it with the receipt returned at submission, a random token
// stored hashed: report ids never reveal anyone else's report.
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../core/clock.js';
import { errorMessage, type Logger } from '../../log/logger.js';
import type { EmergencyInput, NeedInput, ReportKind, SafeInput } from './schemas.js';
import type { ReportSink } from './sink.js';
import type { ReportRecord, ReportStatus, ReportStore } from './store.js';

export interface ReportServiceOptions {
  store: ReportStore;
  /** null until the relay exists: reports then stay `submitted`. */
  sink: ReportSink | null;
  clock: Clock;
  log: Logger;
  /** Personal fields are removed this long after submission. */
  personalRetentionMs: number;
  /** How often unsent reports are offered to the sink again and the purge runs (default 60 s). */
  maintenanceMs?: number;
}

/** What the resident sees about their report. */
export interface ReportReceipt {
  id: string;
  receipt: string;
  kind: ReportKind;
  status: ReportStatus;
  createdAt: number;
  sentAt: number | null;
  confirmedAt: number | null;
}

type InputOf = { emergency: EmergencyInput; need: NeedInput; safe: SafeInput };

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

/** Splits an input into what may be kept for statistics and what is personal (purged after retention). */
function split(kind: ReportKind, input: InputOf[ReportKind]): { summary: object; personal: object } {
  if (kind === 'emergency') {
    const i = input as EmergencyInput;
    return { summary: { what: i.what, people: i.people }, personal: { where: i.where, details: i.details } };
  }
  if (kind === 'need') {
    const i = input as NeedInput;
    return { summary: { category: i.category, people: i.people }, personal: { where: i.where, details: i.details } };
  }
  const i = input as SafeInput;
  return { summary: {}, personal: { name: i.name, message: i.message } };
}

export class ReportService {
  private readonly store: ReportStore;
  private readonly inFlight = new Set<string>();
  private stopTimer: (() => void) | null = null;

  constructor(private readonly opts: ReportServiceOptions) {
    this.store = opts.store;
  }

  /** Retries unsent reports and purges on a timer; runs both once now. */
  start(): void {
    this.maintain();
    this.stopTimer = this.opts.clock.setInterval(() => this.maintain(), this.opts.maintenanceMs ?? 60_000);
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
  }

  submit<K extends ReportKind>(kind: K, input: InputOf[K]): ReportReceipt {
    const id = randomBytes(9).toString('base64url');
    const receipt = randomBytes(18).toString('base64url');
    const { summary, personal } = split(kind, input);
    this.store.insert(id, sha256(receipt), kind, summary, personal, this.opts.clock.now());
    this.opts.log.info('report submitted', { id, kind });
    const record = this.store.get(id)!;
    this.dispatch(record);
    return this.view(this.store.get(id) ?? record, receipt);
  }

  /** The report behind a receipt, or null. */
  lookup(receipt: string): ReportReceipt | null {
    if (receipt.length > 64) return null;
    const r = this.store.byReceipt(sha256(receipt));
    return r ? this.view(r, receipt) : null;
  }

  /** Called by the relay when the coordination point acknowledged report `id`. */
  markConfirmed(id: string): boolean {
    const changed = this.store.markConfirmed(id, this.opts.clock.now());
    if (changed) this.opts.log.info('report confirmed', { id });
    return changed;
  }

  get(id: string): ReportRecord | null {
    return this.store.get(id);
  }

  recent(limit = 100): ReportRecord[] {
    return this.store.recent(limit);
  }

  /** Removes personal fields older than the retention; returns how many reports were purged. */
  purge(): number {
    const now = this.opts.clock.now();
    const n = this.store.purgeBefore(now - this.opts.personalRetentionMs, now);
    if (n) this.opts.log.info('personal data purged from reports', { count: n });
    return n;
  }

  /** Resolves when nothing is being handed to the sink (tests). */
  async idle(): Promise<void> {
    while (this.inFlight.size) await new Promise((r) => setImmediate(r));
  }

  private maintain(): void {
    this.purge();
    for (const r of this.store.unsent()) this.dispatch(r);
  }

  private dispatch(r: ReportRecord): void {
    const sink = this.opts.sink;
    if (!sink || this.inFlight.has(r.id) || r.personal === null) return;
    this.inFlight.add(r.id);
    sink
      .send({ id: r.id, kind: r.kind, createdAt: r.createdAt, body: { ...r.summary, ...r.personal } })
      .then(
        () => this.store.markSent(r.id, this.opts.clock.now()),
        (err: unknown) => this.opts.log.warn('report not sent yet, will retry', { id: r.id, error: errorMessage(err) }),
      )
      .finally(() => this.inFlight.delete(r.id));
  }

  private view(r: ReportRecord, receipt: string): ReportReceipt {
    return { id: r.id, receipt, kind: r.kind, status: r.status, createdAt: r.createdAt, sentAt: r.sentAt, confirmedAt: r.confirmedAt };
  }
}
