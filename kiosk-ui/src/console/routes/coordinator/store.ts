// The coordinator screens' data: points (urgency order), open alerts and inbox counts, fetched through the
// login session and kept current over the `/api/live` WebSocket (points, alerts, inbox pushes), or by polling
// while the socket is down (lib/api/live.ts does the retrying).
import { batch, signal, type ReadonlySignal } from '@preact/signals';
import { startLive, type LiveMode, type SocketLike } from '../../../lib/api/live.js';
import { parseCoordinatorLive, type Alert, type CoordinatorApi, type CoordinatorLiveMessage, type InboxCounts, type PointOverview } from '../../../lib/api/coordinator.js';
import { errorText } from '../../../lib/stores/errors.js';
import { byUrgency } from './view.js';

export interface CoordinatorStore {
  readonly points: ReadonlySignal<PointOverview[] | null>;
  readonly alerts: ReadonlySignal<Alert[] | null>;
  readonly inboxCounts: ReadonlySignal<InboxCounts | null>;
  /** Bumped on every inbox push, so an open inbox refetches. */
  readonly inboxVersion: ReadonlySignal<number>;
  readonly error: ReadonlySignal<string | null>;
  readonly mode: ReadonlySignal<LiveMode>;
  readonly lost: ReadonlySignal<boolean>;
  refresh(): Promise<void>;
  refreshAlerts(): Promise<void>;
  receive(msg: CoordinatorLiveMessage): void;
  start(liveUrl: string, openSocket?: (url: string) => SocketLike): void;
  stop(): void;
}

/** A browser WebSocket that also hands the coordinator's own message types (alerts, inbox) to `extra`. */
export function coordinatorSocket(extra: (msg: CoordinatorLiveMessage) => void, open: (url: string) => WebSocket = (u) => new WebSocket(u)) {
  return (url: string): SocketLike => {
    const ws = open(url);
    const s: SocketLike = { onopen: null, onmessage: null, onclose: null, onerror: null, close: () => ws.close() };
    ws.onopen = (e) => s.onopen?.(e);
    ws.onclose = (e) => s.onclose?.(e);
    ws.onerror = (e) => s.onerror?.(e);
    ws.onmessage = (e: MessageEvent) => {
      const m = parseCoordinatorLive(e.data);
      if (m && m.type !== 'points') extra(m);
      s.onmessage?.({ data: e.data });
    };
    return s;
  };
}

/**
 * Fills what an older gateway (or the UI's dev mock) leaves out of a point, so the screens need not guard
 * every field: no alert counts = none known, no urgency = 0, no forecast = unknown.
 */
export function withDefaults(p: Partial<PointOverview> & Pick<PointOverview, 'point' | 'name' | 'online'>): PointOverview {
  return {
    linkState: 'unknown',
    link: 'mqtt',
    receivedAt: null,
    lastHeardAt: p.receivedAt ?? null,
    status: null,
    lora: null,
    forecast: null,
    urgency: 0,
    ...p,
    alerts: p.alerts ?? { open: 0, critical: 0, unacknowledged: 0 },
  };
}

export function createCoordinatorStore(api: CoordinatorApi): CoordinatorStore {
  const points = signal<PointOverview[] | null>(null);
  const alerts = signal<Alert[] | null>(null);
  const inboxCounts = signal<InboxCounts | null>(null);
  const inboxVersion = signal(0);
  const error = signal<string | null>(null);
  const mode = signal<LiveMode>('connecting');
  const lost = signal(false);
  let conn: { stop(): void } | null = null;

  const receive = (msg: CoordinatorLiveMessage) => {
    batch(() => {
      if (msg.type === 'points') points.value = byUrgency(msg.data.points.map(withDefaults));
      else if (msg.type === 'alerts') alerts.value = msg.data.alerts;
      else {
        inboxCounts.value = msg.data.counts;
        inboxVersion.value++;
      }
    });
  };
  const refreshAlerts = async () => {
    alerts.value = (await api.alerts('open')).alerts;
  };
  const refresh = async () => {
    try {
      const [p, a, i] = await Promise.all([api.points(), api.alerts('open'), api.inbox({ state: 'unhandled' })]);
      batch(() => {
        points.value = byUrgency(p.points.map(withDefaults));
        alerts.value = a.alerts;
        inboxCounts.value = i.counts;
        error.value = null;
        lost.value = false;
      });
    } catch (err) {
      error.value = errorText(err);
      throw err;
    }
  };

  return {
    points,
    alerts,
    inboxCounts,
    inboxVersion,
    error,
    mode,
    lost,
    refresh,
    refreshAlerts,
    receive,
    start(liveUrl, openSocket = coordinatorSocket(receive)) {
      if (conn) return;
      // Fetch at once, alongside the socket: pushes of points and alerts carry the whole list, so a change
      // between this answer and the socket opening is corrected by the next push.
      refresh().catch(() => (lost.value = true));
      conn = startLive({
        url: liveUrl,
        poll: refresh,
        openSocket,
        onPollError: () => (lost.value = true),
        onMode: (m) => {
          mode.value = m;
          if (m === 'live') lost.value = false;
        },
        onMessage: (msg) => {
          if (msg.type === 'points') receive(msg as unknown as CoordinatorLiveMessage);
        },
      });
    },
    stop() {
      conn?.stop();
      conn = null;
    },
  };
}
