// Every row of the documented request table (core rows and every feature module in DOC_MODULES) that needs a
// role refuses a request without a session (401) and one from a role it does not list (403). The modules are
// built as for the documentation (service absent): such a row may instead answer 404 "this gateway …"
// (the feature does not run here, so nothing runs) — and the charging rows check the login first, so they
// must answer 401/403 strictly. kiosk-ui/test/e2e/staff-site.test.ts checks the same against the running
// simulated site, with every service present.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOC_MODULES } from '../../src/api/doc-modules.js';
import type { ApiRoute } from '../../src/api/index.js';
import { envelope, postJson, sessionCookie, startHarness, type Harness } from './harness.js';

const PASSWORD = 'correct horse battery';
type Role = 'staff' | 'technician' | 'coordinator';
const ALLOWED: Partial<Record<ApiRoute['access'], Role[]>> = {
  staff: ['staff'],
  technician: ['technician'],
  coordinator: ['coordinator'],
  'staff+technician': ['staff', 'technician'],
  'coordinator+technician': ['coordinator', 'technician'],
};
const ROLES: Role[] = ['staff', 'technician', 'coordinator'];

describe('request table: role rows refuse anonymous and wrong-role callers', () => {
  let hx: Harness;
  const sessions = {} as Record<Role, { cookie: string; csrf: string }>;

  beforeAll(async () => {
    hx = await startHarness({ modules: DOC_MODULES });
    const res = await postJson(`${hx.url}/api/setup`, { code: hx.setupCode, username: 'tech', password: PASSWORD });
    sessions.technician = { cookie: sessionCookie(res), csrf: ((await envelope(res)).data as { csrf: string }).csrf };
    for (const role of ['staff', 'coordinator'] as const) {
      const t = sessions.technician;
      expect((await postJson(`${hx.url}/api/users`, { username: role, password: PASSWORD, role }, { Cookie: t.cookie, 'X-Noodsteun-CSRF': t.csrf })).status).toBe(201);
      const login = await postJson(`${hx.url}/api/auth/login`, { username: role, password: PASSWORD });
      sessions[role] = { cookie: sessionCookie(login), csrf: ((await envelope(login)).data as { csrf: string }).csrf };
    }
  });
  afterAll(async () => hx.close());

  const roleRows = () => hx.api.table.filter((r) => ALLOWED[r.access]);
  const call = (r: ApiRoute, headers: Record<string, string>) =>
    fetch(hx.url + r.path, { method: r.method, headers: { 'Content-Type': 'application/json', ...headers }, ...(r.method === 'POST' ? { body: '{}' } : {}) });
  /** 404 that says the feature does not run on this gateway (the service is absent in this harness). */
  const absent = async (res: Response) => res.status === 404 && /^this gateway /.test((await envelope(res)).error ?? '');

  it('covers the core rows and every documented module', () => {
    const paths = roleRows().map((r) => r.path);
    expect(paths).toContain('/api/users');
    expect(paths).toContain('/api/charging/queue');
    // every module in DOC_MODULES contributes to the table this test walks
    for (const m of DOC_MODULES) for (const r of m({ auth: hx.api.auth, clock: hx.clock, resident: () => undefined })) expect(hx.api.table.some((t) => t.method === r.method && t.path === r.path)).toBe(true);
  });

  it('answers 401 without a session', async () => {
    const bad: string[] = [];
    for (const r of roleRows()) {
      const res = await call(r, {});
      const ok = res.status === 401 || (!r.path.startsWith('/api/charging/') && (await absent(res)));
      if (!ok) bad.push(`${r.method} ${r.path} → ${res.status}`);
    }
    expect(bad).toEqual([]);
  });

  it('answers 403 to a role the row does not list', async () => {
    const bad: string[] = [];
    for (const r of roleRows()) {
      for (const role of ROLES.filter((x) => !ALLOWED[r.access]!.includes(x))) {
        const s = sessions[role];
        const res = await call(r, { Cookie: s.cookie, 'X-Noodsteun-CSRF': s.csrf });
        const ok = res.status === 403 || (!r.path.startsWith('/api/charging/') && (await absent(res)));
        if (!ok) bad.push(`${r.method} ${r.path} as ${role} → ${res.status}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
