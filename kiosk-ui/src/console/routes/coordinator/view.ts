// What the coordinator screens show, as plain functions of the API's data (tested without a browser).
// Unknown values read "unknown", never 0: a coordinator must not mistake a missing reading for an empty tank.
import type { Alert, BroadcastDelivery, FuelForecast, InboxItem, PointOverview, PointSeries } from '../../../lib/api/coordinator.js';
import { formatAgo } from '../../../lib/format-ago.js';
import type { Translate } from '../../../lib/i18n/table.js';
import type { CoordinatorKey } from '../../../lib/i18n/tables/coordinator.js';

export type T = Translate<CoordinatorKey>;

// Formatters are costly to construct and the overview formats thousands of numbers: one per locale and digits.
const formats = new Map<string, Intl.NumberFormat>();
export function num(locale: string, v: number | null | undefined, digits = 0): string | null {
  if (v == null || !Number.isFinite(v)) return null;
  const key = `${locale}/${digits}`;
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.NumberFormat(locale, { minimumFractionDigits: digits, maximumFractionDigits: digits })));
  return f.format(v);
}

export function ago(t: T, ts: number | null | undefined, now: number): string {
  return formatAgo({ t }, ts, now);
}

const clocks = new Map<string, Intl.DateTimeFormat>();
export function clock(locale: string, ts: number): string {
  let f = clocks.get(locale);
  if (!f) clocks.set(locale, (f = new Intl.DateTimeFormat(locale, { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', hour12: false })));
  return f.format(new Date(ts));
}

/** Hours to empty with its band, "not falling", or unknown with the reason. */
export function hoursToEmpty(t: T, locale: string, f: FuelForecast | null): { text: string; tone: 'bad' | 'warn' | 'ok' | 'unknown' } {
  if (!f || f.kind === 'unknown') return { text: t('hours.unknown', { reason: t(`reason.${f?.reason ?? 'no-data'}`) }), tone: 'unknown' };
  if (f.kind === 'steady' || f.hoursToEmpty === null) return { text: t('hours.steady'), tone: 'ok' };
  const h = f.hoursToEmpty;
  const tone = h < 6 ? 'bad' : h < 24 ? 'warn' : 'ok';
  const digits = h < 10 ? 1 : 0;
  if (f.confidence === 'high' && f.hoursLow !== null && f.hoursHigh !== null) {
    return { text: t('hours.estimate', { h: num(locale, h, digits)!, low: num(locale, f.hoursLow, digits)!, high: num(locale, f.hoursHigh, digits)! }), tone };
  }
  return { text: t('hours.low', { h: num(locale, h, digits)! }), tone };
}

/** Fuel as "% · L" from the full status, or the LoRa compact status when that is newer. */
export function fuelText(t: T, locale: string, p: PointOverview): string {
  const useLora = p.link === 'lora' && p.lora;
  const pct = useLora ? p.lora!.fuelPct : p.status?.fuel?.pct;
  const litres = useLora ? null : p.status?.fuel?.litres;
  const parts = [pct != null ? `${num(locale, pct)} %` : null, litres != null ? `${num(locale, litres, 1)} L` : null].filter(Boolean);
  const sensor = !useLora && p.status?.fuel && p.status.fuel.status !== 'ok' ? ` (${p.status.fuel.status})` : '';
  return parts.length ? parts.join(' · ') + sensor : t('unknown') + sensor;
}

export function batteryText(t: T, locale: string, p: PointOverview): string {
  const useLora = p.link === 'lora' && p.lora;
  const soc = useLora ? p.lora!.batteryPct : p.status?.battery?.soc;
  const v = useLora ? p.lora!.batteryV : p.status?.battery?.v;
  const parts = [soc != null ? `${num(locale, soc)} %` : null, v != null ? `${num(locale, v, 1)} V` : null].filter(Boolean);
  return parts.length ? parts.join(' · ') : t('unknown');
}

export function visitorsText(t: T, locale: string, p: PointOverview): string {
  const n = p.link === 'lora' && p.lora ? p.lora.visitorsPresent : p.status?.visitors?.inside;
  return num(locale, n) ?? t('unknown');
}

export function chargingText(t: T, locale: string, p: PointOverview): string {
  if (p.link === 'lora' && p.lora) return p.lora.chargingW != null ? `${num(locale, p.lora.chargingW)} W` : t('unknown');
  const c = p.status?.charging;
  if (!c) return t('unknown');
  const w = num(locale, c.watts);
  const policy = p.status?.chargingStats?.policy === 'off' ? ` · ${t('policy.off')}` : '';
  return `${c.portsOn}/${c.ports}${w ? ` · ${w} W` : ''}${policy}`;
}

/** Overview order: the gateway's urgency score (higher first), then name; returns a new array. */
export function byUrgency(points: readonly PointOverview[]): PointOverview[] {
  return [...points].sort((a, b) => b.urgency - a.urgency || a.name.localeCompare(b.name, 'nl'));
}

export function matches(p: PointOverview, query: string): boolean {
  const q = query.trim().toLowerCase();
  return !q || p.name.toLowerCase().includes(q) || p.point.includes(q);
}

export function overviewCounts(points: readonly PointOverview[]): { n: number; silent: number; critical: number } {
  return { n: points.length, silent: points.filter((p) => !p.online).length, critical: points.filter((p) => p.alerts.critical > 0).length };
}

const KIND_ORDER = { emergency: 0, needs: 1, safe: 2 } as const;

/** Emergency reports first, then needs, then safe; within a kind unhandled first, then newest received. */
export function orderInbox(items: readonly InboxItem[]): InboxItem[] {
  return [...items].sort(
    (a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || Number(a.handledAt !== null) - Number(b.handledAt !== null) || b.received - a.received,
  );
}

/** One line describing what a report says. */
export function inboxSummary(t: T, m: InboxItem): string {
  const people = (n: number | null) => (n === null ? null : t('inbox.people', { n }));
  switch (m.kind) {
    case 'emergency':
      return [m.body.type, t('inbox.severity', { s: m.body.severity }), people(m.body.people), m.body.note || null].filter(Boolean).join(' · ');
    case 'needs':
      return m.body.needs.map((n) => [n.category, t('inbox.severity', { s: n.severity }), people(n.people)].filter(Boolean).join(', ')).join(' · ');
    case 'safe':
      return [m.body.name, people(m.body.people), m.body.postcode, m.body.houseNumber !== null ? String(m.body.houseNumber) : null].filter(Boolean).join(' · ');
  }
}

/** Alerts: unresolved first, critical before warning, newest first. */
export function orderAlerts(alerts: readonly Alert[]): Alert[] {
  const rank = (a: Alert) => (a.state === 'resolved' ? 2 : 0) + (a.severity === 'critical' ? 0 : 1);
  return [...alerts].sort((a, b) => rank(a) - rank(b) || b.raisedAt - a.raisedAt);
}

export function alertValue(locale: string, a: Alert): string {
  return typeof a.value === 'number' ? `${num(locale, a.value, a.value < 10 ? 1 : 0)}${a.rule === 'fuel-low' || a.rule === 'battery-low' ? ' %' : ''}` : '';
}

export type DeliveryState = 'pending' | 'accepted' | 'refused' | 'send-error';

export function deliveryState(d: BroadcastDelivery): { state: DeliveryState; reason: string | null } {
  if (d.sendError) return { state: 'send-error', reason: d.sendError };
  if (!d.result) return { state: 'pending', reason: null };
  if (d.result.result === 'accepted') return { state: 'accepted', reason: null };
  return { state: 'refused', reason: d.result.detail ? `${d.result.result} (${d.result.detail})` : d.result.result };
}

export function deliveryText(t: T, d: BroadcastDelivery): string {
  const s = deliveryState(d);
  switch (s.state) {
    case 'pending':
      return t('delivery.pending');
    case 'accepted':
      return t('delivery.accepted');
    case 'refused':
      return t('delivery.refused', { reason: s.reason! });
    case 'send-error':
      return t('delivery.sendError', { error: s.reason! });
  }
}

export type ChartKey = 'fuel' | 'battery' | 'visitors' | 'charging';
export const CHARTS: readonly { key: ChartKey; label: CoordinatorKey; field: keyof Omit<PointSeries, 't'> }[] = [
  { key: 'fuel', label: 'chart.fuel', field: 'fuelPct' },
  { key: 'battery', label: 'chart.battery', field: 'batterySoc' },
  { key: 'visitors', label: 'chart.visitors', field: 'visitorsInside' },
  { key: 'charging', label: 'chart.charging', field: 'chargingW' },
];

/** uPlot's columnar data for one series: x in seconds, y with null gaps. */
export function chartData(series: PointSeries, field: keyof Omit<PointSeries, 't'>): [number[], (number | null)[]] {
  return [series.t.map((ms) => ms / 1000), series[field].map((v) => (v == null || !Number.isFinite(v) ? null : v))];
}

/** A text equivalent of a chart (screen readers, and the summary under it). */
export function chartSummary(t: T, locale: string, label: string, ys: readonly (number | null)[]): string {
  const known = ys.filter((y): y is number => y !== null);
  if (!known.length) return `${label}: ${t('detail.noData')}`;
  const f = (v: number) => num(locale, v, Number.isInteger(v) ? 0 : 1)!;
  return t('chart.summary', { label, n: known.length, last: f(known[known.length - 1]!), min: f(Math.min(...known)), max: f(Math.max(...known)) });
}
