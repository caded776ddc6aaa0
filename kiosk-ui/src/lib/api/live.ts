// Live updates: the `/api/live` WebSocket while it works, polling every 5 s while it does not.
// The socket is retried with a growing delay, so a gateway restart brings the live view back by itself.

import type { LiveMessage } from './types.js';

export type LiveMode = 'connecting' | 'live' | 'polling';

/** The part of the WebSocket API used here, so tests can pass a fake socket. */
export interface SocketLike {
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: unknown) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  close(): void;
}

export interface LiveOptions {
  /** Absolute ws:// or wss:// URL of `/api/live`. */
  url: string;
  onMessage(msg: LiveMessage): void;
  /** One poll (fetch the data and deliver it); errors are reported through onPollError. */
  poll(): Promise<void>;
  onPollError?(err: unknown): void;
  onMode?(mode: LiveMode): void;
  openSocket?: (url: string) => SocketLike;
  pollMs?: number;
  /** First socket retry delay; doubles up to maxRetryMs. */
  retryMs?: number;
  maxRetryMs?: number;
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout };
}

export const POLL_MS = 5_000;

export interface LiveConnection {
  stop(): void;
}

export function parseLiveMessage(raw: unknown): LiveMessage | null {
  if (typeof raw !== 'string') return null;
  let msg: unknown;
  try {
    msg = JSON.parse(raw);
  } catch {
    return null;
  }
  if (typeof msg !== 'object' || msg === null) return null;
  const { type, data } = msg as { type?: unknown; data?: unknown };
  if ((type === 'status' || type === 'points') && typeof data === 'object' && data !== null) return msg as LiveMessage;
  return null;
}

export function liveUrl(loc: { protocol: string; host: string }): string {
  return `${loc.protocol === 'https:' ? 'wss:' : 'ws:'}//${loc.host}/api/live`;
}

export function startLive(opts: LiveOptions): LiveConnection {
  const pollMs = opts.pollMs ?? POLL_MS;
  const firstRetry = opts.retryMs ?? 2_000;
  const maxRetry = opts.maxRetryMs ?? 30_000;
  const timers = opts.timers ?? { setTimeout: globalThis.setTimeout.bind(globalThis), clearTimeout: globalThis.clearTimeout.bind(globalThis) };
  const open = opts.openSocket ?? ((url: string) => new WebSocket(url) as unknown as SocketLike);

  let stopped = false;
  let socket: SocketLike | null = null;
  let pollTimer: ReturnType<typeof setTimeout> | null = null;
  let retryTimer: ReturnType<typeof setTimeout> | null = null;
  let retryDelay = firstRetry;
  let polling = false;

  const setMode = (m: LiveMode) => opts.onMode?.(m);

  function pollOnce(): void {
    if (stopped || !polling) return;
    opts
      .poll()
      .catch((err: unknown) => opts.onPollError?.(err))
      .finally(() => {
        if (!stopped && polling) pollTimer = timers.setTimeout(pollOnce, pollMs);
      });
  }

  function startPolling(): void {
    if (polling) return;
    polling = true;
    setMode('polling');
    pollOnce();
  }

  function stopPolling(): void {
    polling = false;
    if (pollTimer !== null) timers.clearTimeout(pollTimer);
    pollTimer = null;
  }

  function connect(): void {
    if (stopped) return;
    let s: SocketLike;
    try {
      s = open(opts.url);
    } catch {
      onSocketFailed();
      return;
    }
    socket = s;
    s.onopen = () => {
      retryDelay = firstRetry;
      stopPolling();
      setMode('live');
    };
    s.onmessage = (ev) => {
      const msg = parseLiveMessage(ev.data);
      if (msg) opts.onMessage(msg);
    };
    // Browsers fire error then close; handling close alone covers both and refused connections.
    s.onerror = () => undefined;
    s.onclose = () => {
      if (socket !== s) return;
      socket = null;
      onSocketFailed();
    };
  }

  function onSocketFailed(): void {
    if (stopped) return;
    startPolling();
    retryTimer = timers.setTimeout(() => {
      retryTimer = null;
      connect();
    }, retryDelay);
    retryDelay = Math.min(retryDelay * 2, maxRetry);
  }

  setMode('connecting');
  connect();

  return {
    stop() {
      stopped = true;
      stopPolling();
      if (retryTimer !== null) timers.clearTimeout(retryTimer);
      const s = socket;
      socket = null;
      if (s) {
        s.onclose = null;
        s.close();
      }
    },
  };
}
