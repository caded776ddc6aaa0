// The console shell with a real session store over a fake gateway (fetch): who sees the login, the first-run
// set-up, and which screens in the navigation. Rendered to a string (no DOM in the unit tests).
import { signal } from '@preact/signals';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { App } from '../../src/console/App.js';
import { SessionContext } from '../../src/console/auth/session-context.js';
import { createSessionStore, CSRF_HEADER, type SessionUser } from '../../src/lib/api/session.js';
import { ServicesContext, type Services } from '../../src/lib/context.js';
import { createI18n } from '../../src/lib/i18n/i18n.js';
import { createStatusStore } from '../../src/lib/stores/status.js';
import { statusFixture } from '../../mock/fixtures.js';

type Reply = { status: number; body: unknown };
/** A gateway answering from a table; records each request's method, path and CSRF header. */
function fakeGateway(routes: Record<string, () => Reply>) {
  const calls: { method: string; path: string; csrf: string | null }[] = [];
  const fetch = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const method = init?.method ?? 'GET';
    const path = String(input);
    calls.push({ method, path, csrf: (init?.headers as Record<string, string> | undefined)?.[CSRF_HEADER] ?? null });
    const r = routes[`${method} ${path}`]?.() ?? { status: 404, body: { status: 'error', error: 'no route' } };
    return new Response(JSON.stringify(r.body), { status: r.status, headers: { 'Content-Type': 'application/json' } });
  }) as typeof globalThis.fetch;
  return { fetch, calls };
}
const ok = (data: unknown, status = 200): Reply => ({ status, body: { status: 'ok', data } });
const err = (status: number, error: string): Reply => ({ status, body: { status: 'error', error } });

async function render(session: ReturnType<typeof createSessionStore>, lang: 'nl' | 'en' = 'en') {
  const status = createStatusStore({ status: async () => statusFixture() });
  await status.refresh();
  const services: Services = { i18n: createI18n(lang, ['nl', 'en']), status, live: { mode: signal('polling'), lost: signal(false), start() {}, stop() {} } };
  return renderToString(h(ServicesContext.Provider, { value: services }, h(SessionContext.Provider, { value: session }, h(App, {}))));
}

describe('console shell', () => {
  it('shows the login form and no screens to an anonymous visitor, and no "not secured" banner', async () => {
    const gw = fakeGateway({ 'GET /api/auth/session': () => err(401, 'login required'), 'GET /api/setup': () => ok({ needed: false }) });
    const session = createSessionStore({ fetch: gw.fetch });
    await session.refresh();
    const html = await render(session);
    expect(html).toContain('data-screen="login"');
    expect(html).toContain('for="login-username"');
    expect(html).toContain('type="password"');
    expect(html).not.toContain('nc-nav__link');
    expect(html).not.toContain('data-placeholder');
  });

  it('offers first-run set-up while the gateway has no technician', async () => {
    const gw = fakeGateway({ 'GET /api/auth/session': () => err(401, 'login required'), 'GET /api/setup': () => ok({ needed: true }) });
    const session = createSessionStore({ fetch: gw.fetch });
    await session.refresh();
    const html = await render(session, 'nl');
    expect(html).toContain('data-screen="setup"');
    expect(html).toContain('setup-code');
    expect(html).toMatch(/minlength="12"/i);
  });

  it.each([
    ['staff', ['board', 'charging', 'reports'], ['users', 'technician', 'coordinator']],
    ['technician', ['board', 'charging', 'reports', 'users', 'technician'], ['coordinator']],
  ] as const)('shows a %s the screens of that role only', async (role, shown, hidden) => {
    const user: SessionUser = { id: 1, username: 'anna', role };
    const gw = fakeGateway({ 'GET /api/auth/session': () => ok({ user, csrf: 'tok', expiresAt: 0 }) });
    const session = createSessionStore({ fetch: gw.fetch });
    await session.refresh();
    const html = await render(session);
    for (const id of shown) expect(html, id).toContain(`data-screen-link="${id}"`);
    for (const id of hidden) expect(html, id).not.toContain(`data-screen-link="${id}"`);
    expect(html).toContain('data-action="logout"');
    expect(html).toContain('data-user="anna"');
  });
});

describe('session store', () => {
  it('sends the CSRF token on state changes and drops to anonymous when the session has ended', async () => {
    let alive = true;
    const user: SessionUser = { id: 2, username: 'mia', role: 'staff' };
    const gw = fakeGateway({
      'POST /api/auth/login': () => ok({ user, csrf: 'tok-1' }),
      'GET /api/charging/queue': () => (alive ? ok({ waiting: 0 }) : err(401, 'login required')),
      'POST /api/charging/open': () => ok({ open: false }),
    });
    const session = createSessionStore({ fetch: gw.fetch });
    await session.login('mia', 'a long passphrase');
    expect(session.state.value).toBe('in');
    expect(session.can('staff')).toBe(true);
    expect(session.can('technician')).toBe(false);
    await session.send('POST', '/api/charging/open', { open: false });
    expect(gw.calls.at(-1)).toEqual({ method: 'POST', path: '/api/charging/open', csrf: 'tok-1' });
    expect(await session.get('/api/charging/queue')).toEqual({ waiting: 0 });
    alive = false; // expired on the gateway
    await expect(session.get('/api/charging/queue')).rejects.toThrow('login required');
    expect(session.state.value).toBe('anonymous');
    expect(session.user.value).toBeNull();
  });

  it('stays anonymous on a wrong password (401 on login is no "session ended")', async () => {
    const gw = fakeGateway({ 'POST /api/auth/login': () => err(401, 'wrong username or password') });
    const session = createSessionStore({ fetch: gw.fetch });
    await expect(session.login('mia', 'nope')).rejects.toMatchObject({ httpStatus: 401 });
    expect(session.user.value).toBeNull();
  });
});
