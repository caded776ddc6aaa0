// When a point's help counts go over LoRa. Over IP the MQTT status carries them (a fresh status ~2 s after a
// change); over LoRa every frame costs scarce airtime, so a help frame is submitted only when all hold:
//  1. the relay's active path is LoRa (on IP the pump drops help rows: the status has them);
//  2. the counts, as the frame would carry them (saturated, cut), differ from the last ones submitted — or,
//     right after the switch to LoRa, from the ones the IP status carried (none known: a point starting
//     without IP sends its counts once, unless it has no help entries at all);
//  3. the counts have settled (`settleMs` after a change: staff matching a few pairs make one frame);
//  4. `minIntervalMs` has passed since the last help frame went on the air;
//  5. help frames of the last 24 h plus this one stay within `dailyShare` of the routine airtime budget
//     (LoraBudget: daily budget minus the emergency reserve).
// A change while a help frame still waits in the outbox replaces it at once (latest counts win, no extra
// airtime). In the outbox help ranks below every other kind and is routine traffic for the LoraBudget, so
// it never takes the sub-band or the daily reserve an emergency needs.
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../log/logger.js';
import type { HelpAggregate } from './help-report.js';
import { helpReportFromAggregate } from './help-report.js';
import type { HelpReport } from './messages.js';
import type { PointLora } from './point-lora.js';
import type { Relay } from './relay.js';
import { AirtimeShare, type RoutineBudget } from './airtime-share.js';

export interface HelpLoraFeedOptions {
  relay: Pick<Relay, 'activePath' | 'on' | 'submitHelp'>;
  clock: Clock;
  log: Logger;
  /** The point's current help counts (HelpService.statusAggregate), undefined when it keeps none. */
  aggregate: () => HelpAggregate | undefined;
  /** Airtime of a help frame at the current data rate (LoraPath.payloadAirtimeMs). */
  airtimeMs: (report: HelpReport) => number;
  /** Routine budget = budget.dailyBudgetMs − budget.emergencyReserveMs. */
  budget: RoutineBudget;
  /** Default 30 s. */
  settleMs?: number;
  /** Default 15 min. */
  minIntervalMs?: number;
  /** Part of the routine airtime budget help frames may use per 24 h (default 0.25). */
  dailyShare?: number;
}

export class HelpLoraFeed {
  /** Counts the coordinator has or will get: last submitted over LoRa, or carried by the IP status. */
  private baseline = JSON.stringify(helpReportFromAggregate(undefined));
  /** Row of a submitted help frame not on the air yet. */
  private pendingRef: number | null = null;
  private lastSentAt: number | null = null;
  /** Help frames' airtime against their share of the routine budget. */
  private readonly airtime: AirtimeShare;
  private timer: { at: number; cancel: () => void } | null = null;
  private readonly detach: (() => void)[] = [];
  private stopped = false;
  readonly stats = { submitted: 0, replaced: 0, sent: 0, airtimeMs: 0 };

  constructor(private readonly o: HelpLoraFeedOptions) {
    this.airtime = new AirtimeShare(o.budget, o.dailyShare ?? 0.25);
    this.detach.push(
      o.relay.on('path', ({ active }) => {
        // On IP the relay drops help rows (the status carries the counts); on LoRa compare with those.
        if (active !== 'lora') this.pendingRef = null;
        this.schedule(0);
      }),
      o.relay.on('sent', ({ row, path, at }) => {
        if (row.kind !== 'help' || path !== 'lora') return;
        if (row.id === this.pendingRef) this.pendingRef = null;
        const ms = row.payload.kind === 'help' ? this.o.airtimeMs(row.payload.body) : 0;
        this.lastSentAt = at;
        this.airtime.record(at, ms);
        this.stats.sent++;
        this.stats.airtimeMs += ms;
      }),
    );
  }

  /** The help counts changed (HelpService.onChange). */
  changed(): void {
    this.schedule(this.o.settleMs ?? 30_000);
  }

  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
    this.timer = null;
    for (const d of this.detach.splice(0)) d();
  }

  private schedule(delayMs: number): void {
    if (this.stopped) return;
    const at = this.o.clock.now() + delayMs;
    if (this.timer && this.timer.at <= at) return;
    this.timer?.cancel();
    const cancel = this.o.clock.setTimeout(() => {
      this.timer = null;
      this.evaluate();
    }, delayMs);
    this.timer = { at, cancel };
  }

  private evaluate(): void {
    if (this.stopped) return;
    const now = this.o.clock.now();
    const report = helpReportFromAggregate(this.o.aggregate());
    const key = JSON.stringify(report);
    const path = this.o.relay.activePath;
    if (path === 'ip') this.baseline = key;
    if (path !== 'lora' || key === this.baseline) return;
    if (this.pendingRef === null) {
      const wait = Math.max(this.lastSentAt === null ? 0 : this.lastSentAt + (this.o.minIntervalMs ?? 900_000) - now, this.airtime.waitMs(this.o.airtimeMs(report), now));
      if (wait > 0) return this.schedule(wait);
    }
    try {
      const replacing = this.pendingRef !== null;
      this.pendingRef = this.o.relay.submitHelp(report).ref;
      this.baseline = key;
      this.stats.submitted++;
      if (replacing) this.stats.replaced++;
      this.o.log.debug('help counts submitted for LoRa', { categories: report.categories.length, cut: report.cut, replacing });
    } catch (err) {
      // Only a codec refusal can land here (a bug): say so and try again with the next change.
      this.o.log.warn('help counts not relayed', { error: errorMessage(err) });
    }
  }
}

/** The feed as the point gateway runs it: on the relay's LoRa path, fed by the help service's changes. */
export function startHelpLoraFeed(d: {
  relay: Relay;
  lora: Pick<PointLora, 'path' | 'budget'>;
  help: { statusAggregate(): HelpAggregate; onChange(fn: () => void): () => void };
  clock: Clock;
  log: Logger;
  options?: Partial<Pick<HelpLoraFeedOptions, 'settleMs' | 'minIntervalMs' | 'dailyShare'>>;
}): { feed: HelpLoraFeed; stop: () => void } {
  const feed = new HelpLoraFeed({
    ...d.options,
    relay: d.relay,
    clock: d.clock,
    log: d.log,
    aggregate: () => d.help.statusAggregate(),
    airtimeMs: (body) => d.lora.path.payloadAirtimeMs({ kind: 'help', body }, d.clock.now()),
    budget: d.lora.budget,
  });
  const off = d.help.onChange(() => feed.changed());
  return { feed, stop: () => (off(), feed.stop()) };
}
