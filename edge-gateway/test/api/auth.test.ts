import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envelope, postJson, sessionCookie, startHarness, type Harness } from './harness.js';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const PASSWORD = 'correct horse battery';

describe('API authentication', () => {
  let hx: Harness;
  beforeEach(async () => {
    hx = await startHarness();
  });
  afterEach(async () => hx.close());

  /** Runs first-run set-up and returns the technician's cookie and CSRF token. */
  async function setup(): Promise<{ cookie: string; csrf: string }> {
    const res = await postJson(`${hx.url}/api/setup`, { code: hx.setupCode, username: 'tech', password: PASSWORD });
    expect(res.status).toBe(201);
    const body = (await envelope(res)).data as { csrf: string; user: { role: string } };
    expect(body.user.role).toBe('technician');
    return { cookie: sessionCookie(res), csrf: body.csrf };
  }

  it('prints a one-time set-up code to the log and accepts it exactly once', async () => {
    expect(hx.setupCode).toMatch(/^[a-z2-9]{10}$/);
    expect((await envelope(await fetch(`${hx.url}/api/setup`))).data).toEqual({ needed: true });

    const wrong = await postJson(`${hx.url}/api/setup`, { code: 'aaaaaaaaaa', username: 'tech', password: PASSWORD });
    expect(wrong.status).toBe(403);
    const res = await postJson(`${hx.url}/api/setup`, { code: hx.setupCode, username: 'tech', password: PASSWORD });
    expect(res.status).toBe(201);
    const cookie = res.headers.get('set-cookie') ?? '';
    expect(cookie).toMatch(/^ns_session=[A-Za-z0-9_-]{43}; /);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');

    const again = await postJson(`${hx.url}/api/setup`, { code: hx.setupCode, username: 'tech2', password: PASSWORD });
    expect(again.status).toBe(409);
    expect((await envelope(await fetch(`${hx.url}/api/setup`))).data).toEqual({ needed: false });
  });

  it('refuses a short password at set-up (no weak first account)', async () => {
    const res = await postJson(`${hx.url}/api/setup`, { code: hx.setupCode, username: 'tech', password: 'short' });
    expect(res.status).toBe(400);
    expect((await envelope(res)).error).toContain('password');
  });

  it('stores only a hash of the session id', async () => {
    const { cookie } = await setup();
    const id = cookie.split('=')[1]!;
    const rows = hx.db.prepare('SELECT id_hash FROM sessions').all() as { id_hash: string }[];
    expect(rows).toHaveLength(1);
    expect(rows[0]!.id_hash).not.toContain(id);
    expect(rows[0]!.id_hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('answers 401 without a session on staff and technician endpoints', async () => {
    await setup();
    for (const [method, path] of [
      ['GET', '/api/staff/reports'],
      ['GET', '/api/users'],
      ['POST', '/api/users'],
      ['GET', '/api/auth/session'],
      ['POST', '/api/auth/logout'],
    ] as const) {
      const res = await fetch(hx.url + path, { method, headers: { 'Content-Type': 'application/json' }, ...(method === 'POST' ? { body: '{}' } : {}) });
      expect(res.status, `${method} ${path}`).toBe(401);
    }
    // a forged cookie is no session either
    const forged = await fetch(`${hx.url}/api/staff/reports`, { headers: { Cookie: 'ns_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' } });
    expect(forged.status).toBe(401);
  });

  it('answers 403 to staff on technician endpoints, and lets staff read reports', async () => {
    const tech = await setup();
    const add = await postJson(`${hx.url}/api/users`, { username: 'anna', password: PASSWORD, role: 'staff' }, { Cookie: tech.cookie, 'X-Noodsteun-CSRF': tech.csrf });
    expect(add.status).toBe(201);

    const login = await postJson(`${hx.url}/api/auth/login`, { username: 'anna', password: PASSWORD });
    expect(login.status).toBe(200);
    const staff = { cookie: sessionCookie(login), csrf: ((await envelope(login)).data as { csrf: string }).csrf };
    expect((await fetch(`${hx.url}/api/users`, { headers: { Cookie: staff.cookie } })).status).toBe(403);
    const addByStaff = await postJson(`${hx.url}/api/users`, { username: 'bob', password: PASSWORD, role: 'technician' }, { Cookie: staff.cookie, 'X-Noodsteun-CSRF': staff.csrf });
    expect(addByStaff.status).toBe(403);
    const reports = await fetch(`${hx.url}/api/staff/reports`, { headers: { Cookie: staff.cookie } });
    expect(reports.status).toBe(200);
    expect((await envelope(reports)).data).toEqual({ reports: [] });
  });

  it('refuses a state-changing request without the matching CSRF header', async () => {
    const tech = await setup();
    const body = { username: 'anna', password: PASSWORD, role: 'staff' };
    expect((await postJson(`${hx.url}/api/users`, body, { Cookie: tech.cookie })).status).toBe(403);
    expect((await postJson(`${hx.url}/api/users`, body, { Cookie: tech.cookie, 'X-Noodsteun-CSRF': 'x'.repeat(32) })).status).toBe(403);
    expect(hx.api.auth.store.user('anna')).toBeNull();
    // logout too
    expect((await postJson(`${hx.url}/api/auth/logout`, {}, { Cookie: tech.cookie })).status).toBe(403);
    const session = await fetch(`${hx.url}/api/auth/session`, { headers: { Cookie: tech.cookie } });
    expect(((await envelope(session)).data as { csrf: string }).csrf).toBe(tech.csrf);
  });

  it('refuses a cross-site Origin even with a valid session and token', async () => {
    const tech = await setup();
    const res = await postJson(
      `${hx.url}/api/users`,
      { username: 'anna', password: PASSWORD, role: 'staff' },
      { Cookie: tech.cookie, 'X-Noodsteun-CSRF': tech.csrf, Origin: 'http://evil.example' },
    );
    expect(res.status).toBe(403);
    expect((await envelope(res)).error).toContain('cross-site');
    const same = await postJson(
      `${hx.url}/api/users`,
      { username: 'anna', password: PASSWORD, role: 'staff' },
      { Cookie: tech.cookie, 'X-Noodsteun-CSRF': tech.csrf, Origin: hx.url },
    );
    expect(same.status).toBe(201);
  });

  it('logs out (session gone) and expires sessions after their lifetime', async () => {
    const tech = await setup();
    const out = await postJson(`${hx.url}/api/auth/logout`, {}, { Cookie: tech.cookie, 'X-Noodsteun-CSRF': tech.csrf });
    expect(out.status).toBe(200);
    expect(out.headers.get('set-cookie')).toContain('Max-Age=0');
    expect((await fetch(`${hx.url}/api/users`, { headers: { Cookie: tech.cookie } })).status).toBe(401);

    const login = await postJson(`${hx.url}/api/auth/login`, { username: 'tech', password: PASSWORD });
    const cookie = sessionCookie(login);
    expect((await fetch(`${hx.url}/api/users`, { headers: { Cookie: cookie } })).status).toBe(200);
    hx.clock.advance(12 * 3_600_000 + 1);
    expect((await fetch(`${hx.url}/api/users`, { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it('refuses wrong credentials with the same answer for unknown users, then rate-limits', async () => {
    await setup();
    const wrongPw = await postJson(`${hx.url}/api/auth/login`, { username: 'tech', password: 'wrong password!' });
    const noUser = await postJson(`${hx.url}/api/auth/login`, { username: 'nobody', password: 'wrong password!' });
    expect(wrongPw.status).toBe(401);
    expect(noUser.status).toBe(401);
    expect((await envelope(wrongPw)).error).toBe((await envelope(noUser)).error);
    // set-up took one token, these two took two: two more are allowed, then 429
    const codes: number[] = [];
    for (let i = 0; i < 4; i++) codes.push((await postJson(`${hx.url}/api/auth/login`, { username: 'tech', password: 'guess ' + i })).status);
    expect(codes).toEqual([401, 401, 429, 429]);
    const limited = await postJson(`${hx.url}/api/auth/login`, { username: 'tech', password: PASSWORD });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    hx.clock.advance(12_000);
    expect((await postJson(`${hx.url}/api/auth/login`, { username: 'tech', password: PASSWORD })).status).toBe(200);
  });
});

describe('API authentication with an existing technician', () => {
  it('prints no set-up code and refuses set-up', async () => {
    const hx = await startHarness();
    try {
      await postJson(`${hx.url}/api/setup`, { code: hx.setupCode, username: 'tech', password: PASSWORD });
      expect(hx.api.auth.announceSetup()).toBeNull();
      const res = await postJson(`${hx.url}/api/setup`, { code: hx.setupCode, username: 'other', password: PASSWORD });
      expect(res.status).toBe(409);
    } finally {
      await hx.close();
    }
  });
});

describe('the set-up code file', () => {
  it('holds the code (0600) while set-up is open and is gone after it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ns-setup-file-'));
    const file = join(dir, 'setup-code');
    const hx = await startHarness({ setupCodeFile: file });
    try {
      expect(readFileSync(file, 'utf8').trim()).toBe(hx.setupCode);
      expect(statSync(file).mode & 0o777).toBe(0o600);
      const res = await postJson(`${hx.url}/api/setup`, { code: readFileSync(file, 'utf8').trim(), username: 'tech', password: PASSWORD });
      expect(res.status).toBe(201);
      expect(existsSync(file)).toBe(false);
      // a restart with a technician writes none
      expect(hx.api.auth.announceSetup()).toBeNull();
      expect(existsSync(file)).toBe(false);
    } finally {
      await hx.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
