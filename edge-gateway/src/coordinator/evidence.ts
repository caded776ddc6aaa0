// Pilot evidence (DESIGN §1: "honest, anonymous evidence"): hourly counters per point, accumulated from
// the statuses as they arrive (so they outlive the two days of raw history), and the CSV export that adds
// the relayed reports per period. Counts only: no names, addresses or notes ever reach this file.
import type { Database, Statement } from 'better-sqlite3';
import type { PointStatus } from '../protocol/index.js';
import { NEED_CATEGORIES } from '../lora/codec/vocab.js';
import { median } from './forecast.js';
import { HOUR_MS, localIso, periodEnd, periodStart } from './time-zone.js';

export { DAY_MS, HOUR_MS } from './time-zone.js';
/** A rise of the smoothed level larger than this between two statuses is a refuel, not noise. */
export const REFUEL_STEP_L = 3;
/** Fuel readings in the median that smooths sensor noise and slosh before levels are differenced. */
const FUEL_MEDIAN = 5;

interface Acc {
  statuses: number;
  loraStatuses: number;
  coveredMs: number;
  entries: number;
  insideMax: number | null;
  chargingSessions: number;
  chargingWh: number;
  fuelUsedL: number | null;
  fuelAddedL: number | null;
}

interface PointMemory {
  lastHeard: number | null;
  entries: number | null;
  sessions: number | null;
  energyWh: number | null;
  fuel: number[];
  smoothed: number | null;
}

/** Increase of a counter that may restart (a new day, a restarted point): a drop counts the new value. */
const increase = (prev: number | null, cur: number): number => (prev === null ? 0 : cur >= prev ? cur - prev : cur);

export class EvidenceRecorder {
  private readonly points = new Map<string, PointMemory>();
  private readonly pending = new Map<string, { point: string; hour: number; acc: Acc }>();
  private readonly upsert: Statement;
  private readonly writeAll: (rows: { point: string; hour: number; acc: Acc }[]) => void;

  constructor(db: Database) {
    this.upsert = db.prepare(
      `INSERT INTO coord_evidence_hour (point, hour, statuses, lora_statuses, covered_ms, entries, inside_max, charging_sessions, charging_wh, fuel_used_l, fuel_added_l)
       VALUES (@point, @hour, @statuses, @loraStatuses, @coveredMs, @entries, @insideMax, @chargingSessions, @chargingWh, @fuelUsedL, @fuelAddedL)
       ON CONFLICT (point, hour) DO UPDATE SET
         statuses = statuses + excluded.statuses, lora_statuses = lora_statuses + excluded.lora_statuses,
         covered_ms = covered_ms + excluded.covered_ms, entries = entries + excluded.entries,
         inside_max = CASE WHEN excluded.inside_max IS NULL THEN inside_max ELSE max(coalesce(inside_max, 0), excluded.inside_max) END,
         charging_sessions = charging_sessions + excluded.charging_sessions, charging_wh = charging_wh + excluded.charging_wh,
         fuel_used_l = CASE WHEN excluded.fuel_used_l IS NULL THEN fuel_used_l ELSE coalesce(fuel_used_l, 0) + excluded.fuel_used_l END,
         fuel_added_l = CASE WHEN excluded.fuel_added_l IS NULL THEN fuel_added_l ELSE coalesce(fuel_added_l, 0) + excluded.fuel_added_l END`,
    );
    // One transaction per flush: a thousand points are a thousand rows, not a thousand commits.
    this.writeAll = db.transaction((rows: { point: string; hour: number; acc: Acc }[]) => {
      for (const r of rows) this.upsert.run({ point: r.point, hour: r.hour, ...r.acc });
    });
  }

  private mem(point: string): PointMemory {
    let m = this.points.get(point);
    if (!m) this.points.set(point, (m = { lastHeard: null, entries: null, sessions: null, energyWh: null, fuel: [], smoothed: null }));
    return m;
  }

  private acc(point: string, at: number): Acc {
    const hour = Math.floor(at / HOUR_MS) * HOUR_MS;
    const key = `${point}\u0000${hour}`;
    let e = this.pending.get(key);
    if (!e) {
      e = { point, hour, acc: { statuses: 0, loraStatuses: 0, coveredMs: 0, entries: 0, insideMax: null, chargingSessions: 0, chargingWh: 0, fuelUsedL: null, fuelAddedL: null } };
      this.pending.set(key, e);
    }
    return e.acc;
  }

  /** Time since the previous status (at most `coverMs`) counts as up, split over the hours it spans. */
  private cover(point: string, m: PointMemory, at: number, coverMs: number): void {
    if (m.lastHeard !== null && at > m.lastHeard) {
      let from = Math.max(m.lastHeard, at - coverMs);
      while (from < at) {
        const hourEnd = (Math.floor(from / HOUR_MS) + 1) * HOUR_MS;
        const to = Math.min(at, hourEnd);
        this.acc(point, from).coveredMs += to - from;
        from = to;
      }
    }
    if (m.lastHeard === null || at > m.lastHeard) m.lastHeard = at;
  }

  /** A full status received at `at`; `coverMs` = the silence limit of its link. */
  status(s: PointStatus, at: number, coverMs: number): void {
    const m = this.mem(s.point);
    this.cover(s.point, m, at, coverMs);
    const a = this.acc(s.point, at);
    a.statuses++;
    if (s.visitors) {
      a.entries += increase(m.entries, s.visitors.entries);
      m.entries = s.visitors.entries;
      a.insideMax = Math.max(a.insideMax ?? 0, s.visitors.inside);
    }
    const cs = s.chargingStats;
    if (cs) {
      a.chargingSessions += increase(m.sessions, cs.sessionsToday);
      a.chargingWh += increase(m.energyWh, cs.energyWhToday);
      m.sessions = cs.sessionsToday;
      m.energyWh = cs.energyWhToday;
    }
    const litres = s.fuel?.litres;
    if (typeof litres === 'number' && Number.isFinite(litres)) {
      m.fuel.push(litres);
      if (m.fuel.length > FUEL_MEDIAN) m.fuel.shift();
      const smoothed = median(m.fuel);
      if (m.smoothed !== null) {
        const d = smoothed - m.smoothed;
        // The net fall of the smoothed level is what was used: noise up and down cancels; refuels are counted apart.
        if (d > REFUEL_STEP_L) a.fuelAddedL = (a.fuelAddedL ?? 0) + d;
        else a.fuelUsedL = (a.fuelUsedL ?? 0) - d;
      }
      a.fuelUsedL ??= 0;
      a.fuelAddedL ??= 0;
      m.smoothed = smoothed;
    }
  }

  /** A compact LoRa status: counts towards uptime only (it carries no counters). */
  loraStatus(point: string, at: number, coverMs: number): void {
    const m = this.mem(point);
    this.cover(point, m, at, coverMs);
    this.acc(point, at).loraStatuses++;
  }

  get queued(): number {
    return this.pending.size;
  }

  flush(): void {
    if (!this.pending.size) return;
    const rows = [...this.pending.values()];
    this.pending.clear();
    this.writeAll(rows);
  }
}

// ---- export ----

export type EvidencePeriod = 'hour' | 'day';

export const EVIDENCE_COLUMNS = [
  'point',
  'period_start',
  'period_end',
  'statuses',
  'uptime_pct',
  'visitors_entries',
  'visitors_inside_max',
  'charging_sessions',
  'charging_energy_wh',
  'fuel_used_l',
  'fuel_added_l',
  'messages_emergency',
  'messages_needs',
  'messages_safe',
  ...NEED_CATEGORIES.map((c) => `needs_${c}`),
] as const;

export type EvidenceCell = string | number | null;

interface Row {
  point: string;
  start: number;
  statuses: number;
  coveredMs: number;
  entries: number;
  insideMax: number | null;
  sessions: number;
  wh: number;
  used: number | null;
  added: number | null;
  messages: Record<'emergency' | 'needs' | 'safe', number>;
  needs: Map<string, number>;
}

const round = (x: number, digits: number) => Math.round(x * 10 ** digits) / 10 ** digits;

/**
 * Rows of the evidence for [from, to) per point and period (hours or days in `timeZone`, UTC by default), in
 * point then time order. Stored hours are UTC hours: with a zone whose offset is not whole hours an hour's
 * counts land in the local hour it starts in.
 */
export function evidenceRows(db: Database, o: { from: number; to: number; period: EvidencePeriod; point?: string; timeZone?: string }): EvidenceCell[][] {
  const tz = o.timeZone ?? 'UTC';
  const start = (t: number) => periodStart(t, o.period, tz);
  const rows = new Map<string, Row>();
  const row = (point: string, t: number): Row => {
    const s = start(t);
    const key = `${point}\u0000${s}`;
    let r = rows.get(key);
    if (!r) {
      r = { point, start: s, statuses: 0, coveredMs: 0, entries: 0, insideMax: null, sessions: 0, wh: 0, used: null, added: null, messages: { emergency: 0, needs: 0, safe: 0 }, needs: new Map() };
      rows.set(key, r);
    }
    return r;
  };
  const from = start(o.from);
  const hours = db
    .prepare(`SELECT * FROM coord_evidence_hour WHERE hour >= ? AND hour < ? AND (? IS NULL OR point = ?)`)
    .all(from, o.to, o.point ?? null, o.point ?? null) as {
    point: string;
    hour: number;
    statuses: number;
    covered_ms: number;
    entries: number;
    inside_max: number | null;
    charging_sessions: number;
    charging_wh: number;
    fuel_used_l: number | null;
    fuel_added_l: number | null;
  }[];
  for (const h of hours) {
    const r = row(h.point, h.hour);
    r.statuses += h.statuses;
    r.coveredMs += h.covered_ms;
    r.entries += h.entries;
    if (h.inside_max !== null) r.insideMax = Math.max(r.insideMax ?? 0, h.inside_max);
    r.sessions += h.charging_sessions;
    r.wh += h.charging_wh;
    if (h.fuel_used_l !== null) r.used = (r.used ?? 0) + h.fuel_used_l;
    if (h.fuel_added_l !== null) r.added = (r.added ?? 0) + h.fuel_added_l;
  }
  const messages = db
    .prepare(`SELECT point, kind, body, received FROM relay_inbox WHERE received >= ? AND received < ? AND (? IS NULL OR point = ?)`)
    .all(from, o.to, o.point ?? null, o.point ?? null) as { point: string; kind: string; body: string; received: number }[];
  for (const m of messages) {
    if (m.kind !== 'emergency' && m.kind !== 'needs' && m.kind !== 'safe') continue;
    const r = row(m.point, m.received);
    r.messages[m.kind]++;
    if (m.kind === 'needs') {
      const body = JSON.parse(m.body) as { needs?: { category?: unknown }[] };
      for (const n of body.needs ?? []) if (typeof n.category === 'string') r.needs.set(n.category, (r.needs.get(n.category) ?? 0) + 1);
    }
  }
  return [...rows.values()]
    .sort((a, b) => a.point.localeCompare(b.point) || a.start - b.start)
    .map((r) => {
      const end = periodEnd(r.start, o.period, tz);
      return [
        r.point,
        localIso(r.start, tz),
        localIso(end, tz),
        r.statuses,
        round(Math.min(100, (100 * r.coveredMs) / (end - r.start)), 1),
        r.entries,
        r.insideMax,
        r.sessions,
        round(r.wh, 1),
        // Noise can leave a small net rise in an hour without a refuel: that hour used nothing measurable.
        r.used === null ? null : round(Math.max(0, r.used), 2),
        r.added === null ? null : round(r.added, 2),
        r.messages.emergency,
        r.messages.needs,
        r.messages.safe,
        ...NEED_CATEGORIES.map((c) => r.needs.get(c) ?? 0),
      ];
    });
}

function csvCell(v: EvidenceCell): string {
  if (v === null) return '';
  const s = String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export function toCsv(columns: readonly string[], rows: readonly EvidenceCell[][]): string {
  return [columns, ...rows].map((r) => r.map(csvCell).join(',')).join('\r\n') + '\r\n';
}
