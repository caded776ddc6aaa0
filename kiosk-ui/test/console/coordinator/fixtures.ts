// Coordinator API data as the gateway's contract describes it, for the console's view tests.
import type { Alert, FuelForecast, InboxItem, PointOverview } from '../../../src/lib/api/coordinator.js';
import { createI18n } from '../../../src/lib/i18n/i18n.js';
import { translator } from '../../../src/lib/i18n/table.js';
import { coordinatorStrings } from '../../../src/lib/i18n/tables/coordinator.js';

export const NOW = 1_800_000_000_000;

export function tFor(lang: 'nl' | 'en') {
  const i18n = createI18n(lang, ['nl', 'en']);
  return { t: translator(coordinatorStrings, i18n), locale: i18n.locale(), i18n };
}

export function forecast(over: Partial<FuelForecast> = {}): FuelForecast {
  return { kind: 'estimate', unit: 'l', hoursToEmpty: 5.2, hoursLow: 4.6, hoursHigh: 6.1, ratePerHour: 1.1, level: 5.7, confidence: 'high', reason: null, refuelAt: null, at: NOW, ...over };
}

export function point(id: string, over: Partial<PointOverview> = {}): PointOverview {
  return {
    point: id,
    name: `Punt ${id}`,
    online: true,
    linkState: 'online',
    link: 'mqtt',
    receivedAt: NOW - 30_000,
    lastHeardAt: NOW - 30_000,
    status: {
      v: 1,
      point: id,
      name: `Punt ${id}`,
      seq: 4,
      ts: NOW - 30_000,
      nodes: [],
      fuel: { litres: 5.7, pct: 9.5, status: 'ok' },
      battery: { v: 51.2, soc: 64, a: 3 },
      visitors: { inside: 12, entries: 40 },
      charging: { portsOn: 2, ports: 4, watts: 18 },
      alarms: [],
    },
    lora: null,
    forecast: forecast(),
    alerts: { open: 1, critical: 1, unacknowledged: 1 },
    urgency: 600,
    ...over,
  };
}

export function alert(id: number, over: Partial<Alert> = {}): Alert {
  return {
    id,
    point: 'p1',
    pointName: 'Dorpshuis',
    rule: 'fuel-low',
    severity: 'critical',
    state: 'open',
    conditionActive: true,
    value: 8.5,
    raisedAt: NOW - id * 60_000,
    acknowledgedAt: null,
    acknowledgedBy: null,
    resolvedAt: null,
    resolvedBy: null,
    resolution: null,
    note: null,
    ...over,
  };
}

const base = { pointName: 'Dorpshuis', path: 'ip' as const, delivered: true, readAt: null, readBy: null, handledAt: null, handledBy: null, created: null };
export function emergency(seq: number, received: number, over: Partial<InboxItem> = {}): InboxItem {
  return { ...base, id: `p1:${seq}`, point: 'p1', seq, received, kind: 'emergency', body: { type: 'medical', severity: 'high', people: 2, note: 'Achterdeur kerk' }, ...over } as InboxItem;
}
export function need(seq: number, received: number, over: Partial<InboxItem> = {}): InboxItem {
  return { ...base, id: `p1:${seq}`, point: 'p1', seq, received, kind: 'needs', body: { needs: [{ category: 'water', severity: 'medium', people: 4 }] }, ...over } as InboxItem;
}
export function safe(seq: number, received: number, over: Partial<InboxItem> = {}): InboxItem {
  return { ...base, id: `p1:${seq}`, point: 'p1', seq, received, kind: 'safe', body: { name: 'Anna', people: 3, postcode: '9401', houseNumber: 12 }, ...over } as InboxItem;
}
