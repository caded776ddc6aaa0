// What the coordinator reads: hours to empty with its band or the reason it is unknown, unknown readings as
// "unknown" (never 0), emergency reports before anything else, delivery results, chart data with gaps.
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { Overview } from '../../../src/console/routes/coordinator/Overview.js';
import { AlertList } from '../../../src/console/routes/coordinator/Alerts.js';
import { parseSubPage, subHref } from '../../../src/console/routes/coordinator/index.js';
import { evidenceRange } from '../../../src/console/routes/coordinator/Evidence.js';
import {
  byUrgency,
  chartData,
  chartSummary,
  deliveryState,
  deliveryText,
  fuelText,
  hoursToEmpty,
  inboxSummary,
  orderAlerts,
  orderInbox,
  overviewCounts,
} from '../../../src/console/routes/coordinator/view.js';
import type { CoordinatorApi } from '../../../src/lib/api/coordinator.js';
import { NOW, alert, emergency, forecast, need, point, safe, tFor } from './fixtures.js';

const { t, locale } = tFor('nl');
const en = tFor('en');
const text = (html: string) => html.replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim();

describe('coordinator view logic', () => {
  it('asks for evidence over whole UTC days, the "to" day included, and up to the coordinator\'s now when "to" is empty', () => {
    expect(evidenceRange('2026-11-20', '2026-11-27')).toEqual({ from: '2026-11-20', to: '2026-11-28' });
    expect(evidenceRange('2026-12-31', '2026-12-31')).toEqual({ from: '2026-12-31', to: '2027-01-01' });
    expect(evidenceRange('2026-11-20', '')).toEqual({ from: '2026-11-20' });
    expect(evidenceRange('', '')).toEqual({});
  });

  it('shows hours to empty with its band, a low-confidence figure as uncertain, and the reason when unknown', () => {
    expect(hoursToEmpty(t, locale, forecast())).toEqual({ text: '5,2 uur (4,6–6,1)', tone: 'bad' });
    expect(hoursToEmpty(en.t, en.locale, forecast({ hoursToEmpty: 30, hoursLow: 25, hoursHigh: 38 }))).toEqual({ text: '30 h (25–38)', tone: 'ok' });
    expect(hoursToEmpty(en.t, en.locale, forecast({ confidence: 'low', hoursToEmpty: 12.4 }))).toEqual({ text: '12 h (uncertain)', tone: 'warn' });
    expect(hoursToEmpty(t, locale, forecast({ kind: 'steady', hoursToEmpty: null }))).toEqual({ text: 'daalt niet', tone: 'ok' });
    expect(hoursToEmpty(en.t, en.locale, forecast({ kind: 'unknown', hoursToEmpty: null, reason: 'too-noisy' })).text).toBe('unknown (too noisy)');
    expect(hoursToEmpty(t, locale, null)).toEqual({ text: 'onbekend (geen gegevens)', tone: 'unknown' });
  });

  it('shows a missing fuel reading as unknown with the sensor state, not as 0', () => {
    const p = point('p1');
    p.status!.fuel = { litres: null, pct: null, status: 'fault' };
    expect(fuelText(t, locale, p)).toBe('onbekend (fault)');
    expect(fuelText(t, locale, point('p2'))).toBe('10 % · 5,7 L');
    // a point heard over LoRa only: its compact status
    const lora = point('p3', { link: 'lora', lora: { at: NOW, fuelPct: 41, hoursToEmpty: 20, batteryPct: 70, batteryV: 50.1, generator: 'running', visitorsPresent: 3, chargingW: null, alarms: [] } });
    expect(fuelText(en.t, en.locale, lora)).toBe('41 %');
  });

  it('orders points by the gateway’s urgency score, then name, and counts silent and critical ones', () => {
    const ps = [point('b', { urgency: 10, alerts: { open: 0, critical: 0, unacknowledged: 0 } }), point('a', { urgency: 10 }), point('c', { urgency: 1500, online: false })];
    expect(byUrgency(ps).map((p) => p.point)).toEqual(['c', 'a', 'b']);
    expect(overviewCounts(ps)).toEqual({ n: 3, silent: 1, critical: 2 });
  });

  it('puts emergency reports first, unhandled before handled, newest first', () => {
    const items = [safe(1, NOW - 10), need(2, NOW - 5), emergency(3, NOW - 100, { handledAt: NOW }), emergency(4, NOW - 200), need(5, NOW - 1)];
    expect(orderInbox(items).map((m) => m.seq)).toEqual([4, 3, 5, 2, 1]);
    expect(inboxSummary(t, items[3]!)).toBe('medical · ernst: high · personen: 2 · Achterdeur kerk');
    expect(inboxSummary(en.t, items[1]!)).toBe('water, severity: medium, people: 4');
  });

  it('orders alerts: unresolved critical, unresolved warning, then resolved; newest first', () => {
    const list = [alert(1, { state: 'resolved', resolution: 'auto' }), alert(2, { severity: 'warning', rule: 'battery-low' }), alert(3), alert(4, { state: 'acknowledged' })];
    expect(orderAlerts(list).map((a) => a.id)).toEqual([3, 4, 2, 1]);
  });

  it('says per point whether a broadcast was accepted, is pending, refused (with the reason) or not sent', () => {
    const d = { point: 'p1', seq: 7, sendError: null, result: null };
    expect(deliveryState(d).state).toBe('pending');
    expect(deliveryText(en.t, { ...d, result: { point: 'p1', at: NOW, issuer: 'c', seq: 7, result: 'accepted' } })).toBe('accepted');
    expect(deliveryText(en.t, { ...d, result: { point: 'p1', at: NOW, issuer: 'c', seq: 7, result: 'expired', detail: 'valid until 12:00' } })).toBe('refused: expired (valid until 12:00)');
    expect(deliveryText(t, { ...d, sendError: 'broker down' })).toBe('niet verstuurd: broker down');
  });

  it('gives uPlot seconds and keeps gaps as null; the text summary ignores gaps', () => {
    const series = { t: [NOW, NOW + 60_000, NOW + 120_000], fuelPct: [50, null, 48.5], fuelL: [], batterySoc: [], batteryV: [], batteryA: [], visitorsInside: [], chargingW: [] };
    const [xs, ys] = chartData(series, 'fuelPct');
    expect(xs).toEqual([NOW / 1000, NOW / 1000 + 60, NOW / 1000 + 120]);
    expect(ys).toEqual([50, null, 48.5]);
    expect(chartSummary(en.t, en.locale, 'Fuel (%)', ys)).toBe('Fuel (%): 2 readings, last value 48.5, lowest 48.5, highest 50');
    expect(chartSummary(en.t, en.locale, 'Fuel (%)', [null])).toBe('Fuel (%): No readings in this period yet.');
  });

  it('routes sub-pages of #/coordinator', () => {
    expect(parseSubPage('')).toEqual({ page: 'overview' });
    expect(parseSubPage('point?id=p-7')).toEqual({ page: 'point', point: 'p-7' });
    expect(parseSubPage('point')).toEqual({ page: 'overview' });
    expect(parseSubPage('inbox')).toEqual({ page: 'inbox' });
    expect(subHref('point', 'p 1')).toBe('#/coordinator/point?id=p%201');
  });
});

describe('coordinator screens (rendered)', () => {
  it('overview: one row per point in urgency order, with hours to empty and open alerts, rows link to the detail', () => {
    const ps = byUrgency([point('quiet', { urgency: 0, alerts: { open: 0, critical: 0, unacknowledged: 0 }, forecast: forecast({ hoursToEmpty: 40, hoursLow: 35, hoursHigh: 46 }) }), point('low')]);
    const html = renderToString(h(Overview, { t, locale, points: ps, error: null, now: NOW, href: (p: string) => `#/coordinator/point?id=${p}` }));
    const rows = [...html.matchAll(/<tr data-point="([^"]+)"/g)].map((m) => m[1]);
    expect(rows).toEqual(['low', 'quiet']);
    expect(html).toContain('data-rows="2"');
    expect(html).toContain('href="#/coordinator/point?id=low"');
    const low = text(/<tr data-point="low".*?<\/tr>/s.exec(html)![0]);
    expect(low).toContain('5,2 uur (4,6–6,1)');
    expect(low).toContain('1 open, 1 kritiek');
    expect(text(/<tr data-point="quiet".*?<\/tr>/s.exec(html)![0])).toContain('geen');
  });

  it('alerts: buttons to acknowledge and resolve an open alert, none on a resolved one', () => {
    const api = {} as CoordinatorApi;
    const html = renderToString(h(AlertList, { t: en.t, locale: en.locale, api, alerts: [alert(1), alert(2, { state: 'resolved', resolution: 'manual', resolvedBy: 'coord', note: 'refuelled' })], onChange: () => undefined }));
    const open = /<li class="co-alert" data-alert="1".*?<\/li>/s.exec(html)![0];
    expect(text(open)).toMatch(/Critical Fuel nearly out 8\.5 % — Dorpshuis p1 open · since/);
    expect(open).toContain('>Acknowledge</button>');
    expect(open).toContain('>Resolve</button>');
    const done = /<li class="co-alert" data-alert="2".*?<\/li>/s.exec(html)![0];
    expect(done).not.toContain('<button');
    expect(text(done)).toContain('resolved by coord · “refuelled”');
  });
});
