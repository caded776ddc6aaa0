// The charging module's staff rows on the real HTTP server with real accounts and sessions (SQLite): who may
// call them, CSRF and origin checks, and that what staff do reaches residents through the resident rows.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chargingConfig } from '../../src/charging/config.js';
import { chargingApi } from '../../src/charging/routes.js';
import { ChargingService } from '../../src/charging/service.js';
import { MemoryChargingPersistence } from '../../src/charging/types.js';
import { EventBus } from '../../src/core/bus.js';
import { ManualClock } from '../../src/core/clock.js';
import type { GatewayEvents } from '../../src/core/events.js';
import { EXAMPLE_POWER_CONFIG, loadPowerConfig, toPowerSystem } from '../../../hardware/src/power-config.js';
import { envelope, postJson, sessionCookie, startHarness, type Harness } from './harness.js';

const PASSWORD = 'correct horse battery';
type Who = { cookie: string; csrf: string };

describe('charging API: staff rows', () => {
  let hx: Harness;
  let service: ChargingService;
  let tech: Who;
  let staff: Who;
  let coord: Who;

  const as = (who: Who | null, csrf = true): Record<string, string> => (who ? { Cookie: who.cookie, ...(csrf ? { 'X-Noodsteun-CSRF': who.csrf } : {}) } : {});
  const get = (path: string, who: Who | null) => fetch(`${hx.url}${path}`, { headers: as(who) });
  const post = (path: string, body: unknown, who: Who | null, extra: Record<string, string> = {}) => postJson(`${hx.url}${path}`, body, { ...as(who), ...extra });
  const takeNumber = async () => {
    const r = await fetch(`${hx.url}/api/charging/number?kiosk=1`, { method: 'POST' });
    return { status: r.status, body: await envelope(r) };
  };
  async function login(username: string): Promise<Who> {
    const res = await postJson(`${hx.url}/api/auth/login`, { username, password: PASSWORD });
    expect(res.status).toBe(200);
    return { cookie: sessionCookie(res), csrf: ((await envelope(res)).data as { csrf: string }).csrf };
  }

  beforeAll(async () => {
    const clock = new ManualClock();
    const bus = new EventBus<GatewayEvents>();
    service = new ChargingService({
      config: chargingConfig({ enabled: true, ports: 1 }),
      bus,
      clock,
      persistence: new MemoryChargingPersistence(),
      power: { system: toPowerSystem(loadPowerConfig(EXAMPLE_POWER_CONFIG)), inputs: () => ({ generatorRunning: true, fuelL: 50, soc: 90 }) },
      sendCommand: () => true,
    });
    service.start();
    bus.emit('reading', { msg: { v: 1, node: 'charger-1', boot: 1, seq: 1, ts: clock.now(), type: 'charger', body: { ports: [{ p: 0, on: false, mA: 0, fault: null }], failsafe: false } }, link: 't', receivedAt: clock.now() });
    hx = await startHarness({ modules: [chargingApi(service)] });
    const res = await postJson(`${hx.url}/api/setup`, { code: hx.setupCode, username: 'tech', password: PASSWORD });
    tech = { cookie: sessionCookie(res), csrf: ((await envelope(res)).data as { csrf: string }).csrf };
    for (const [username, role] of [['mia', 'staff'], ['coco', 'coordinator']] as const) {
      expect((await post('/api/users', { username, password: PASSWORD, role }, tech)).status).toBe(201);
    }
    staff = await login('mia');
    coord = await login('coco');
  });
  afterAll(async () => {
    await hx.close();
    service.stop();
  });

  it('shows the queue to staff and technicians only, with numbers and no tokens', async () => {
    const a = await takeNumber();
    const b = await takeNumber();
    expect([a.status, b.status]).toEqual([201, 201]);
    expect((await get('/api/charging/queue', null)).status).toBe(401);
    expect((await get('/api/charging/queue', coord)).status).toBe(403);
    expect((await get('/api/charging/queue', tech)).status).toBe(200);
    const res = await get('/api/charging/queue', staff);
    expect(res.status).toBe(200);
    const view = (await envelope(res)).data as { open: boolean; tickets: { number: number; state: string; port: number | null }[]; ports: { p: number; state: string }[] };
    expect(view.open).toBe(true);
    expect(view.tickets.map((t) => [t.number, t.state, t.port])).toEqual([
      [1, 'offered', 0],
      [2, 'waiting', null],
    ]);
    const token = (a.body.data as { token: string }).token;
    expect(JSON.stringify(view)).not.toContain(token);
  });

  it('closes and reopens charging: a resident is refused while closed', async () => {
    const closing = await post('/api/charging/open', { open: false }, staff);
    expect(closing.status).toBe(200);
    expect(((await envelope(closing)).data as { open: boolean; localOpen: boolean })).toMatchObject({ open: false, localOpen: false });
    const closed = await takeNumber();
    expect(closed.status).toBe(503);
    expect(closed.body.error).toBe('off');
    const board = (await envelope(await fetch(`${hx.url}/api/charging/board`))).data as { enabled: boolean };
    expect(board.enabled).toBe(false);

    const res = await post('/api/charging/open', { open: true }, staff);
    expect(res.status).toBe(200);
    expect(((await envelope(res)).data as { open: boolean }).open).toBe(true);
    expect((await takeNumber()).status).toBe(201);
  });

  it('refuses a state change without a session, without or with a wrong CSRF token, or from another site', async () => {
    expect((await post('/api/charging/open', { open: false }, null)).status).toBe(401);
    const noCsrf = await postJson(`${hx.url}/api/charging/open`, { open: false }, { Cookie: staff.cookie });
    expect(noCsrf.status).toBe(403);
    expect((await envelope(noCsrf)).error).toContain('CSRF');
    expect((await post('/api/charging/open', { open: false }, staff, { 'X-Noodsteun-CSRF': 'wrong' })).status).toBe(403);
    expect((await post('/api/charging/open', { open: false }, staff, { Origin: 'http://evil.example' })).status).toBe(403);
    // none of them changed anything
    expect(((await envelope(await get('/api/charging/queue', staff))).data as { open: boolean }).open).toBe(true);
  });

  it('skips a no-show, puts it back, and validates the input', async () => {
    const q = (await envelope(await get('/api/charging/queue', staff))).data as { tickets: { number: number; state: string }[] };
    const offered = q.tickets.find((t) => t.state === 'offered')!;
    const waiting = q.tickets.find((t) => t.state === 'waiting')!;
    expect((await post('/api/charging/skip', { number: waiting.number }, staff)).status).toBe(409);
    expect((await post('/api/charging/skip', { number: 'one' }, staff)).status).toBe(400);
    expect((await post('/api/charging/skip', { number: 1, extra: true }, staff)).status).toBe(400);
    const skipped = await post('/api/charging/skip', { number: offered.number }, staff);
    expect(skipped.status).toBe(200);
    const after = (await envelope(skipped)).data as { tickets: { number: number; state: string }[]; finished: { number: number; state: string }[] };
    expect(after.finished).toContainEqual(expect.objectContaining({ number: offered.number, state: 'missed' }));
    expect(after.tickets).toContainEqual(expect.objectContaining({ number: waiting.number, state: 'offered' }));

    const back = await post('/api/charging/reoffer', { number: offered.number }, staff);
    expect(back.status).toBe(200);
    expect(((await envelope(back)).data as { tickets: { number: number; state: string }[] }).tickets).toContainEqual(expect.objectContaining({ number: offered.number, state: 'waiting' }));
    expect((await post('/api/charging/reoffer', { number: offered.number }, staff)).status).toBe(409);
  });

  it('releases only a charging or collected port; only a technician returns a disabled port', async () => {
    const rel = await post('/api/charging/release', { port: 0 }, staff);
    expect(rel.status).toBe(409); // offered, nobody plugged in
    expect((await envelope(rel)).error).toContain('port 0');
    expect((await post('/api/charging/port/disable', { port: 0 }, staff)).status).toBe(200);
    expect((await post('/api/charging/port/enable', { port: 0 }, staff)).status).toBe(403);
    expect((await post('/api/charging/port/enable', { port: 0 }, coord)).status).toBe(403);
    const en = await post('/api/charging/port/enable', { port: 0 }, tech);
    expect(en.status).toBe(200);
    expect(((await envelope(en)).data as { ports: { state: string }[] }).ports[0]!.state).toBe('offered');
    expect((await post('/api/charging/port/enable', { port: 0 }, tech)).status).toBe(409);
  });

  it('answers 404 on a gateway without charging, after the login check', async () => {
    const bare = await startHarness({ modules: [chargingApi(null)] });
    try {
      expect((await fetch(`${bare.url}/api/charging/queue`)).status).toBe(401);
      expect((await fetch(`${bare.url}/api/charging/board`)).status).toBe(404);
      const res = await postJson(`${bare.url}/api/setup`, { code: bare.setupCode, username: 'tech', password: PASSWORD });
      const t = { cookie: sessionCookie(res), csrf: ((await envelope(res)).data as { csrf: string }).csrf };
      const q = await fetch(`${bare.url}/api/charging/queue`, { headers: { Cookie: t.cookie } });
      expect(q.status).toBe(404);
      expect((await envelope(q)).error).toBe('this gateway does not run phone charging');
    } finally {
      await bare.close();
    }
  });
});
