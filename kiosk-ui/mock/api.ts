// Mock gateway API from fixtures, for running the UI without a gateway (vite dev server) and for the
// end-to-end test. It has no `/api/live` WebSocket, so the UI shows its polling fallback.
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { PointsData, StatusData } from '../src/lib/api/types.js';
import { pointsFixture, statusFixture } from './fixtures.js';

export interface MockState {
  status(): StatusData;
  /** null answers `/api/points` with the error a point-role gateway gives. */
  points(): PointsData | null;
}

export const defaultMockState: MockState = {
  status: () => statusFixture(),
  points: () => pointsFixture(),
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
  } else {
    json(res, 404, { status: 'error', error: `no route for ${req.method} ${path}` });
  }
  return true;
}
