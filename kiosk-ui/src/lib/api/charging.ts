// Phone charging for residents: take a number, follow the ticket, give it up. Contract:
// edge-gateway/src/charging/routes.ts and service.ts (TakeResult, TicketStatus, BoardSummary).
// The ticket's token is the only key to it; the browser keeps it so a reload (or a dropped Wi-Fi) keeps the turn.
import { ApiError } from './client.js';

export type TicketState = 'waiting' | 'offered' | 'charging' | 'ended' | 'missed' | 'cancelled';
export type SessionEnd = 'full' | 'unplugged' | 'timeout' | 'fault' | 'disabled' | 'stopped';
export type Refusal = 'no-power' | 'off' | 'queue-full' | 'limit';

export interface Taken {
  ok: true;
  number: number;
  token: string;
  position: number;
}

export interface TicketStatus {
  number: number;
  state: TicketState;
  /** Numbers ahead in the queue (waiting only). */
  ahead: number | null;
  /** Port index on the charger, 0-based (residents read port p + 1). */
  port: number | null;
  /** Offered: ms left to plug in. Charging: ms of charging left. Ended: ms left to collect the phone. */
  msLeft: number | null;
  paused: boolean;
  wh: number;
  end: SessionEnd | null;
}

export interface ChargingBoard {
  enabled: boolean;
  chargerOnline: boolean;
  freePorts: number;
  queueLength: number;
  nowServing: number[];
}

/** What the browser keeps of a ticket. */
export interface StoredTicket {
  number: number;
  token: string;
  takenAt: number;
}

const REFUSALS: readonly Refusal[] = ['no-power', 'off', 'queue-full', 'limit'];

export class ChargingRefused extends Error {
  override readonly name = 'ChargingRefused';
  constructor(readonly reason: Refusal) {
    super(`charging number refused: ${reason}`);
  }
}

/** The port as printed on the charger: ports are numbered from 1 for people. */
export function portLabel(port: number): number {
  return port + 1;
}

/** Whole minutes, rounded up: "1 minute" while any time is left, so nobody is told 0 while it still counts. */
export function minutesLeft(ms: number | null): number | null {
  return ms === null ? null : Math.max(0, Math.ceil(ms / 60_000));
}

/** The ticket is over for the resident: nothing more will happen to it. */
export function isFinal(s: Pick<TicketStatus, 'state' | 'msLeft'>): boolean {
  return s.state === 'missed' || s.state === 'cancelled' || (s.state === 'ended' && (s.msLeft ?? 0) <= 0);
}

export interface ChargingApi {
  take(opts: { kiosk: boolean }): Promise<Taken>;
  ticket(token: string): Promise<TicketStatus | null>;
  cancel(token: string): Promise<boolean>;
  board(): Promise<ChargingBoard>;
}

export function createChargingApi(opts: { base?: string; fetch?: (url: string, init?: RequestInit) => Promise<Response> } = {}): ChargingApi {
  const base = opts.base ?? '';
  const doFetch = opts.fetch ?? ((url: string, init?: RequestInit) => fetch(url, init));

  async function call<T>(method: 'GET' | 'POST', path: string): Promise<{ status: number; ok: boolean; data: T | null; error: string | null }> {
    let res: Response;
    try {
      res = await doFetch(base + path, { method, headers: { Accept: 'application/json' }, credentials: 'same-origin' });
    } catch (err) {
      throw new ApiError(`${method} ${path}: no answer from the gateway`, 0, { cause: err });
    }
    let body: { status?: string; data?: T; error?: unknown };
    try {
      body = (await res.json()) as typeof body;
    } catch (err) {
      throw new ApiError(`${method} ${path}: reply is not JSON (HTTP ${res.status})`, res.status, { cause: err });
    }
    if (body.status === 'ok') return { status: res.status, ok: true, data: body.data ?? null, error: null };
    return { status: res.status, ok: false, data: null, error: typeof body.error === 'string' ? body.error : String(body.error) };
  }

  return {
    async take({ kiosk }) {
      const path = `/api/charging/number${kiosk ? '?kiosk=1' : ''}`;
      const r = await call<Taken>('POST', path);
      if (r.ok && r.data) return r.data;
      const reason = REFUSALS.find((x) => x === r.error);
      if (reason) throw new ChargingRefused(reason);
      throw new ApiError(`POST ${path}: ${r.error ?? 'failed'}`, r.status);
    },
    async ticket(token) {
      const path = `/api/charging/ticket?token=${encodeURIComponent(token)}`;
      const r = await call<TicketStatus>('GET', path);
      if (r.ok && r.data) return r.data;
      if (r.status === 404 || r.status === 400) return null;
      throw new ApiError(`GET ${path}: ${r.error ?? 'failed'}`, r.status);
    },
    async cancel(token) {
      const path = `/api/charging/cancel?token=${encodeURIComponent(token)}`;
      const r = await call<{ cancelled: boolean }>('POST', path);
      if (r.ok) return true;
      if (r.status === 409 || r.status === 404) return false;
      throw new ApiError(`POST ${path}: ${r.error ?? 'failed'}`, r.status);
    },
    async board() {
      const path = '/api/charging/board';
      const r = await call<ChargingBoard>('GET', path);
      if (r.ok && r.data) return r.data;
      throw new ApiError(`GET ${path}: ${r.error ?? 'failed'}`, r.status);
    },
  };
}

const STORAGE_KEY = 'noodsteun.chargingTicket';

/** The ticket kept in the browser (null when none, or storage is off or holds something else). */
export function loadTicket(storage: Pick<Storage, 'getItem'> | null): StoredTicket | null {
  try {
    const raw = storage?.getItem(STORAGE_KEY);
    if (!raw) return null;
    const t = JSON.parse(raw) as Partial<StoredTicket>;
    if (typeof t.number === 'number' && typeof t.token === 'string' && /^[A-Za-z0-9_-]{4,64}$/.test(t.token) && typeof t.takenAt === 'number') {
      return { number: t.number, token: t.token, takenAt: t.takenAt };
    }
  } catch {
    // unreadable or disabled storage: as if there were no ticket
  }
  return null;
}

export function saveTicket(storage: Pick<Storage, 'setItem' | 'removeItem'> | null, t: StoredTicket | null): void {
  try {
    if (t) storage?.setItem(STORAGE_KEY, JSON.stringify(t));
    else storage?.removeItem(STORAGE_KEY);
  } catch {
    // storage off (private mode, kiosk policy): the ticket then lasts for this page only
  }
}

/** The kiosk's own browser reaches its gateway on loopback; only there does the gateway hand out kiosk numbers. */
export function isKioskHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '127.0.0.1' || hostname === '[::1]' || hostname === '::1';
}
