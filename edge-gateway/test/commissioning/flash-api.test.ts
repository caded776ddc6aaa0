// The firmware-flash rows over real HTTP: technician only, refusals as HTTP statuses, and an upload followed
// through GET until its result (the flasher here stands in for the board: the real path is flash.test.ts).
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FirmwareFlasher, FlashRequest } from '../../src/commissioning/index.js';
import { parseMessage, type UplinkMessage } from '../../src/protocol/index.js';
import { until } from '../support/until.js';
import { FakeNode } from './fake-nodes.js';
import { core, FW, type Core } from './core.js';
import { startCommissioningApi, type CommissioningApiHarness, type Session } from './api-harness.js';


describe('commissioning flash API', () => {
  let c: Core;
  let h: CommissioningApiHarness;
  let tech: Session;
  let staff: Session;
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

  const call = (...a: Parameters<CommissioningApiHarness['call']>) => h.call(...a);

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
    h = await startCommissioningApi(c.store.db, svc);
    ({ tech, staff } = h);
  });

  afterAll(async () => {
    await h?.close();
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
