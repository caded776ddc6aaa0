// Citizen help at the point: offers and requests registered by residents or staff, matched by staff, followed
// to done, withdrawn with the short code or by staff, expired when nobody picked them up. Everything that
// changes an entry goes through here, so listeners (board line, coordinator status) hear about it.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import { errorMessage, type Logger } from '../log/logger.js';
import type { NeedInput } from '../api/reports/schemas.js';
import type { ReportReceipt } from '../api/reports/service.js';
import { hashCode, newCode, normalizeCode } from './code.js';
import { boardLine, statusAggregate, summarize, type HelpBoardLine, type HelpStatusAggregate, type HelpSummary } from './aggregate.js';
import { evidenceCsv } from './evidence.js';
import { TERMINAL_STATES, type HelpCategory, type HelpKind, type HelpState, type OfferInput, type RequestInput } from './schemas.js';
import type { HelpPersonal, HelpRow, HelpStore } from './store.js';

export class HelpError extends Error {
  override name = 'HelpError';
  constructor(
    readonly reason: 'not-found' | 'conflict' | 'unavailable',
    message: string,
  ) {
    super(message);
  }
}

export interface HelpServiceOptions {
  store: HelpStore;
  clock: Clock;
  log: Logger;
  /** Open and matched entries expire this long after registration. */
  entryLifetimeMs: number;
  /** Personal fields are erased this long after registration (config.privacy). */
  personalRetentionMs: number;
  /** How often expiry and purge run (default 60 s). */
  maintenanceMs?: number;
  /** Escalation: files a needs report with the report service (which relays it). Absent: escalation unavailable. */
  submitNeed?: (input: NeedInput) => ReportReceipt;
  /** For the export's file name. */
  pointId?: string;
}

/** What staff see of an entry. */
export interface HelpEntry {
  id: string;
  kind: HelpKind;
  category: HelpCategory;
  status: HelpState;
  origin: 'resident' | 'staff';
  transport: boolean;
  urgency: HelpRow['urgency'];
  people: number | null;
  personal: HelpPersonal | null;
  matchedWith: string | null;
  escalation: { reportId: string; at: number } | null;
  createdAt: number;
  updatedAt: number;
  expiresAt: number;
  purgedAt: number | null;
}

/** What the one who registered gets back: the only time the code is shown. */
export interface Registered {
  id: string;
  code: string;
  kind: HelpKind;
  category: HelpCategory;
  status: HelpState;
  createdAt: number;
  expiresAt: number;
}

/** A resident's own entry, looked up with the code: no personal data echoed back. */
export interface OwnEntry {
  id: string;
  kind: HelpKind;
  category: HelpCategory;
  status: HelpState;
  createdAt: number;
  expiresAt: number;
}

export type ListStatus = HelpState | 'active' | 'all';

const ACTIVE: readonly HelpState[] = ['open', 'matched', 'in-progress'];

export function toEntry(r: HelpRow): HelpEntry {
  return {
    id: r.id,
    kind: r.kind,
    category: r.category,
    status: r.status,
    origin: r.origin,
    transport: r.transport,
    urgency: r.urgency,
    people: r.people,
    personal: r.personal,
    matchedWith: r.matchedWith,
    escalation: r.reportId !== null && r.escalatedAt !== null ? { reportId: r.reportId, at: r.escalatedAt } : null,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    expiresAt: r.expiresAt,
    purgedAt: r.purgedAt,
  };
}

const own = (r: HelpRow): OwnEntry => ({ id: r.id, kind: r.kind, category: r.category, status: r.status, createdAt: r.createdAt, expiresAt: r.expiresAt });

export class HelpService {
  private readonly store: HelpStore;
  private readonly listeners = new Set<() => void>();
  private stopTimer: (() => void) | null = null;

  constructor(private readonly o: HelpServiceOptions) {
    this.store = o.store;
  }

  /** Expires and purges now and then on a timer. */
  start(): void {
    this.maintain();
    this.stopTimer = this.o.clock.setInterval(() => this.maintain(), this.o.maintenanceMs ?? 60_000);
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
  }

  /** Called after every change of counts (registration, match, state, expiry). Returns an unsubscribe. */
  onChange(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  registerOffer(input: OfferInput, origin: 'resident' | 'staff'): Registered {
    return this.register('offer', input.category, origin, {
      urgency: null,
      people: null,
      transport: input.transport,
      personal: { what: input.what, where: input.where, when: input.when, contact: input.contact },
    });
  }

  registerRequest(input: RequestInput, origin: 'resident' | 'staff'): Registered {
    return this.register('request', input.category, origin, {
      urgency: input.urgency,
      people: input.people,
      transport: false,
      personal: { what: input.what, where: input.where, when: '', contact: input.contact },
    });
  }

  /** The resident's own entry behind a code, or null. */
  lookup(code: string): OwnEntry | null {
    const r = this.byCode(code);
    return r ? own(r) : null;
  }

  /** Withdraws the entry behind a code (a matched partner goes back to open). */
  withdrawWithCode(code: string): OwnEntry {
    const r = this.byCode(code);
    if (!r || TERMINAL_STATES.has(r.status)) throw new HelpError('not-found', 'no open entry with this code');
    this.setStatus(r.id, 'withdrawn');
    return own(this.store.get(r.id)!);
  }

  list(filter: { kind?: HelpKind; status?: ListStatus; category?: HelpCategory; limit?: number } = {}): HelpEntry[] {
    const status = filter.status ?? 'active';
    const statuses = status === 'all' ? undefined : status === 'active' ? ACTIVE : [status];
    return this.store
      .list({ ...(filter.kind ? { kind: filter.kind } : {}), ...(filter.category ? { category: filter.category } : {}), ...(statuses ? { statuses } : {}), limit: filter.limit ?? 200 })
      .map(toEntry);
  }

  get(id: string): HelpEntry | null {
    const r = this.store.get(id);
    return r ? toEntry(r) : null;
  }

  /** Staff pair an open offer with an open request; both become `matched`. */
  match(offerId: string, requestId: string): { offer: HelpEntry; request: HelpEntry } {
    const now = this.o.clock.now();
    this.store.transaction(() => {
      const offer = this.need(offerId);
      const request = this.need(requestId);
      if (offer.kind !== 'offer') throw new HelpError('conflict', `${offerId} is not an offer`);
      if (request.kind !== 'request') throw new HelpError('conflict', `${requestId} is not a request`);
      for (const e of [offer, request]) if (e.status !== 'open') throw new HelpError('conflict', `${e.kind} ${e.id} is ${e.status}, not open`);
      this.store.setState(offer.id, 'matched', now, request.id);
      this.store.setState(request.id, 'matched', now, offer.id);
    });
    this.o.log.info('help matched', { offer: offerId, request: requestId });
    this.changed();
    return { offer: this.get(offerId)!, request: this.get(requestId)! };
  }

  /**
   * Staff move an entry (and its matched partner) along: in-progress, done, back to open (unmatch), or withdrawn.
   * Returns every entry that changed.
   */
  setStatus(id: string, to: 'in-progress' | 'done' | 'open' | 'withdrawn'): HelpEntry[] {
    const now = this.o.clock.now();
    const changed = this.store.transaction(() => {
      const e = this.need(id);
      if (TERMINAL_STATES.has(e.status)) throw new HelpError('conflict', `${e.kind} ${e.id} is already ${e.status}`);
      const partner = e.matchedWith ? this.store.get(e.matchedWith) : null;
      const paired = partner !== null && !TERMINAL_STATES.has(partner.status);
      if (to === 'open') {
        if (e.status === 'open') throw new HelpError('conflict', `${e.kind} ${e.id} is already open`);
        this.store.setState(e.id, 'open', now, null);
        if (paired) this.store.setState(partner.id, 'open', now, null);
        return paired ? [e.id, partner.id] : [e.id];
      }
      if (to === 'withdrawn') {
        this.store.setState(e.id, 'withdrawn', now);
        // The other side still needs (or still offers) help: it goes back to the open list.
        if (paired) this.store.setState(partner.id, 'open', now, null);
        return paired ? [e.id, partner.id] : [e.id];
      }
      if (e.status === to) throw new HelpError('conflict', `${e.kind} ${e.id} is already ${to}`);
      this.store.setState(e.id, to, now);
      if (paired) this.store.setState(partner.id, to, now);
      return paired ? [e.id, partner.id] : [e.id];
    });
    this.o.log.info('help status', { id, status: to, entries: changed.length });
    this.changed();
    return changed.map((x) => this.get(x)!);
  }

  /** A request the point cannot serve goes to the coordinator as a needs report (relayed like a resident's). */
  escalate(id: string, note: string): { entry: HelpEntry; report: ReportReceipt } {
    if (!this.o.submitNeed) throw new HelpError('unavailable', 'escalation is not available on this gateway');
    const e = this.need(id);
    if (e.kind !== 'request') throw new HelpError('conflict', `${id} is not a request`);
    if (e.status !== 'open' && e.status !== 'matched') throw new HelpError('conflict', `request ${id} is ${e.status}`);
    if (e.reportId !== null) throw new HelpError('conflict', `request ${id} was already escalated`);
    const details = [e.personal?.what ?? '', note].filter(Boolean).join(' — ').slice(0, 300);
    const report = this.o.submitNeed({ category: e.category, people: e.people, details, where: e.personal?.where ?? '' });
    this.store.setEscalated(id, report.id, this.o.clock.now());
    this.o.log.info('help request escalated to the coordinator', { id, report: report.id });
    return { entry: this.get(id)!, report };
  }

  summary(): HelpSummary {
    return { ...summarize(this.store.counts(), this.store.openDemand(), this.o.clock.now()), retention: this.retention() };
  }

  /** Entry lifetime and personal-data retention (the privacy statement): settings, no database read. */
  retention(): NonNullable<HelpSummary['retention']> {
    return { entryHours: this.o.entryLifetimeMs / 3_600_000, personalDays: this.o.personalRetentionMs / 86_400_000 };
  }

  statusAggregate(): HelpStatusAggregate {
    return statusAggregate(this.summary());
  }

  boardLine(): HelpBoardLine {
    return boardLine(this.summary());
  }

  evidence(): { filename: string; csv: string } {
    const date = new Date(this.o.clock.now()).toISOString().slice(0, 10);
    return { filename: `help-evidence-${this.o.pointId ?? 'point'}-${date}.csv`, csv: evidenceCsv(this.store.all()) };
  }

  /** Open and matched entries past their lifetime become `expired` (a matched partner goes back to open). */
  expire(): number {
    const now = this.o.clock.now();
    const due = this.store.dueForExpiry(now);
    if (!due.length) return 0;
    this.store.transaction(() => {
      for (const r of due) {
        const cur = this.store.get(r.id);
        if (!cur || (cur.status !== 'open' && cur.status !== 'matched')) continue;
        this.store.setState(r.id, 'expired', now);
        const partner = cur.matchedWith ? this.store.get(cur.matchedWith) : null;
        if (partner && !TERMINAL_STATES.has(partner.status) && partner.expiresAt > now) this.store.setState(partner.id, 'open', now, null);
      }
    });
    this.o.log.info('help entries expired', { count: due.length });
    this.changed();
    return due.length;
  }

  /** Erases the personal part of entries older than the retention; returns how many. */
  purge(): number {
    const now = this.o.clock.now();
    const n = this.store.purgeBefore(now - this.o.personalRetentionMs, now);
    if (n) this.o.log.info('personal data purged from help entries', { count: n });
    return n;
  }

  maintain(): void {
    this.expire();
    this.purge();
  }

  private register(kind: HelpKind, category: HelpCategory, origin: 'resident' | 'staff', rest: { urgency: HelpRow['urgency']; people: number | null; transport: boolean; personal: HelpPersonal }): Registered {
    const now = this.o.clock.now();
    const id = randomBytes(9).toString('base64url');
    // A code must point at one entry: draw again on the (rare) collision with a live one.
    let code = newCode();
    for (let i = 0; this.store.codeTaken(hashCode(code)); i++) {
      if (i > 20) throw new Error('could not find a free withdraw code');
      code = newCode();
    }
    const expiresAt = now + this.o.entryLifetimeMs;
    this.store.insert({ id, kind, category, origin, ...rest, codeHash: hashCode(code), createdAt: now, expiresAt });
    this.o.log.info('help registered', { id, kind, category, origin });
    this.changed();
    return { id, code, kind, category, status: 'open', createdAt: now, expiresAt };
  }

  private byCode(code: string): HelpRow | null {
    const c = normalizeCode(code);
    return c ? this.store.byCode(hashCode(c)) : null;
  }

  private need(id: string): HelpRow {
    const r = this.store.get(id);
    if (!r) throw new HelpError('not-found', `no help entry ${id}`);
    return r;
  }

  private changed(): void {
    for (const fn of this.listeners) {
      try {
        fn();
      } catch (err) {
        this.o.log.warn('help change listener failed', { error: errorMessage(err) });
      }
    }
  }
}
