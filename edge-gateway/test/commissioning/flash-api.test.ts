// The firmware-flash rows over real HTTP: technician only, refusals as HTTP statuses, and an upload followed
// through GET until its result (the flasher here stands in for the board: the real path is flash.test.ts).
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../src/core/clock.js';
import { memoryLogger } from '../../src/log/logger.js';
import { createHttpServer, type HttpServer } from '../../src/http/server.js';
import { createApi, type Api } from '../../src/api/index.js';
import { commissioningApi, type FirmwareFlasher, type FlashRequest } from '../../src/commissioning/index.js';
import { parseMessage, type UplinkMessage } from '../../src/protocol/index.js';
import { until } from '../support/until.js';
import { FakeNode } from './fake-nodes.js';
import { core, FW, type Core } from './core.js';

interface Session {
  cookie: string;
  csrf: string;
}

describe('commissioning flash API', () => {
  let c: Core;
  let api: Api;
  let http: HttpServer;
  let url: string;
  let tech: Session;
  let staff: Session;
  const log = memoryLogger();
  const uploads: FlashRequest[] = [];
  const events: string[] = [];

  // The board after an upload: a new boot reporting the build.
  const flasher: FirmwareFlasher = {
    flash: (req) => {
      uploads.push(req);
      events.push('upload');
      setTimeout(() => {
        const msg = parseMessage({ v: 1, node: 'battery-1', boot: 2, seq: 1, ts: Date.now(), type: 'hb', body: { kind: 'battery', fw: FW.battery, up: 1, mem: 4000, flags: [], link: 'serial' } }) as UplinkMessage;
        c.serial.emit('message', { msg, link: c.serial.name, receivedAt: Date.now() });
      }, 300);
      return new Promise((r) => setTimeout(() => r({ output: 'Connecting\nUploading 5000 bytes to flash\nUpload Complete' }), 100));
    },
  };

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
    c.mqtt.add(new FakeNode('charger-1', 'charger', '0.9.0+old')).heartbeat();
    c.serial.add(new FakeNode('battery-1', 'battery', '0.9.0+old')).heartbeat();
    await until('nodes', async () => c.registry.nodes().length === 2);
    const svc = c.svc({
      flash: {
        flasher,
        serialPort: (node) =>
          node === 'battery-1'
            ? { port: '/dev/ttyFAKE0', link: c.serial.name, release: async () => void events.push('release'), resume: async () => void events.push('resume') }
            : null,
      },
    });
    api = createApi({ db: c.store.db, clock: new SystemClock(), log, sink: null, personalRetentionDays: 30, modules: [commissioningApi(svc)] });
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

  it('is for technicians only, with the CSRF header on POST', async () => {
    for (const [method, body] of [['GET', undefined], ['POST', { node: 'battery-1' }]] as const) {
      expect((await call(method, '/api/commissioning/flash', body, null)).status).toBe(401);
      expect((await call(method, '/api/commissioning/flash', body, staff)).status).toBe(403);
    }
    expect((await call('POST', '/api/commissioning/flash', { node: 'battery-1' }, tech, false)).status).toBe(403);
    expect(uploads).toEqual([]);
  });

  it('refuses without a run, a Wi-Fi node, an unknown node and bad input', async () => {
    expect(await call('POST', '/api/commissioning/flash', { node: 'battery-1' }, tech)).toMatchObject({ status: 409, error: expect.stringMatching(/start one first/) });
    await call('POST', '/api/commissioning/start', {}, tech);
    expect(await call('POST', '/api/commissioning/flash', { node: 'charger-1' }, tech)).toMatchObject({ status: 409, error: expect.stringMatching(/Wi-Fi \(MQTT\): connect it by USB/) });
    expect((await call('POST', '/api/commissioning/flash', { node: 'ghost-1' }, tech)).status).toBe(404);
    expect((await call('POST', '/api/commissioning/flash', { node: 'Bad Id' }, tech)).status).toBe(400);
    expect((await call('POST', '/api/commissioning/flash', { node: 'battery-1', extra: 1 }, tech)).status).toBe(400);
    expect(uploads).toEqual([]);
  });

  it('starts an upload, refuses a second, and reports progress until the recorded result', async () => {
    expect((await call('GET', '/api/commissioning/flash', undefined, tech)).data).toEqual({ flash: null });
    const r = await call('POST', '/api/commissioning/flash', { node: 'battery-1' }, tech);
    expect(r.status).toBe(200);
    expect(r.data.flash).toMatchObject({ node: 'battery-1', kind: 'battery', port: '/dev/ttyFAKE0', phase: 'releasing', oldVersion: '0.9.0+old', expected: FW.battery });
    expect(await call('POST', '/api/commissioning/flash', { node: 'battery-1' }, tech)).toMatchObject({ status: 409, error: expect.stringMatching(/upload is running/) });
    const final = await until('the upload to finish', async () => {
      const f = (await call('GET', '/api/commissioning/flash', undefined, tech)).data.flash as { phase: string } | null;
      return f && (f.phase === 'done' || f.phase === 'failed') ? f : null;
    });
    expect(final).toMatchObject({ phase: 'done', ok: true, measurementId: expect.any(Number) });
    expect(uploads).toEqual([{ kind: 'battery', port: '/dev/ttyFAKE0' }]);
    expect(events).toEqual(['release', 'upload', 'resume']);
    const run = (await call('GET', '/api/commissioning', undefined, tech)).data.run as { measurements: { what: string; ok: boolean; by: string; value: Record<string, unknown> }[] };
    const m = run.measurements.find((x) => x.what === 'firmware flash battery-1');
    expect(m).toMatchObject({ ok: true, by: 'tech-anna', value: { oldVersion: '0.9.0+old', newVersion: FW.battery, output: ['Connecting', 'Uploading 5000 bytes to flash', 'Upload Complete'] } });
  });
});
