// The coordinator console's API (contract: edge-gateway coordinator routes, /work/team/coordinator-api.md v1)
// as the UI reads it. Every call goes through the login session (cookie + CSRF header), except the CAP import,
// whose body is XML: it takes the session's CSRF token from `GET /api/auth/session`.
import type { BoardLang, Need, Service } from './board.js';
import { ApiError, unwrap } from './client.js';
import { CSRF_HEADER, type SessionStore } from './session.js';
import type { PointStatus } from './types.js';

export type Link = 'mqtt' | 'lora';

export interface FuelForecast {
  kind: 'estimate' | 'steady' | 'unknown';
  unit: 'l' | 'pct';
  hoursToEmpty: number | null;
  hoursLow: number | null;
  hoursHigh: number | null;
  ratePerHour: number | null;
  level: number | null;
  confidence: 'high' | 'low' | null;
  reason: 'no-data' | 'too-few-readings' | 'too-short' | 'too-noisy' | null;
  refuelAt: number | null;
  at: number;
}

export interface AlertCounts {
  open: number;
  critical: number;
  unacknowledged: number;
}

export interface LoraStatus {
  at: number;
  fuelPct: number | null;
  hoursToEmpty: number | null;
  batteryPct: number | null;
  batteryV: number | null;
  generator: 'off' | 'starting' | 'running' | 'cooldown' | 'fault' | 'unknown';
  visitorsPresent: number | null;
  chargingW: number | null;
  alarms: string[];
}

export interface ChargingStats {
  policy: 'budget' | 'off';
  stage: string;
  queue: number;
  sessionsToday: number;
  servedToday: number;
  energyWhToday: number;
  refusedNoPowerToday: number;
}

/** The full status with the charging module's evidence (present when the point runs it). */
export type FullStatus = PointStatus & { chargingStats?: ChargingStats };

export interface PointOverview {
  point: string;
  name: string;
  online: boolean;
  linkState: 'online' | 'offline' | 'unknown';
  link: Link;
  receivedAt: number | null;
  lastHeardAt: number | null;
  status: FullStatus | null;
  lora: LoraStatus | null;
  forecast: FuelForecast | null;
  alerts: AlertCounts;
  urgency: number;
}

export type AlertRule = 'fuel-low' | 'battery-low' | 'generator-stopped' | 'sensor-fault' | 'charging-fault' | 'point-silent';

export interface Alert {
  id: number;
  point: string;
  pointName: string;
  rule: AlertRule;
  severity: 'critical' | 'warning';
  state: 'open' | 'acknowledged' | 'resolved';
  conditionActive: boolean;
  value: number | boolean;
  raisedAt: number;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
  resolution: 'auto' | 'manual' | null;
  note: string | null;
}

export type Severity = 'low' | 'medium' | 'high' | 'critical';
export interface EmergencyBody {
  type: string;
  severity: Severity;
  people: number | null;
  note: string;
}
export interface NeedsBody {
  needs: { category: string; severity: Severity; people: number | null }[];
}
export interface SafeBody {
  people: number | null;
  postcode: string | null;
  houseNumber: number | null;
  name: string;
}
export type InboxKind = 'emergency' | 'needs' | 'safe';

interface InboxBase {
  id: string;
  point: string;
  pointName: string;
  seq: number;
  created: number | null;
  received: number;
  path: 'ip' | 'chirpstack' | 'ttn';
  delivered: boolean;
  readAt: number | null;
  readBy: string | null;
  handledAt: number | null;
  handledBy: string | null;
}
export type InboxItem =
  | (InboxBase & { kind: 'emergency'; body: EmergencyBody })
  | (InboxBase & { kind: 'needs'; body: NeedsBody })
  | (InboxBase & { kind: 'safe'; body: SafeBody });
export type InboxCounts = Record<InboxKind, { total: number; unread: number; unhandled: number }>;

export interface LocalizedText {
  situation: string;
  actions: string[];
  outlook: string;
  places?: string[];
}
/** Board content as the gateway accepts it (BoardContentSchema input). */
export interface BoardContentInput {
  point: { name: string };
  authority: string;
  source?: 'coordinator' | 'local';
  updatedAt?: string;
  languages: BoardLang[];
  text: Partial<Record<BoardLang, LocalizedText>>;
  referrals?: { need: Need }[];
  services?: Service[];
  openingHours?: { days: number[]; from: string; to: string }[];
}

export interface CapReference {
  sender: string;
  identifier: string;
  sent: string;
}
export type CapDraft =
  | { kind: 'draft'; content: BoardContentInput; replaces: CapReference[]; from: Partial<Record<'nl' | 'en', string>>; expiresAt: number | null; warnings: string[] }
  | { kind: 'cancel'; references: CapReference[]; warnings: string[] };

export interface BroadcastTemplate {
  id: string;
  title: { nl: string; en: string };
  content: BoardContentInput;
  placeholders: string[];
}

export interface Panel {
  id: string;
  name: string;
  width: number;
  height: number;
}

export interface Preview extends Panel {
  panel: string;
  pages: number;
  page: number;
  /** data:image/png;base64,… */
  png: string;
}

export interface BoardResult {
  point: string;
  at: number;
  issuer: string | null;
  seq: number | null;
  /** 'accepted' or the reason the point refused it. */
  result: string;
  detail?: string;
}
export interface BroadcastDelivery {
  point: string;
  seq: number;
  sendError: string | null;
  result: BoardResult | null;
}
export type BroadcastTargetBody = 'all' | { point: string } | { points: string[] };
export interface BroadcastRecord {
  id: string;
  at: number;
  expiresAt: number;
  target: BroadcastTargetBody;
  authority: string;
  deliveries: BroadcastDelivery[];
}

export interface PointSeries {
  t: number[];
  fuelPct: (number | null)[];
  fuelL: (number | null)[];
  batterySoc: (number | null)[];
  batteryV: (number | null)[];
  batteryA: (number | null)[];
  visitorsInside: (number | null)[];
  chargingW: (number | null)[];
}

export interface PointDetail {
  point: PointOverview;
  from: number;
  to: number;
  resolution: 'raw' | '15m';
  series: PointSeries;
  battery: { kind: 'charging' | 'discharging' | 'steady' | 'unknown'; socPerHour: number | null; hoursToFloor: number | null };
  charging: ChargingStats | null;
  alerts: Alert[];
  inbox: InboxCounts;
}

export interface Evidence {
  filename: string;
  columns: string[];
  rows: (string | number | null)[][];
  csv: string;
}

/** Live messages the coordinator pushes besides `status` and `points`. */
export type CoordinatorLiveMessage =
  | { type: 'points'; data: { points: PointOverview[] } }
  | { type: 'alerts'; data: { alerts: Alert[]; changed: Alert } }
  | { type: 'inbox'; data: { counts: InboxCounts } };

export function parseCoordinatorLive(raw: unknown): CoordinatorLiveMessage | null {
  if (typeof raw !== 'string') return null;
  try {
    const m = JSON.parse(raw) as { type?: unknown; data?: unknown };
    if ((m.type === 'points' || m.type === 'alerts' || m.type === 'inbox') && typeof m.data === 'object' && m.data !== null) return m as CoordinatorLiveMessage;
  } catch {
    /* not JSON: ignored like any unknown message */
  }
  return null;
}

const q = (params: Record<string, string | number | undefined>) => {
  const s = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== '') s.set(k, String(v));
  const str = s.toString();
  return str ? `?${str}` : '';
};

export interface CoordinatorApi {
  points(): Promise<{ points: PointOverview[] }>;
  detail(point: string, hours?: number): Promise<PointDetail>;
  alerts(state?: 'open' | 'all', point?: string): Promise<{ alerts: Alert[] }>;
  ackAlert(id: number): Promise<{ alert: Alert }>;
  resolveAlert(id: number, note?: string): Promise<{ alert: Alert }>;
  inbox(opts?: { state?: 'all' | 'unhandled'; kind?: InboxKind; point?: string }): Promise<{ messages: InboxItem[]; counts: InboxCounts }>;
  markRead(point: string, seq: number): Promise<{ message: InboxItem }>;
  markHandled(point: string, seq: number, handled?: boolean): Promise<{ message: InboxItem }>;
  templates(): Promise<{ templates: BroadcastTemplate[] }>;
  panels(): Promise<{ panels: Panel[] }>;
  preview(content: BoardContentInput, panels?: string[], page?: number): Promise<{ previews: Preview[] }>;
  importCap(xml: string, pointName?: string): Promise<{ draft: CapDraft }>;
  broadcast(content: BoardContentInput, target: BroadcastTargetBody): Promise<BroadcastRecord>;
  broadcasts(): Promise<{ broadcasts: BroadcastRecord[] }>;
  chargingPolicy(point: string, policy: 'budget' | 'off'): Promise<{ id: string }>;
  evidence(opts?: { from?: string | number; to?: string | number; period?: 'hour' | 'day'; point?: string; tz?: string }): Promise<Evidence>;
}

export function createCoordinatorApi(session: Pick<SessionStore, 'get' | 'send'>, opts: { base?: string; fetch?: typeof fetch } = {}): CoordinatorApi {
  const doFetch = opts.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const base = opts.base ?? '';
  return {
    points: () => session.get('/api/points'),
    detail: (point, hours) => session.get(`/api/points/detail${q({ point, hours })}`),
    alerts: (state = 'open', point) => session.get(`/api/alerts${q({ state, point })}`),
    ackAlert: (id) => session.send('POST', '/api/alerts/ack', { id }),
    resolveAlert: (id, note) => session.send('POST', '/api/alerts/resolve', note ? { id, note } : { id }),
    inbox: (o = {}) => session.get(`/api/inbox${q({ state: o.state, kind: o.kind, point: o.point })}`),
    markRead: (point, seq) => session.send('POST', '/api/inbox/read', { point, seq }),
    markHandled: (point, seq, handled = true) => session.send('POST', '/api/inbox/handled', { point, seq, handled }),
    templates: () => session.get('/api/broadcasts/templates'),
    panels: () => session.get('/api/broadcasts/panels'),
    preview: (content, panels, page) => session.send('POST', '/api/broadcasts/preview', { content, ...(panels ? { panels } : {}), ...(page ? { page } : {}) }),
    async importCap(xml, pointName) {
      const path = `/api/broadcasts/cap${q({ name: pointName })}`;
      // The session's JSON-only `send` cannot carry XML; the CSRF token is the session's own.
      const { csrf } = await session.get<{ csrf: string }>('/api/auth/session');
      let res: Response;
      try {
        res = await doFetch(base + path, { method: 'POST', credentials: 'same-origin', headers: { Accept: 'application/json', 'Content-Type': 'application/xml', [CSRF_HEADER]: csrf }, body: xml });
      } catch (err) {
        throw new ApiError(`POST ${path}: no answer from the gateway`, 0, { cause: err });
      }
      let parsed: unknown;
      try {
        parsed = await res.json();
      } catch (err) {
        throw new ApiError(`POST ${path}: reply is not JSON (HTTP ${res.status})`, res.status, { cause: err });
      }
      return unwrap(parsed, `POST ${path}`, res.status);
    },
    broadcast: (content, target) => session.send('POST', '/api/broadcasts', { content, target }),
    broadcasts: () => session.get('/api/broadcasts'),
    chargingPolicy: (point, policy) => session.send('POST', '/api/points/charging-policy', { point, policy }),
    evidence: (o = {}) => session.get(`/api/evidence${q({ from: o.from, to: o.to, period: o.period, point: o.point, tz: o.tz })}`),
  };
}
