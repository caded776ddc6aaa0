// The charging rows of the gateway's request table (an ApiModule). Residents take a number and read "your
// number / your port / time left"; the board reads free ports and queue length; staff at the point see the
// queue (numbers, states and ports only), open or close charging, skip a no-show, put a late number back
// and hand a phone back. No personal data: the per-number limit keys on an opaque holder id — a printed
// card code (`?holder=`) or a random cookie the phone's browser keeps — and the service stores only its
// hash. The shared kiosk screen (loopback only) takes numbers with `?kiosk=1`: no holder, no cookie, no limit.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { z } from 'zod';
import type { ApiModule, ApiRoute } from '../api/index.js';
import { json } from '../api/index.js';
import { isLoopback } from '../api/routes.js';
import { checkOrigin, readJson } from '../api/http-input.js';
import { parseCookies } from '../api/auth/service.js';
import type { Handler } from '../http/server.js';
import { HttpError } from '../http/server.js';
import type { ChargingService } from './service.js';

export const HOLDER_COOKIE = 'ns_charge';
/** A ticket token or holder id: what the service hands out and what a card code may be. */
export const TOKEN_RE = /^[A-Za-z0-9_-]{4,64}$/;

/** The phone's holder id from its cookie, or a new one plus the Set-Cookie header that keeps it. */
export function holderFor(req: IncomingMessage): { holder: string; headers?: { 'Set-Cookie': string } } {
  const fromCookie = parseCookies(req.headers.cookie).get(HOLDER_COOKIE);
  if (fromCookie !== undefined && TOKEN_RE.test(fromCookie)) return { holder: fromCookie };
  const holder = randomBytes(12).toString('base64url');
  return { holder, headers: { 'Set-Cookie': `${HOLDER_COOKIE}=${holder}; Path=/; Max-Age=604800; HttpOnly; SameSite=Strict` } };
}

function tokenOf(url: URL): string {
  const token = url.searchParams.get('token');
  if (!token || !TOKEN_RE.test(token)) throw new HttpError(400, 'token missing or malformed');
  return token;
}

/** The HTTP status for each reason the service refuses a number. */
export const REFUSAL_STATUS = { 'no-power': 503, off: 503, 'queue-full': 503, limit: 429 } as const;

const OpenInput = z.strictObject({ open: z.boolean() });
const NumberInput = z.strictObject({ number: z.number().int().min(1) });
const PortInput = z.strictObject({ port: z.number().int().min(0).max(63) });

const STAFF = ['staff', 'technician'] as const;
const ABSENT = 'this gateway does not run phone charging';

/** The resident and board rows: what a phone, the kiosk screen and the board call. */
function residentRows(get: () => ChargingService): ApiRoute[] {
  return [
    {
      method: 'POST', path: '/api/charging/number', access: 'public',
      input: 'query `holder` (card code, 4–64 of A-Z a-z 0-9 _ -) or the `ns_charge` cookie (set when absent); `kiosk=1` from the kiosk screen (loopback) only',
      output: '201 `{ok: true, number, token, position}` (+ holder cookie); 503 `off|no-power|queue-full`; 429 `limit`; 403 kiosk from elsewhere',
      summary: 'A resident takes a charging number (per-holder limit; the kiosk screen has none).',
      handler: (req, url) => {
        const service = get();
        checkOrigin(req);
        if (url.searchParams.get('kiosk') === '1') {
          // The kiosk touchscreen runs on the gateway itself and is shared by everyone: no holder, no cookie.
          if (!isLoopback(req.socket.remoteAddress ?? '')) throw new HttpError(403, 'kiosk numbers only from the kiosk');
          const r = service.takeNumber();
          if (!r.ok) throw new HttpError(REFUSAL_STATUS[r.reason], r.reason);
          return json(r, { status: 201 });
        }
        const given = url.searchParams.get('holder');
        if (given !== null && !TOKEN_RE.test(given)) throw new HttpError(400, 'holder must be 4-64 of A-Z a-z 0-9 _ -');
        const { holder, headers } = given === null ? holderFor(req) : { holder: given, headers: undefined };
        const r = service.takeNumber({ holder });
        if (!r.ok) throw new HttpError(REFUSAL_STATUS[r.reason], r.reason, headers);
        return json(r, { status: 201, ...(headers ? { headers } : {}) });
      },
    },
    {
      method: 'GET', path: '/api/charging/ticket', access: 'public', input: 'query `token` (from taking the number)',
      output: '`{number, state: waiting|offered|charging|ended|missed|cancelled, ahead, port, msLeft, paused, wh, end}`; 404 unknown; 400 malformed',
      summary: 'A resident\'s own number: place in the queue, port, time left.',
      handler: (_req, url) => {
        const st = get().ticketStatus(tokenOf(url));
        if (!st) throw new HttpError(404, 'unknown number');
        return json(st);
      },
    },
    {
      method: 'POST', path: '/api/charging/cancel', access: 'public', input: 'query `token`',
      output: '`{cancelled: true}`; 409 not waiting or offered', summary: 'A resident gives up their number.',
      handler: (req, url) => {
        const service = get();
        checkOrigin(req);
        if (!service.cancel(tokenOf(url))) throw new HttpError(409, 'number not waiting');
        return json({ cancelled: true });
      },
    },
    {
      method: 'GET', path: '/api/charging/board', access: 'public', input: '—',
      output: '`{enabled, chargerOnline, stage, freePorts, queueLength, nowServing: [number]}`', summary: 'Charging summary for the board and the resident screens.',
      handler: () => json(get().board()),
    },
    {
      method: 'GET', path: '/api/charging/status', access: 'public', input: '—',
      output: '`{…board, policy, portsAllowed, active, power, ports: [{p, state, number, fault, paused, mA, wh}], lastHour, today}`',
      summary: 'Charging figures (anonymous): ports, power budget, today\'s evidence.',
      handler: () => json(get().status()),
    },
    {
      method: 'GET', path: '/api/charging/evidence', access: 'public', input: 'query `from`, `to` (ms since the epoch)',
      output: '`[HourEvidence]` per hour', summary: 'Hourly anonymous charging evidence for the pilots.',
      handler: (_req, url) => {
        const service = get();
        const from = Number(url.searchParams.get('from') ?? 0);
        const to = Number(url.searchParams.get('to') ?? Number.MAX_SAFE_INTEGER);
        if (!Number.isFinite(from) || !Number.isFinite(to)) throw new HttpError(400, 'from/to must be ms since the epoch');
        return json(service.evidence(from, to));
      },
    },
  ];
}

/**
 * The charging rows; `service` null (a coordinator, or a point without the module, or the documentation):
 * staff rows still answer 401/403 first, then every row 404.
 */
export function chargingApi(service: ChargingService | null): ApiModule {
  const get = () => {
    if (!service) throw new HttpError(404, ABSENT);
    return service;
  };
  return ({ auth }) => {
    /** A staff action: origin, session with a staff role (+ CSRF), the body, then the service. */
    const staffPost = <S extends z.ZodType>(schema: S, act: (svc: ChargingService, input: z.infer<S>) => string | null, roles: readonly ('staff' | 'technician')[] = STAFF): Handler => async (req) => {
      checkOrigin(req);
      auth.require(req, roles);
      const svc = get();
      const input = await readJson(req, schema);
      const refused = act(svc, input);
      if (refused) throw new HttpError(409, refused);
      return json(svc.staffView());
    };
    const view = '`StaffView` (as GET /api/charging/queue)';
    return [
      ...residentRows(get),
      {
        method: 'GET', path: '/api/charging/queue', access: 'staff+technician', input: '—',
        output: '`{now, enabled, open, localOpen, policy: budget|off, chargerOnline, stage, portsAllowed, nowServing, waiting, tickets: [{number, state, port, takenAt, offeredAt, startedAt, endedAt, end, until, waitedMs}], finished: [… 20 newest], ports: [{p, state, number, since, until, fault, paused, mA, wh}]}` — numbers only, no tokens or holders',
        summary: 'Staff: the charging queue and ports at this point.',
        handler: (req) => {
          auth.require(req, STAFF);
          return json(get().staffView());
        },
      },
      {
        method: 'POST', path: '/api/charging/open', access: 'staff+technician', input: '`{open: boolean}` (CSRF header)',
        output: view,
        summary: 'Staff open or close charging here. Closing refuses new numbers (503 `off`), puts offers back in the queue and ends sessions (`stopped`) for collection; the queue is kept. The coordinator\'s `off` still wins.',
        handler: staffPost(OpenInput, (svc, i) => (svc.setLocalOpen(i.open), null)),
      },
      {
        method: 'POST', path: '/api/charging/skip', access: 'staff+technician', input: '`{number}` (CSRF header)',
        output: `${view}; 409 the number is not offered a port`,
        summary: 'Staff: the holder of an offered number did not come; it becomes `missed` and the port goes to the next number now.',
        handler: staffPost(NumberInput, (svc, i) => (svc.skip(i.number) ? null : `number ${i.number} is not offered a port`)),
      },
      {
        method: 'POST', path: '/api/charging/reoffer', access: 'staff+technician', input: '`{number}` (CSRF header)',
        output: `${view}; 409 the number was not missed`,
        summary: 'Staff: a missed number turned up late; it goes back in the queue in its place (lowest number first).',
        handler: staffPost(NumberInput, (svc, i) => (svc.reoffer(i.number) ? null : `number ${i.number} was not missed`)),
      },
      {
        method: 'POST', path: '/api/charging/release', access: 'staff+technician', input: '`{port}` (CSRF header)',
        output: `${view}; 409 the port is not charging or waiting for collection`,
        summary: 'Staff hand a phone back: the session ends (`stopped`) and the port goes to the next number without waiting for the collection time.',
        handler: staffPost(PortInput, (svc, i) => (svc.releasePort(i.port) ? null : `port ${i.port} is not charging or waiting for collection`)),
      },
      {
        method: 'POST', path: '/api/charging/port/disable', access: 'staff+technician', input: '`{port}` (CSRF header)',
        output: `${view}; 409 no such port`,
        summary: 'Staff take a port out of service (broken cable); a session on it ends. Only a technician returns it.',
        handler: staffPost(PortInput, (svc, i) => (svc.disablePort(i.port) ? null : `no port ${i.port}`)),
      },
      {
        method: 'POST', path: '/api/charging/port/enable', access: 'technician', input: '`{port}` (CSRF header)',
        output: `${view}; 409 the port is not disabled or faulty`,
        summary: 'Technician: returns a disabled or faulty port to service after checking it.',
        handler: staffPost(PortInput, (svc, i) => (svc.enablePort(i.port) ? null : `port ${i.port} is not disabled or faulty`), ['technician']),
      },
    ];
  };
}
