// When a point sends its compact status (fPort 1, 12 bytes) over LoRa. Over IP the MQTT status goes every
// minute; over LoRa it is the coordinator's only sign of life and of fuel and battery, so while LoRa is the
// relay's active path the feed submits:
//  - promptly after the switch to LoRa (or a start without IP): the coordinator judges the point by its
//    last MQTT status until then and would call it silent after three missed MQTT intervals;
//  - a heartbeat every interval, paced to its airtime share: `intervalMs`, or longer where the status's
//    airtime at the current data rate would not fit `dailyShare` of the routine budget at that rate
//    (at SF12 a status is 1.48 s and TTN's fair use allows ~30 s a day, see pacedIntervalMs);
//  - early when something a coordinator must act on appears: an alarm flag not in the last status (fuel
//    or battery under its low threshold, generator fault, node offline, …) or the generator stopping;
// but never sooner than `minIntervalMs` after the previous status went on the air, and only while the
// status frames of the last 24 h plus this one stay within `dailyShare` of the routine airtime budget
// (LoraBudget: daily budget minus the emergency reserve). A status still waiting in the outbox is
// replaced by a fresher one at once (the outbox keeps only the newest; no extra airtime). In the outbox
// a status ranks below emergencies and reports and is routine traffic for the LoraBudget, so it never
// takes the sub-band or the daily reserve an emergency needs.
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../log/logger.js';
import type { StatusReport } from './messages.js';
import type { PointLora } from './point-lora.js';
import type { Relay } from './relay.js';
import { AirtimeShare, shareCapMs, type RoutineBudget } from './airtime-share.js';

const DAY_MS = 86_400_000;

/**
 * Default heartbeat (config `lora.statusIntervalS`): at the default data rate DR3 (SF9) a status is
 * 205.8 ms on air, 24 a day 4.9 s — 37 % of the routine budget (30 s fair use − 16.8 s emergency
 * reserve = 13.2 s). Every 30 min would take 75 % and leave too little for reports and help counts.
 */
export const DEFAULT_LORA_STATUS_INTERVAL_S = 3600;
/** Configurable range: not below the coordinator's LoRa floor (15 min), not beyond a quarter day. */
export const LORA_STATUS_INTERVAL_MIN_S = 900;
export const LORA_STATUS_INTERVAL_MAX_S = 21_600;
/** Part of the routine airtime budget status frames may use per 24 h (help counts get 0.25). */
export const DEFAULT_LORA_STATUS_SHARE = 0.5;

/** The heartbeat interval the feed keeps: `intervalMs`, stretched so heartbeats alone fit their airtime share. */
export function pacedIntervalMs(intervalMs: number, airtimeMs: number, budget: RoutineBudget, share = DEFAULT_LORA_STATUS_SHARE): number {
  const cap = shareCapMs(budget, share);
  if (cap <= 0) return DAY_MS;
  return Math.max(intervalMs, Math.ceil((airtimeMs * DAY_MS) / cap));
}

const STOPPED_GENERATOR: readonly StatusReport['generator'][] = ['off', 'fault'];

/** Why `next` must reach the coordinator before the next heartbeat (null: it can wait). */
export function earlyReason(next: StatusReport, last: StatusReport | null): string | null {
  const raised = next.alarms.filter((a) => !(last?.alarms ?? []).includes(a));
  if (raised.length) return `alarm ${raised.join(', ')}`;
  // From unknown (no generator source yet, or first status) a stop is no news: the heartbeat carries it.
  if (last && STOPPED_GENERATOR.includes(next.generator) && !STOPPED_GENERATOR.includes(last.generator) && last.generator !== 'unknown') return `generator ${next.generator}`;
  return null;
}

export interface StatusLoraFeedOptions {
  relay: Pick<Relay, 'activePath' | 'on' | 'submitStatus'>;
  clock: Clock;
  log: Logger;
  /** The point's compact status now. */
  status: () => StatusReport;
  /** Airtime of a status frame at the current data rate (LoraPath.payloadAirtimeMs). */
  airtimeMs: (report: StatusReport) => number;
  /** Routine budget = budget.dailyBudgetMs − budget.emergencyReserveMs. */
  budget: RoutineBudget;
  /** Heartbeat interval (default 1 h, DEFAULT_LORA_STATUS_INTERVAL_S). */
  intervalMs?: number;
  /** Least time between two statuses on the air (default 5 min). */
  minIntervalMs?: number;
  /** How often the status is looked at for an early send while on LoRa (default 30 s). */
  checkMs?: number;
  /** Default DEFAULT_LORA_STATUS_SHARE. */
  dailyShare?: number;
}

export class StatusLoraFeed {
  /** The status the coordinator has or will get (last submitted over LoRa). */
  private last: StatusReport | null = null;
  /** Row of a submitted status not on the air yet. */
  private pendingRef: number | null = null;
  private lastSentAt: number | null = null;
  /** Switched to LoRa and no status submitted since. */
  private prompt = false;
  /** Status frames' airtime against their share of the routine budget. */
  private readonly airtime: AirtimeShare;
  private cancelCheck: (() => void) | null = null;
  /** Fires when the heartbeat is due (the checks alone would let it slip by up to a check each time). */
  private cancelBeat: (() => void) | null = null;
  private readonly detach: (() => void)[] = [];
  private stopped = false;
  readonly stats = { submitted: 0, replaced: 0, early: 0, sent: 0, airtimeMs: 0 };

  constructor(private readonly o: StatusLoraFeedOptions) {
    this.airtime = new AirtimeShare(o.budget, o.dailyShare ?? DEFAULT_LORA_STATUS_SHARE);
    this.detach.push(
      o.relay.on('path', ({ active }) => this.onPath(active === 'lora')),
      o.relay.on('sent', ({ row, path, at }) => {
        if (row.kind !== 'status' || path !== 'lora') return;
        if (row.id === this.pendingRef) this.pendingRef = null;
        const ms = row.payload.kind === 'status' ? this.o.airtimeMs(row.payload.body) : 0;
        this.lastSentAt = at;
        this.airtime.record(at, ms);
        this.stats.sent++;
        this.stats.airtimeMs += ms;
        this.armBeat();
      }),
    );
    // A relay already on LoRa when the feed starts: treat it as the switch.
    if (o.relay.activePath === 'lora') this.onPath(true);
  }

  /** The heartbeat interval at the current data rate. */
  intervalMs(): number {
    return this.intervalMsFor(this.o.airtimeMs(this.o.status()));
  }

  stop(): void {
    this.stopped = true;
    this.cancelCheck?.();
    this.cancelCheck = null;
    this.cancelBeat?.();
    this.cancelBeat = null;
    for (const d of this.detach.splice(0)) d();
  }

  private onPath(lora: boolean): void {
    if (this.stopped) return;
    this.cancelCheck?.();
    this.cancelCheck = null;
    this.cancelBeat?.();
    this.cancelBeat = null;
    if (!lora) {
      // Over IP the MQTT status says it all; the next switch to LoRa owes the coordinator a prompt status.
      this.prompt = false;
      this.pendingRef = null;
      return;
    }
    this.prompt = true;
    this.cancelCheck = this.o.clock.setInterval(() => this.evaluate(), this.o.checkMs ?? 30_000);
    this.evaluate();
  }

  private armBeat(): void {
    this.cancelBeat?.();
    this.cancelBeat = null;
    if (this.stopped || this.o.relay.activePath !== 'lora' || this.lastSentAt === null) return;
    const wait = Math.max(0, this.lastSentAt + this.intervalMs() - this.o.clock.now());
    this.cancelBeat = this.o.clock.setTimeout(() => {
      this.cancelBeat = null;
      this.evaluate();
    }, wait);
  }

  private evaluate(): void {
    if (this.stopped || this.o.relay.activePath !== 'lora') return;
    const now = this.o.clock.now();
    let report: StatusReport;
    try {
      report = this.o.status();
    } catch (err) {
      this.o.log.warn('point status not available for LoRa', { error: errorMessage(err) });
      return;
    }
    if (this.pendingRef !== null) {
      // Not on the air yet: a fresher status replaces it (latest wins, no extra airtime).
      if (JSON.stringify(report) !== JSON.stringify(this.last)) this.submit(report, 'fresher', true);
      return;
    }
    const airtime = this.o.airtimeMs(report);
    const early = earlyReason(report, this.last);
    const heartbeatDue = this.lastSentAt === null || now - this.lastSentAt >= this.intervalMsFor(airtime);
    const reason = this.prompt ? 'switched to LoRa' : heartbeatDue ? 'heartbeat' : early;
    if (!reason) return;
    const minWait = this.lastSentAt === null ? 0 : this.lastSentAt + (this.o.minIntervalMs ?? 300_000) - now;
    if (minWait > 0 || this.airtime.waitMs(airtime, now) > 0) return; // looked at again every check
    if (!this.prompt && !heartbeatDue) this.stats.early++;
    this.submit(report, reason, false);
  }

  private intervalMsFor(airtimeMs: number): number {
    return pacedIntervalMs(this.o.intervalMs ?? DEFAULT_LORA_STATUS_INTERVAL_S * 1000, airtimeMs, this.o.budget, this.o.dailyShare);
  }

  private submit(report: StatusReport, reason: string, replacing: boolean): void {
    try {
      this.pendingRef = this.o.relay.submitStatus(report).ref;
      this.last = report;
      this.prompt = false;
      this.stats.submitted++;
      if (replacing) this.stats.replaced++;
      this.o.log.debug('status submitted for LoRa', { reason, fuelPct: report.fuelPct, batteryPct: report.batteryPct, alarms: report.alarms });
    } catch (err) {
      // Only a codec refusal can land here (a bug; the codec clamps measurements): say so, try at the next check.
      this.o.log.warn('status not relayed', { error: errorMessage(err) });
    }
  }
}

/** The feed as the point gateway runs it: on the relay's LoRa path, the status built by `status()`. */
export function startStatusLoraFeed(d: {
  relay: Relay;
  lora: Pick<PointLora, 'path' | 'budget'>;
  status: () => StatusReport;
  clock: Clock;
  log: Logger;
  /** Config `lora.statusIntervalS`. */
  intervalS?: number;
  options?: Partial<Pick<StatusLoraFeedOptions, 'minIntervalMs' | 'checkMs' | 'dailyShare'>>;
}): { feed: StatusLoraFeed; stop: () => void } {
  const feed = new StatusLoraFeed({
    ...d.options,
    relay: d.relay,
    clock: d.clock,
    log: d.log,
    status: d.status,
    airtimeMs: (body) => d.lora.path.payloadAirtimeMs({ kind: 'status', body }, d.clock.now()),
    budget: d.lora.budget,
    intervalMs: (d.intervalS ?? DEFAULT_LORA_STATUS_INTERVAL_S) * 1000,
  });
  return { feed, stop: () => feed.stop() };
}
