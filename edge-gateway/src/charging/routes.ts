// HTTP hooks of the charging service for the gateway's request table (http/server.ts): residents take a
// number and read "your number / your port / time left"; the board reads free ports and queue length.
// No personal data: the per-number limit keys on an opaque holder id — a printed card code (`?holder=`) or
// a random cookie the phone's browser keeps — and the service stores only its hash. The shared kiosk screen
// (loopback only) takes numbers with `?kiosk=1`: no holder, no cookie, no limit.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { RouteTable } from '../http/server.js';
import { HttpError } from '../http/server.js';
import type { ChargingService } from './service.js';

export const HOLDER_COOKIE = 'ns_charge';
const HOLDER_RE = /^[A-Za-z0-9_-]{4,64}$/;

function cookie(req: IncomingMessage, name: string): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return null;
}

function tokenOf(url: URL): string {
  const token = url.searchParams.get('token');
  if (!token || !HOLDER_RE.test(token)) throw new HttpError(400, 'token missing or malformed');
  return token;
}

function isLoopback(addr: string | undefined): boolean {
  return addr === '127.0.0.1' || addr === '::1' || addr === '::ffff:127.0.0.1';
}

const REFUSAL_STATUS = { 'no-power': 503, off: 503, 'queue-full': 503, limit: 429 } as const;

/** Routes under /api/charging; add them to the gateway's route table. */
export function chargingRoutes(service: ChargingService): RouteTable {
  return {
    'POST /api/charging/number': (req, url) => {
      if (url.searchParams.get('kiosk') === '1') {
        // The kiosk touchscreen runs on the gateway itself and is shared by everyone: no holder, no cookie.
        if (!isLoopback(req.socket.remoteAddress)) throw new HttpError(403, 'kiosk numbers only from the kiosk');
        const r = service.takeNumber();
        if (!r.ok) throw new HttpError(REFUSAL_STATUS[r.reason], r.reason);
        return { kind: 'json', status: 201, data: r };
      }
      const given = url.searchParams.get('holder');
      if (given !== null && !HOLDER_RE.test(given)) throw new HttpError(400, 'holder must be 4-64 of A-Z a-z 0-9 _ -');
      const fromCookie = cookie(req, HOLDER_COOKIE);
      const holder = given ?? (fromCookie && HOLDER_RE.test(fromCookie) ? fromCookie : randomBytes(12).toString('base64url'));
      const headers = given === null && holder !== fromCookie ? { 'Set-Cookie': `${HOLDER_COOKIE}=${holder}; Path=/; Max-Age=604800; HttpOnly; SameSite=Strict` } : undefined;
      const r = service.takeNumber({ holder });
      if (!r.ok) throw new HttpError(REFUSAL_STATUS[r.reason], r.reason, headers);
      return { kind: 'json', status: 201, data: r, ...(headers ? { headers } : {}) };
    },
    'GET /api/charging/ticket': (_req, url) => {
      const st = service.ticketStatus(tokenOf(url));
      if (!st) throw new HttpError(404, 'unknown number');
      return { kind: 'json', data: st };
    },
    'POST /api/charging/cancel': (_req, url) => {
      if (!service.cancel(tokenOf(url))) throw new HttpError(409, 'number not waiting');
      return { kind: 'json', data: { cancelled: true } };
    },
    'GET /api/charging/board': () => ({ kind: 'json', data: service.board() }),
    'GET /api/charging/status': () => ({ kind: 'json', data: service.status() }),
    'GET /api/charging/evidence': (_req, url) => {
      const from = Number(url.searchParams.get('from') ?? 0);
      const to = Number(url.searchParams.get('to') ?? Number.MAX_SAFE_INTEGER);
      if (!Number.isFinite(from) || !Number.isFinite(to)) throw new HttpError(400, 'from/to must be ms since the epoch');
      return { kind: 'json', data: service.evidence(from, to) };
    },
  };
}
