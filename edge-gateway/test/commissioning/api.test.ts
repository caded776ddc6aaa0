// The commissioning rows over real HTTP: technician only (anonymous 401, staff 403, no CSRF 403), a run
// through the API on fake nodes, the report in both formats, diagnostics; a gateway without the service 404s.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/clock.js';
import { memoryLogger } from '../../src/log/logger.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { createApi, type Api } from '../../src/api/index.js';
import { commissioningApi } from '../../src/commissioning/index.js';
import type { CommissioningReport } from '../../src/commissioning/report.js';
import { until } from '../support/until.js';
import { FakeNode } from './fake-nodes.js';
import { core, FW, type Core } from './core.js';

interface Session {
  cookie: string;
  csrf: string;
}

describe('commissioning API', () => {
  let c: Core;
  let api: Api;
  let http: HttpServer;
  let url: string;
  let tech: Session;
  let staff: Session;
  const log = memoryLogger();

  const call = async (method: 'GET' | 'POST', path: string, body?: unknown, s?: Session | null, csrf = true) => {
    const headers: Record<string, string> = {};
    if (s) headers.cookie = s.cookie;
    if (s && csrf) headers['X-Noodsteun-CSRF'] = s.csrf;
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(url + path, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    const j = (await res.json()) as { data?: unknown; error?: string };
    return { status: res.status, data: j.data as Record<string, unknown>, error: j.error };
  };
  const login = async (path: string, body: unknown): Promise<Session> => {
    const res = await fetch(url + path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    expect(res.status).toBeLessThan(300);
    const cookie = /ns_session=[^;]*/.exec(res.headers.get('set-cookie') ?? '')?.[0] ?? '';
    return { cookie, csrf: ((await res.json()) as { data: { csrf: string } }).data.csrf };
  };

  beforeAll(async () => {
    c = await core();
    c.mqtt.add(new FakeNode('charger-1', 'charger', FW.charger!)).heartbeat();
    c.serial.add(new FakeNode('battery-1', 'battery', FW.battery!)).heartbeat();
    await until('nodes', async () => c.registry.nodes().length === 2);
    api = createApi({ db: c.store.db, clock: new SystemClock(), log, sink: null, personalRetentionDays: 30, modules: [commissioningApi(c.svc())] });
    api.start();
    const code = log.records.find((r) => typeof r.setupCode === 'string')?.setupCode as string;
    http = createHttpServer({ routes: api.routes, log });
    url = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
    tech = await login('/api/setup', { code, username: 'tech-anna', password: 'a long passphrase 1' });
    await api.auth.addUser('staff-bob', 'another passphrase 2', 'staff');
    staff = await login('/api/auth/login', { username: 'staff-bob', password: 'another passphrase 2' });
  });

  afterAll(async () => {
    api?.stop();
    await http?.close();
    await c?.close();
    if (c) rmSync(c.dir, { recursive: true, force: true });
  });

  it('refuses anonymous and staff sessions, and a technician POST without the CSRF header', async () => {
    for (const [method, path] of [
      ['GET', '/api/commissioning'],
      ['GET', '/api/diagnostics'],
      ['POST', '/api/commissioning/start'],
      ['POST', '/api/commissioning/port'],
      ['GET', '/api/commissioning/report?id=1'],
    ] as const) {
      const body = method === 'POST' ? {} : undefined;
      expect((await call(method, path, body, null)).status, `${method} ${path} anonymous`).toBe(401);
      expect((await call(method, path, body, staff)).status, `${method} ${path} staff`).toBe(403);
    }
    expect((await call('POST', '/api/commissioning/start', {}, tech, false)).status).toBe(403);
  });

  it('runs the wizard over HTTP and downloads the report with the measured values', async () => {
    const start = await call('POST', '/api/commissioning/start', {}, tech);
    expect(start.status).toBe(200);
    const runId = (start.data.run as { id: number }).id;
    const state = await call('GET', '/api/commissioning', undefined, tech);
    expect((state.data.steps as { id: string }[])[0]?.id).toBe('site');
    expect((state.data.run as { run: { id: number } }).run.id).toBe(runId);

    expect((await call('POST', '/api/commissioning/discover', {}, tech)).data).toMatchObject({ step: 'nodes', by: 'tech-anna' });
    expect((await call('POST', '/api/commissioning/port', { port: 0, on: true }, tech)).data).toMatchObject({ ok: true, node: 'charger-1' });
    await until('fresh reading', async () => (await call('GET', '/api/commissioning/port?port=0', undefined, tech)).data.fresh === true);
    const off = await call('POST', '/api/commissioning/port', { port: 0, on: false, confirmed: true }, tech);
    expect(off.data).toMatchObject({ ok: true, value: { measuredMa: 1800 } });
    expect((await call('POST', '/api/commissioning/step', { step: 'hotspot', status: 'skipped' }, tech)).status).toBe(400);
    expect((await call('POST', '/api/commissioning/step', { step: 'site', status: 'done' }, tech)).status).toBe(400);
    expect((await call('POST', '/api/commissioning/finish', {}, tech)).status).toBe(409);
    for (const s of state.data.steps as { id: string }[]) {
      const r = await call('POST', '/api/commissioning/step', { step: s.id, status: s.id === 'hotspot' ? 'skipped' : 'passed', ...(s.id === 'hotspot' ? { note: 'not fitted' } : {}) }, tech);
      expect(r.status).toBe(200);
    }
    expect((await call('POST', '/api/commissioning/finish', {}, tech)).status).toBe(200);

    const json = (await call('GET', `/api/commissioning/report?id=${runId}`, undefined, tech)).data as unknown as CommissioningReport;
    expect(json.run.finishedBy).toBe('tech-anna');
    expect(json.steps.find((s) => s.step === 'charging')?.measurements[0]?.value).toMatchObject({ measuredMa: 1800, technicianConfirmed: true });
    const md = (await call('GET', `/api/commissioning/report?id=${runId}&format=md`, undefined, tech)).data.markdown as string;
    expect(md).toContain('"measuredMa": 1800');
    expect((await call('GET', '/api/commissioning/report?id=999', undefined, tech)).status).toBe(404);
  });

  it('diagnostics lists links, nodes and recent logs', async () => {
    const d = (await call('GET', '/api/diagnostics?logs=20', undefined, tech)).data as { links: { name: string }[]; nodes: { id: string; link: string }[]; logs: { msg: string }[] };
    expect(d.links.map((l) => l.name)).toEqual(['serial:/dev/ttyFAKE0', 'mqtt']);
    expect(d.nodes.find((n) => n.id === 'battery-1')?.link).toBe('serial:/dev/ttyFAKE0');
    expect(d.logs.map((l) => l.msg)).toContain('commissioning report saved');
    expect((await call('GET', '/api/diagnostics?logs=9999', undefined, tech)).status).toBe(400);
  });

  it('answers 404 on a gateway without the service (the documented rows)', async () => {
    const table = commissioningApi(null)({ auth: api.auth, clock: new SystemClock(), resident: () => {} });
    const row = table.find((r) => r.path === '/api/commissioning');
    expect(() => row?.handler({ headers: {}, method: 'GET' } as never, new URL('http://x/api/commissioning'))).toThrow(/does not run commissioning/);
  });
});
