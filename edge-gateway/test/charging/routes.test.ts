import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chargingConfig } from '../../src/charging/config.js';
import { chargingApi, HOLDER_COOKIE } from '../../src/charging/routes.js';
import { ChargingService } from '../../src/charging/service.js';
import { MemoryChargingPersistence } from '../../src/charging/types.js';
import { EventBus } from '../../src/core/bus.js';
import { ManualClock } from '../../src/core/clock.js';
import type { GatewayEvents } from '../../src/core/events.js';
import { startHarness, type Harness } from '../api/harness.js';
import { EXAMPLE_POWER_CONFIG, loadPowerConfig, toPowerSystem } from '../../../hardware/src/power-config.js';

const clock = new ManualClock();
const bus = new EventBus<GatewayEvents>();
const service = new ChargingService({
  config: chargingConfig({ enabled: true, ports: 1 }),
  bus,
  clock,
  persistence: new MemoryChargingPersistence(),
  power: { system: toPowerSystem(loadPowerConfig(EXAMPLE_POWER_CONFIG)), inputs: () => ({ generatorRunning: true, fuelL: 50, soc: 90 }) },
  sendCommand: () => true,
});
let http: Harness;
let base: string;

beforeAll(async () => {
  service.start();
  const now = clock.now();
  bus.emit('reading', { msg: { v: 1, node: 'charger-1', boot: 1, seq: 1, ts: now, type: 'charger', body: { ports: [{ p: 0, on: false, mA: 0, fault: null }], failsafe: false } }, link: 't', receivedAt: now });
  // the charging rows as the gateway serves them: in the API's request table (real SQLite, real server)
  http = await startHarness({ modules: [chargingApi(service)] });
  base = http.url;
});
afterAll(async () => {
  await http.close();
  service.stop();
});

describe('charging HTTP hooks', () => {
  it('takes a number, sets an anonymous holder cookie, and enforces the per-holder limit with it', async () => {
    const r = await fetch(`${base}/api/charging/number`, { method: 'POST' });
    expect(r.status).toBe(201);
    const setCookie = r.headers.get('set-cookie') ?? '';
    expect(setCookie).toMatch(new RegExp(`^${HOLDER_COOKIE}=[A-Za-z0-9_-]+;`));
    const body = (await r.json()) as { status: string; data: { number: number; token: string } };
    expect(body.data.number).toBe(1);

    const st = (await (await fetch(`${base}/api/charging/ticket?token=${body.data.token}`)).json()) as { data: { state: string; port: number } };
    expect(st.data).toMatchObject({ state: 'offered', port: 0 });

    const again = await fetch(`${base}/api/charging/number`, { method: 'POST', headers: { cookie: setCookie.split(';')[0]! } });
    expect(again.status).toBe(429);
    expect(((await again.json()) as { error: string }).error).toBe('limit');

    const other = await fetch(`${base}/api/charging/number?holder=card-0042`, { method: 'POST' });
    expect(other.status).toBe(201);
    const board = (await (await fetch(`${base}/api/charging/board`)).json()) as { data: { queueLength: number; nowServing: number[]; freePorts: number } };
    expect(board.data).toMatchObject({ queueLength: 1, nowServing: [1], freePorts: 0 });
  });

  it('takes numbers for the shared kiosk without a cookie or limit', async () => {
    for (let i = 0; i < 2; i++) {
      const r = await fetch(`${base}/api/charging/number?kiosk=1`, { method: 'POST' });
      expect(r.status).toBe(201);
      expect(r.headers.get('set-cookie')).toBeNull();
    }
  });

  it('answers 404 for an unknown number and 400 for a malformed token', async () => {
    expect((await fetch(`${base}/api/charging/ticket?token=AAAAAAAAAAAA`)).status).toBe(404);
    expect((await fetch(`${base}/api/charging/ticket?token=../x`)).status).toBe(400);
  });
});
