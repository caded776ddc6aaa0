// The running coordinator's watch over its points: every accepted status goes into the history, the
// evidence counters, the fuel forecast and the alert rules; a periodic tick flushes the batched writes,
// re-evaluates silence and downsamples old history. The console API reads everything from here.
import type { Database } from 'better-sqlite3';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log/logger.js';
import type { PointStatus } from '../protocol/index.js';
import type { StatusReport } from '../relay/messages.js';
import type { HelpAggregate } from '../relay/help-report.js';
import { AlertEngine, AlertError, DEFAULT_RULES, silentAfterMs, type AlertEvent, type AlertRule, type LinkType } from './alerts.js';
import { AlertStore, InboxView, type AlertCounts, type ConsoleAlert, type InboxCounts } from './console-store.js';
import { EvidenceRecorder } from './evidence.js';
import { DEFAULT_FORECAST_OPTIONS, batteryTrend, forecastFuel, median, type LevelReading } from './forecast.js';
import { HISTORY_BUCKET_MS, PointHistory, type HistoryMetric } from './history.js';
import type { PointBook, PointEntry } from './point-book.js';

const HOUR_MS = 3_600_000;
/** Raw history rows cover this long (then they are folded into 15-minute buckets). */
export const RAW_HISTORY_MS = 48 * HOUR_MS;

export type LoraStatus = {
  at: number;
  fuelPct: number | null;
  hoursToEmpty: number | null;
  batteryPct: number | null;
  batteryV: number | null;
  generator: StatusReport['generator'];
  visitorsPresent: number | null;
  chargingW: number | null;
  alarms: string[];
};

export interface FuelForecastView {
  kind: 'estimate' | 'steady' | 'unknown';
  unit: 'l' | 'pct';
  hoursToEmpty: number | null;
  hoursLow: number | null;
  hoursHigh: number | null;
  ratePerHour: number | null;
  level: number | null;
  confidence: 'high' | 'low' | null;
  reason: string | null;
  refuelAt: number | null;
  at: number;
}

/**
 * A point's citizen-help counts, whichever path brought them: `counts` has the shape of PointStatus.help;
 * `at` is when the coordinator received them; `cut`: the LoRa frame left out the least needed categories.
 */
export interface PointHelp {
  counts: HelpAggregate;
  at: number;
  via: LinkType;
  cut: boolean;
}

export type { AlertCounts };

export interface PointOverview extends PointEntry {
  link: LinkType;
  lastHeardAt: number | null;
  lora: LoraStatus | null;
  /** Newest help counts (also merged into `status.help` when they came over LoRa and a status is held). */
  help: PointHelp | null;
  forecast: FuelForecastView | null;
  alerts: AlertCounts;
  urgency: number;
}

export const SERIES = ['fuelPct', 'fuelL', 'batterySoc', 'batteryV', 'batteryA', 'visitorsInside', 'chargingW'] as const;
export type SeriesName = (typeof SERIES)[number];
const SERIES_METRIC: Record<SeriesName, HistoryMetric> = {
  fuelPct: 'fuel_pct',
  fuelL: 'fuel_l',
  batterySoc: 'batt_soc',
  batteryV: 'batt_v',
  batteryA: 'batt_a',
  visitorsInside: 'inside',
  chargingW: 'charging_w',
};

export interface PointDetail {
  point: PointOverview;
  from: number;
  to: number;
  resolution: 'raw' | '15m';
  series: { t: number[] } & Record<SeriesName, (number | null)[]>;
  battery: { kind: 'charging' | 'discharging' | 'steady' | 'unknown'; socPerHour: number | null; hoursToFloor: number | null };
  charging: NonNullable<PointStatus['chargingStats']> | null;
  alerts: ConsoleAlert[];
  inbox: InboxCounts;
}

export class ConsoleError extends Error {
  constructor(
    message: string,
    readonly status: 404 | 409,
  ) {
    super(message);
    this.name = 'ConsoleError';
  }
}

export interface MonitorEvents {
  /** An alert was raised, acknowledged or resolved (by hand or because its condition cleared). */
  alert?(a: ConsoleAlert): void;
}

export interface MonitorOptions {
  db: Database;
  book: PointBook;
  clock: Clock;
  log: Logger;
  rules?: readonly AlertRule[];
  on?: MonitorEvents;
}

interface FuelMemory {
  unit: 'fuel_l' | 'fuel_pct';
  readings: LevelReading[];
  /** Computed when first asked for after new readings (the overview, the detail): not per status. */
  forecast: FuelForecastView | null;
  dirty: boolean;
  lastAt: number;
}

interface LinkMemory {
  name: string;
  lora: LoraStatus | null;
  /** Help counts last relayed over LoRa. */
  help: { counts: HelpAggregate; at: number; cut: boolean } | null;
  /** Recent gaps between statuses per link: the point's own report interval is their median. */
  gaps: Record<LinkType, number[]>;
  lastAt: Record<LinkType, number | null>;
  /** Median of `gaps` when plausible (cached: the tick asks for every point). */
  interval: Record<LinkType, number | undefined>;
}

/**
 * Gaps kept per link for the report interval; a learnt interval above this is not trusted (a long outage).
 * LoRa: a status heartbeat at SF12 is stretched to ~5.4 h to fit its airtime share (relay/status-lora.ts).
 */
const GAPS_KEPT = 5;
const MAX_LEARNT_INTERVAL_MS: Record<LinkType, number> = { mqtt: 30 * 60_000, lora: 8 * 3_600_000 };

/** The compact LoRa status as a PointStatus for the alert rules (only what it carries). */
function loraAsStatus(point: string, name: string, l: LoraStatus): PointStatus {
  const alarms = l.alarms.map((a) => (a === 'generator_fault' ? 'generator:stopped' : a));
  if (l.generator === 'fault') alarms.push('generator:stopped');
  return {
    v: 1,
    point,
    name,
    seq: 0,
    ts: l.at,
    nodes: [],
    fuel: l.fuelPct === null ? null : { litres: null, pct: l.fuelPct, status: 'ok' },
    battery: l.batteryPct === null && l.batteryV === null ? null : { v: l.batteryV, soc: l.batteryPct, a: null },
    visitors: null,
    charging: null,
    alarms: [...new Set(alarms)],
  };
}

export class CoordinatorMonitor {
  readonly history: PointHistory;
  readonly alertStore: AlertStore;
  readonly inbox: InboxView;
  readonly evidence: EvidenceRecorder;
  private readonly engine: AlertEngine;
  private readonly fuel = new Map<string, FuelMemory>();
  private readonly links = new Map<string, LinkMemory>();
  private lastDownsampleHour = -1;

  constructor(private readonly o: MonitorOptions) {
    this.history = new PointHistory(o.db);
    this.alertStore = new AlertStore(o.db);
    this.inbox = new InboxView(o.db);
    this.evidence = new EvidenceRecorder(o.db);
    this.engine = new AlertEngine(o.rules ?? DEFAULT_RULES, (e) => this.onEngine(e));
    // Alerts still holding at the last stop continue (and close when their condition clears).
    for (const a of this.alertStore.activeForEngine()) this.engine.restore(a);
    this.engine.startIdsAt(this.alertStore.maxId() + 1);
  }

  private name = (point: string): string => this.links.get(point)?.name ?? this.o.book.get(point, 0)?.name ?? point;

  private onEngine(e: AlertEvent): void {
    const now = this.o.clock.now();
    if (e.type === 'raised') {
      this.alertStore.raised(e.alert);
      this.o.log.warn('alert raised', { point: e.alert.point, rule: e.alert.rule, value: e.alert.value });
    } else if (e.type === 'cleared') {
      this.alertStore.cleared(e.alert.id, e.alert.clearedAt ?? now);
      this.engine.forget(e.alert.id);
      this.o.log.info('alert condition cleared', { point: e.alert.point, rule: e.alert.rule });
    } else {
      return; // acknowledged/resolved: the store was written by acknowledge()/resolve()
    }
    const view = this.alertStore.get(e.alert.id, this.name);
    if (view) this.o.on?.alert?.(view);
  }

  private linkMem(point: string, name: string): LinkMemory {
    let m = this.links.get(point);
    if (!m) this.links.set(point, (m = { name, lora: null, help: null, gaps: { mqtt: [], lora: [] }, lastAt: { mqtt: null, lora: null }, interval: { mqtt: undefined, lora: undefined } }));
    m.name = name;
    return m;
  }

  private heard(m: LinkMemory, link: LinkType, at: number): void {
    const last = m.lastAt[link];
    if (last !== null && at > last) {
      m.gaps[link].push(at - last);
      if (m.gaps[link].length > GAPS_KEPT) m.gaps[link].shift();
      const i = median(m.gaps[link]);
      m.interval[link] = i <= MAX_LEARNT_INTERVAL_MS[link] ? i : undefined;
    }
    if (last === null || at > last) m.lastAt[link] = at;
  }

  /** The point's report interval on this link (median of recent gaps), if learnt and plausible. */
  private interval(point: string, link: LinkType): number | undefined {
    return this.links.get(point)?.interval[link];
  }

  private silenceLimit(point: string, link: LinkType): number {
    return silentAfterMs(link, this.interval(point, link));
  }

  /** A full status the point book accepted. */
  status(s: PointStatus, received: number): void {
    this.heard(this.linkMem(s.point, s.name), 'mqtt', received);
    this.history.record(s, received);
    this.evidence.status(s, received, this.silenceLimit(s.point, 'mqtt'));
    this.updateForecast(s, received);
    this.evaluate(s.point, received);
    if (this.history.queued >= 1000) this.flush();
  }

  /** A compact status relayed over LoRa (the point's IP link is down). */
  loraStatus(point: string, body: StatusReport, at: number): void {
    const m = this.linkMem(point, this.links.get(point)?.name ?? point);
    if (m.lora && m.lora.at > at) return;
    m.lora = {
      at,
      fuelPct: body.fuelPct,
      hoursToEmpty: body.hoursToEmpty,
      batteryPct: body.batteryPct,
      batteryV: body.batteryV,
      generator: body.generator,
      visitorsPresent: body.visitorsPresent,
      chargingW: body.chargingW,
      alarms: [...body.alarms],
    };
    this.heard(m, 'lora', at);
    this.evidence.loraStatus(point, at, this.silenceLimit(point, 'lora'));
    this.evaluate(point, at);
  }

  /**
   * Help counts relayed over LoRa (the point's only path). Not a proof of the link's report interval: help
   * frames go when counts change, so they stay out of the silence bookkeeping.
   */
  loraHelp(point: string, counts: HelpAggregate, at: number, cut = false): void {
    const m = this.linkMem(point, this.links.get(point)?.name ?? point);
    if (m.help && m.help.at > at) return;
    m.help = { counts, at, cut };
  }

  /** The newest help counts of a point: its MQTT status's, or the LoRa ones if received later. */
  private helpOf(point: string, e: PointEntry | undefined): PointHelp | null {
    const ip: PointHelp | null = e?.status?.help ? { counts: e.status.help, at: e.receivedAt ?? 0, via: 'mqtt', cut: false } : null;
    const l = this.links.get(point)?.help ?? null;
    if (l && (ip === null || l.at > ip.at)) return { counts: l.counts, at: l.at, via: 'lora', cut: l.cut };
    return ip;
  }

  private updateForecast(s: PointStatus, at: number): void {
    const litres = s.fuel?.litres ?? null;
    const pct = s.fuel?.pct ?? null;
    const unit = litres !== null ? 'fuel_l' : pct !== null ? 'fuel_pct' : null;
    if (!unit) return;
    let m = this.fuel.get(s.point);
    const windowMs = DEFAULT_FORECAST_OPTIONS.windowMs;
    if (!m || m.unit !== unit) {
      // First sight since start: continue from the stored history.
      m = { unit, readings: this.history.fuelReadings(s.point, at - windowMs, unit), forecast: null, dirty: true, lastAt: at };
      this.fuel.set(s.point, m);
    }
    m.readings.push({ t: s.ts, level: (unit === 'fuel_l' ? litres : pct)! });
    const newest = m.readings.at(-1)!.t;
    let drop = 0;
    while (drop < m.readings.length && m.readings[drop]!.t < newest - windowMs) drop++;
    if (drop) m.readings.splice(0, drop);
    m.dirty = true;
    m.lastAt = at;
  }

  /** The point's fuel forecast from its readings of the last few hours (null before any fuel reading). */
  forecast(point: string): FuelForecastView | null {
    const m = this.fuel.get(point);
    if (!m) return null;
    if (!m.dirty) return m.forecast;
    const f = forecastFuel(m.readings);
    m.dirty = false;
    return (m.forecast = {
      kind: f.kind,
      unit: m.unit === 'fuel_l' ? 'l' : 'pct',
      hoursToEmpty: f.kind === 'estimate' ? f.hoursToEmpty : null,
      hoursLow: f.kind === 'estimate' ? f.hoursLow : null,
      hoursHigh: f.kind === 'estimate' ? f.hoursHigh : null,
      ratePerHour: f.kind === 'estimate' ? f.ratePerHour : null,
      level: f.kind === 'unknown' ? null : f.level,
      confidence: f.kind === 'estimate' ? f.confidence : null,
      reason: f.kind === 'unknown' ? f.reason : null,
      refuelAt: f.refuelAt,
      at: m.lastAt,
    });
  }

  private linkOf(e: PointEntry | undefined, lora: LoraStatus | null): { link: LinkType; lastHeardAt: number | null } {
    const ip = e?.receivedAt ?? null;
    if (lora && (ip === null || lora.at > ip)) return { link: 'lora', lastHeardAt: lora.at };
    return { link: 'mqtt', lastHeardAt: ip };
  }

  /** `onlyIfDue`: skip a point with no rule waiting for its delay and not (yet) past its silence limit. */
  private evaluate(point: string, now: number, onlyIfDue = false): void {
    if (onlyIfDue && !this.due(point, now)) return;
    const e = this.o.book.get(point, now);
    const lora = this.links.get(point)?.lora ?? null;
    const { link, lastHeardAt } = this.linkOf(e, lora);
    const status = link === 'lora' && lora ? loraAsStatus(point, this.name(point), lora) : (e?.status ?? null);
    const reportIntervalMs = this.interval(point, link);
    this.engine.evaluate({ point, status, link, silentMs: lastHeardAt === null ? null : now - lastHeardAt, ...(reportIntervalMs ? { reportIntervalMs } : {}) }, now);
  }

  /** A rule waits for its delay, or the point is past its silence limit (checked without copying any entry). */
  private due(point: string, now: number): boolean {
    if (this.engine.waiting(point)) return true;
    const m = this.links.get(point);
    if (!m) return false;
    const ip = m.lastAt.mqtt;
    const lora = m.lastAt.lora;
    const link: LinkType = lora !== null && (ip === null || lora > ip) ? 'lora' : 'mqtt';
    const last = link === 'lora' ? lora : ip;
    return last !== null && now - last > silentAfterMs(link, m.interval[link]);
  }

  /** Periodic work: silence and delayed alerts for every point, batched writes, hourly downsampling. */
  tick(now = this.o.clock.now()): void {
    // Every point with a status goes through status()/loraStatus(), so `links` knows them all.
    for (const point of this.links.keys()) this.evaluate(point, now, true);
    this.flush();
    const hour = Math.floor(now / HOUR_MS);
    if (hour !== this.lastDownsampleHour) {
      this.lastDownsampleHour = hour;
      const r = this.history.downsample(now, RAW_HISTORY_MS);
      if (r.folded) this.o.log.debug('history downsampled', r);
    }
  }

  flush(): void {
    this.history.flush();
    this.evidence.flush();
  }

  /** Every point, most urgent first (see /work/team/coordinator-api.md for the score). */
  overview(now = this.o.clock.now()): PointOverview[] {
    const counts = this.alertStore.counts();
    const entries = new Map(this.o.book.list(now).map((e) => [e.point, e]));
    const out: PointOverview[] = [];
    for (const point of new Set([...entries.keys(), ...this.links.keys()])) out.push(this.view(point, entries.get(point), counts.get(point), now));
    return out.sort((a, b) => b.urgency - a.urgency || a.name.localeCompare(b.name, 'nl') || a.point.localeCompare(b.point));
  }

  private view(point: string, e: PointEntry | undefined, c: AlertCounts | undefined, now: number): PointOverview {
    const lora = this.links.get(point)?.lora ?? null;
    const { link, lastHeardAt } = this.linkOf(e, lora);
    const entry: PointEntry = e ?? { point, name: this.name(point), online: false, linkState: 'unknown', receivedAt: null, status: null };
    // Help counts newer over LoRa replace the held status's, in the same shape as over MQTT.
    const help = this.helpOf(point, e);
    const base: PointEntry = help?.via === 'lora' && entry.status ? { ...entry, status: { ...entry.status, help: help.counts } } : entry;
    const online = lastHeardAt !== null && now - lastHeardAt <= this.silenceLimit(point, link) && (link === 'lora' || base.linkState !== 'offline');
    const forecast = this.forecast(point);
    const alerts = c ?? { open: 0, critical: 0, unacknowledged: 0 };
    let urgency = 0;
    if (!online) urgency += 1000 + Math.min(999, lastHeardAt === null ? 0 : Math.floor((now - lastHeardAt) / 60_000));
    urgency += 500 * alerts.critical + 100 * (alerts.open - alerts.critical);
    if (forecast?.hoursToEmpty !== null && forecast?.hoursToEmpty !== undefined && forecast.hoursToEmpty < 48) urgency += (48 - forecast.hoursToEmpty) * 5;
    const levels = [base.status?.fuel?.pct ?? lora?.fuelPct, base.status?.battery?.soc ?? lora?.batteryPct].filter((x): x is number => typeof x === 'number');
    const lowest = levels.length ? Math.min(...levels) : null;
    if (lowest !== null && lowest < 30) urgency += 30 - lowest;
    return { ...base, online, link, lastHeardAt, lora, help, forecast, alerts, urgency: Math.round(urgency * 10) / 10 };
  }

  known(point: string): boolean {
    return this.links.has(point) || this.o.book.get(point, 0) !== undefined;
  }

  detail(point: string, hours: number, maxPoints: number, now = this.o.clock.now()): PointDetail {
    if (!this.known(point)) throw new ConsoleError(`no point '${point}'`, 404);
    this.flush();
    const from = now - hours * HOUR_MS;
    const to = now;
    // Older than the raw window: 15-minute buckets (averages); the rest: raw rows.
    const samples: Sample[] = [];
    let resolution: PointDetail['resolution'] = 'raw';
    if (hours * HOUR_MS > RAW_HISTORY_MS) {
      const byBucket = new Map<number, Sample>();
      for (const name of SERIES) {
        for (const b of this.history.buckets(point, SERIES_METRIC[name], from, to)) {
          let s = byBucket.get(b.bucket);
          if (!s) byBucket.set(b.bucket, (s = { t: b.bucket + HISTORY_BUCKET_MS / 2, v: {} }));
          s.v[name] = b.avg;
        }
      }
      if (byBucket.size) resolution = '15m';
      samples.push(...[...byBucket.values()].sort((a, b) => a.t - b.t));
    }
    const rows = this.history.rows(point, from, to);
    for (const r of rows) {
      samples.push({
        t: r.ts,
        v: { fuelPct: r.fuel_pct, fuelL: r.fuel_l, batterySoc: r.batt_soc, batteryV: r.batt_v, batteryA: r.batt_a, visitorsInside: r.inside, chargingW: r.charging_w },
      });
    }
    const series = thin(samples, from, to, maxPoints);
    const soc = rows.filter((r) => r.batt_soc !== null && r.ts >= now - HOUR_MS).map((r) => ({ t: r.ts, level: r.batt_soc! }));
    const bt = batteryTrend(soc);
    const entry = this.o.book.get(point, now);
    return {
      point: this.view(point, entry, this.alertStore.counts(point).get(point), now),
      from,
      to,
      resolution,
      series,
      battery: bt.kind === 'unknown' ? { kind: 'unknown', socPerHour: null, hoursToFloor: null } : { kind: bt.kind, socPerHour: bt.socPerHour, hoursToFloor: bt.hoursToFloor },
      charging: entry?.status?.chargingStats ?? null,
      alerts: this.alertStore.list({ state: 'all', point, limit: 50 }, this.name),
      inbox: this.inbox.counts(point),
    };
  }

  // ---- alerts ----

  listAlerts(o: { state: 'open' | 'all'; point?: string; limit: number }): ConsoleAlert[] {
    return this.alertStore.list(o, this.name);
  }

  openAlerts(): ConsoleAlert[] {
    return this.listAlerts({ state: 'open', limit: 1000 });
  }

  private existing(id: number): ConsoleAlert {
    const a = this.alertStore.get(id, this.name);
    if (!a) throw new ConsoleError(`no alert ${id}`, 404);
    if (a.state === 'resolved') throw new ConsoleError(`alert ${id} is already resolved`, 409);
    return a;
  }

  acknowledge(id: number, by: string, now = this.o.clock.now()): ConsoleAlert {
    const before = this.existing(id);
    if (before.acknowledgedAt !== null) return before;
    this.alertStore.acknowledge(id, by, now);
    try {
      this.engine.acknowledge(id, by, now);
    } catch (err) {
      if (!(err instanceof AlertError)) throw err;
    }
    const a = this.alertStore.get(id, this.name)!;
    this.o.on?.alert?.(a);
    return a;
  }

  /** By hand; allowed while the condition holds (the rule then stays quiet until it has cleared once). */
  resolve(id: number, by: string, note: string | null, now = this.o.clock.now()): ConsoleAlert {
    this.existing(id);
    this.alertStore.resolve(id, by, now, note);
    try {
      this.engine.resolve(id, by, now, true);
    } catch (err) {
      if (!(err instanceof AlertError)) throw err;
    }
    const a = this.alertStore.get(id, this.name)!;
    this.o.on?.alert?.(a);
    return a;
  }

  pointName(point: string): string {
    return this.name(point);
  }
}

/** Columnar series for uPlot, at most `maxPoints` samples: samples in equal time bins are averaged. */
type Sample = { t: number; v: Partial<Record<SeriesName, number | null>> };

export function thin(samples: readonly Sample[], from: number, to: number, maxPoints: number): PointDetail['series'] {
  const out = { t: [] as number[], ...(Object.fromEntries(SERIES.map((s) => [s, [] as (number | null)[]])) as Record<SeriesName, (number | null)[]>) };
  const push = (t: number, v: Partial<Record<SeriesName, number | null>>) => {
    out.t.push(t);
    for (const s of SERIES) out[s].push(v[s] ?? null);
  };
  if (samples.length <= maxPoints) {
    for (const s of samples) push(s.t, s.v);
    return out;
  }
  const width = Math.max(1, (to - from) / maxPoints);
  let bin = -1;
  let group: Sample[] = [];
  const emit = () => {
    if (!group.length) return;
    const v: Partial<Record<SeriesName, number | null>> = {};
    for (const s of SERIES) {
      const xs = group.map((g) => g.v[s]).filter((x): x is number => typeof x === 'number');
      v[s] = xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : null;
    }
    push(Math.round(group.reduce((a, g) => a + g.t, 0) / group.length), v);
    group = [];
  };
  for (const s of samples) {
    const b = Math.floor((s.t - from) / width);
    if (b !== bin) {
      emit();
      bin = b;
    }
    group.push(s);
  }
  emit();
  return out;
}
