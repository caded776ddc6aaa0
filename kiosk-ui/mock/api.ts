// Mock gateway API from fixtures, for running the UI without a gateway (vite dev server) and for the
// end-to-end test. It has no `/api/live` WebSocket, so the UI shows its polling fallback.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PointsData, StatusData } from '../src/lib/api/types.js';
import type { BoardContent } from '../src/lib/api/board.js';
import type { TicketStatus } from '../src/lib/api/charging.js';
import { boardContentFixture, pointsFixture, statusFixture } from './fixtures.js';

export interface MockState {
  status(): StatusData;
  /** null answers `/api/points` with the error a point-role gateway gives. */
  points(): PointsData | null;
  /** `GET /api/board/content`; absent: 404 as on a gateway without the route. */
  content?(): BoardContent | null;
  /** Phone charging; absent: 404. */
  charging?: MockCharging;
}

/**
 * A tiny charging queue for the dev server: a number is offered port 3 (index 2) after ~20 s, charges
 * once "plugged in" 30 s later and ends after two minutes. Enough to click through every ticket state.
 */
export class MockCharging {
  private next = 1;
  private readonly tickets = new Map<string, { number: number; at: number; cancelled: boolean }>();
  constructor(private readonly now: () => number = Date.now) {}
  take(): { ok: true; number: number; token: string; position: number } {
    const token = `mock${this.next}${Math.random().toString(36).slice(2, 8)}`;
    this.tickets.set(token, { number: this.next, at: this.now(), cancelled: false });
    return { ok: true, number: this.next++, token, position: 1 };
  }
  ticket(token: string): TicketStatus | null {
    const t = this.tickets.get(token);
    if (!t) return null;
    const age = this.now() - t.at;
    const base = { number: t.number, paused: false, wh: 0, end: null };
    if (t.cancelled) return { ...base, state: 'cancelled', ahead: null, port: null, msLeft: null };
    if (age < 20_000) return { ...base, state: 'waiting', ahead: age < 10_000 ? 1 : 0, port: null, msLeft: null };
    if (age < 50_000) return { ...base, state: 'offered', ahead: null, port: 2, msLeft: 600_000 - (age - 20_000) };
    if (age < 170_000) return { ...base, state: 'charging', ahead: null, port: 2, msLeft: 45 * 60_000 - (age - 50_000), wh: (age - 50_000) / 60_000 };
    return { ...base, state: 'ended', ahead: null, port: 2, msLeft: Math.max(0, 15 * 60_000 - (age - 170_000)), end: 'full' };
  }
  cancel(token: string): boolean {
    const s = this.ticket(token);
    const t = this.tickets.get(token);
    if (!s || !t || (s.state !== 'waiting' && s.state !== 'offered')) return false;
    t.cancelled = true;
    return true;
  }
  board() {
    return { enabled: true, chargerOnline: true, stage: 'full', freePorts: 3, queueLength: [...this.tickets.keys()].filter((k) => this.ticket(k)?.state === 'waiting').length, nowServing: [] };
  }
}

export const defaultMockState: MockState = {
  status: () => statusFixture(),
  points: () => pointsFixture(),
  content: () => boardContentFixture(),
  charging: new MockCharging(),
};

function json(res: ServerResponse, httpStatus: number, body: unknown): void {
  res.writeHead(httpStatus, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(JSON.stringify(body));
}

/** Answers `/api/...` requests; returns false for anything else so the caller can serve files. */
export function handleMockApi(req: IncomingMessage, res: ServerResponse, state: MockState = defaultMockState): boolean {
  const path = new URL(req.url ?? '/', 'http://mock').pathname;
  if (!path.startsWith('/api/')) return false;
  if (req.method === 'GET' && path === '/api/status') {
    json(res, 200, { status: 'ok', data: state.status() });
  } else if (req.method === 'GET' && path === '/api/points') {
    const points = state.points();
    if (points) json(res, 200, { status: 'ok', data: points });
    else json(res, 404, { status: 'error', error: 'not a coordinator' });
  } else if (req.method === 'GET' && path === '/api/auth/session') {
    // as the gateway: nobody is logged in to the mock (the console shows its login screen)
    json(res, 401, { status: 'error', error: 'login required' });
  } else if (req.method === 'GET' && path === '/api/setup') {
    json(res, 200, { status: 'ok', data: { needed: false } });
  } else if (req.method === 'GET' && path === '/api/board/content' && state.content) {
    json(res, 200, { status: 'ok', data: { content: state.content() } });
  } else if (path.startsWith('/api/charging/') && state.charging) {
    mockCharging(req.method ?? 'GET', path, new URL(req.url ?? '/', 'http://mock').searchParams.get('token') ?? '', state.charging, res);
  } else {
    json(res, 404, { status: 'error', error: `no route for ${req.method} ${path}` });
  }
  return true;
}

function mockCharging(method: string, path: string, token: string, c: MockCharging, res: ServerResponse): void {
  if (method === 'POST' && path === '/api/charging/number') return json(res, 201, { status: 'ok', data: c.take() });
  if (method === 'GET' && path === '/api/charging/board') return json(res, 200, { status: 'ok', data: c.board() });
  if (method === 'GET' && path === '/api/charging/ticket') {
    const t = c.ticket(token);
    return t ? json(res, 200, { status: 'ok', data: t }) : json(res, 404, { status: 'error', error: 'unknown number' });
  }
  if (method === 'POST' && path === '/api/charging/cancel') {
    return c.cancel(token) ? json(res, 200, { status: 'ok', data: { cancelled: true } }) : json(res, 409, { status: 'error', error: 'number not waiting' });
  }
  json(res, 404, { status: 'error', error: `no route for ${method} ${path}` });
}
