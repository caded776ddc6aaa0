// The commissioning rows over real HTTP: technician only (anonymous 401, staff 403, no CSRF 403), a run
// through the API on fake nodes, the report in both formats, diagnostics; a gateway without the service 404s.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/clock.js';
import type { Api } from '../../src/api/index.js';
import { commissioningApi } from '../../src/commissioning/index.js';
import type { CommissioningReport } from '../../src/commissioning/report.js';
import { until } from '../support/until.js';
import { FakeNode } from './fake-nodes.js';
import { core, FW, type Core } from './core.js';
import { startCommissioningApi, type CommissioningApiHarness, type Session } from './api-harness.js';


describe('commissioning API', () => {
  let c: Core;
  let api: Api;
  let h: CommissioningApiHarness;
  let tech: Session;
  let staff: Session;

  const call = (...a: Parameters<CommissioningApiHarness['call']>) => h.call(...a);

  beforeAll(async () => {
    c = await core();
    c.mqtt.add(new FakeNode('charger-1', 'charger', FW.charger!)).heartbeat();
    c.serial.add(new FakeNode('battery-1', 'battery', FW.battery!)).heartbeat();
    await until('nodes', async () => c.registry.nodes().length === 2);
    h = await startCommissioningApi(c.store.db, c.svc());
    ({ api, tech, staff } = h);
  });

  afterAll(async () => {
    await h?.close();
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
