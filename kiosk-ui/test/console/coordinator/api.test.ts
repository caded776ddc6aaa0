// The coordinator API client builds the requests of the contract: query strings, JSON bodies through the
// session (which adds the CSRF header), and the CAP import, whose XML body cannot go through the session's
// JSON `send`: it carries the session's own CSRF token and an XML content type.
import { describe, expect, it } from 'vitest';
import { createCoordinatorApi } from '../../../src/lib/api/coordinator.js';
import { ApiError } from '../../../src/lib/api/client.js';

function fakeSession() {
  const calls: { method: string; path: string; body?: unknown }[] = [];
  const session = {
    get: async <T>(path: string): Promise<T> => {
      calls.push({ method: 'GET', path });
      return (path === '/api/auth/session' ? { user: { id: 1, username: 'c', role: 'coordinator' }, csrf: 'tok-123' } : {}) as T;
    },
    send: async <T>(method: string, path: string, body?: unknown): Promise<T> => {
      calls.push({ method, path, body });
      return {} as T;
    },
  };
  return { session, calls };
}

describe('coordinator API client', () => {
  it('puts parameters in query strings and bodies as the contract names them', async () => {
    const { session, calls } = fakeSession();
    const api = createCoordinatorApi(session);
    await api.detail('p-1', 72);
    await api.alerts('all', 'p-1');
    await api.inbox({ state: 'unhandled' });
    await api.resolveAlert(7, 'bijgetankt');
    await api.resolveAlert(8);
    await api.markHandled('p-1', 3, false);
    await api.preview({ point: { name: 'x' }, authority: 'y', languages: ['nl'], text: {} }, ['waveshare-7in5-v2'], 1);
    await api.chargingPolicy('p-1', 'off');
    await api.evidence({ from: '2026-11-20', to: '2026-11-27', period: 'day' });
    expect(calls).toEqual([
      { method: 'GET', path: '/api/points/detail?point=p-1&hours=72' },
      { method: 'GET', path: '/api/alerts?state=all&point=p-1' },
      { method: 'GET', path: '/api/inbox?state=unhandled' },
      { method: 'POST', path: '/api/alerts/resolve', body: { id: 7, note: 'bijgetankt' } },
      { method: 'POST', path: '/api/alerts/resolve', body: { id: 8 } },
      { method: 'POST', path: '/api/inbox/handled', body: { point: 'p-1', seq: 3, handled: false } },
      { method: 'POST', path: '/api/broadcasts/preview', body: { content: { point: { name: 'x' }, authority: 'y', languages: ['nl'], text: {} }, panels: ['waveshare-7in5-v2'], page: 1 } },
      { method: 'POST', path: '/api/points/charging-policy', body: { point: 'p-1', policy: 'off' } },
      { method: 'GET', path: '/api/evidence?from=2026-11-20&to=2026-11-27&period=day' },
    ]);
  });

  it('sends a CAP file as XML with the session’s CSRF token, and reports a refusal as an ApiError', async () => {
    const { session } = fakeSession();
    const seen: { url: string; init: RequestInit }[] = [];
    let reply: { status: number; body: unknown } = { status: 200, body: { status: 'ok', data: { draft: { kind: 'cancel', references: [], warnings: [] } } } };
    const fetchStub = (async (url: string, init: RequestInit) => {
      seen.push({ url, init });
      return new Response(JSON.stringify(reply.body), { status: reply.status, headers: { 'content-type': 'application/json' } });
    }) as unknown as typeof fetch;
    const api = createCoordinatorApi(session, { fetch: fetchStub });
    const xml = '<alert xmlns="urn:oasis:names:tc:emergency:cap:1.2"/>';
    expect(await api.importCap(xml, 'Dorpshuis De Linde')).toEqual({ draft: { kind: 'cancel', references: [], warnings: [] } });
    expect(seen[0]!.url).toBe('/api/broadcasts/cap?name=Dorpshuis+De+Linde');
    expect(seen[0]!.init.method).toBe('POST');
    expect(seen[0]!.init.body).toBe(xml);
    expect(seen[0]!.init.headers).toMatchObject({ 'Content-Type': 'application/xml', 'X-Noodsteun-CSRF': 'tok-123' });

    reply = { status: 400, body: { status: 'error', error: 'not a CAP 1.2 alert' } };
    const err = await api.importCap('<x/>').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).httpStatus).toBe(400);
    expect((err as ApiError).message).toContain('not a CAP 1.2 alert');
  });
});
