// A coordinator and a point, both real gateways in this process with their embedded brokers: the point's
// status (with its charging evidence) reaches the coordinator, and a logged-in coordinator switches the
// point's phone charging off through the coordinator's broker; anonymous requests are refused.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialStore, coordinatorUsername } from '../../src/broker/index.js';
import { writeFileAtomic } from '../../src/broker/atomic-file.js';
import { parseConfig } from '../../src/config/load.js';
import { SystemClock } from '../../src/core/clock.js';
import { createLogger, type LogRecord } from '../../src/log/logger.js';
import { startCoordinatorGateway } from '../../src/gateway/coordinator-gateway.js';
import { startPointGateway, type RunningGateway } from '../../src/gateway/point-gateway.js';
import { repoPaths } from '../../src/paths.js';
import { until } from '../support/until.js';

const running: RunningGateway[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const g of running.splice(0).reverse()) await g.stop();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

type PointsReply = { data: { points: { point: string; status: { chargingStats?: { policy: string } } | null }[] } };

describe('coordinator steering a point', () => {
  it('switches the point’s charging off for a logged-in coordinator only, and sees it in the point’s status', async () => {
    const coordDir = mkdtempSync(join(tmpdir(), 'ns-coord-'));
    const pointDir = mkdtempSync(join(tmpdir(), 'ns-point-'));
    dirs.push(coordDir, pointDir);
    const records: LogRecord[] = [];
    const log = createLogger('test', { level: 'info', sink: (r) => records.push(r) });
    const clock = new SystemClock(1);

    // Commissioning: the coordinator's broker admits the point with a secret the point keeps in a file.
    const creds = await CredentialStore.open(coordDir);
    const secret = await creds.issue({ username: coordinatorUsername('p1'), role: 'coordinator', point: 'p1' });
    await writeFileAtomic(join(pointDir, 'coordinator.password'), secret + '\n', 0o600);

    const coordinator = await startCoordinatorGateway(
      parseConfig({ role: 'coordinator', id: 'regio', name: 'Regio', dataDir: coordDir, mqtt: { mode: 'embedded', port: 0 }, http: { port: 0 } }),
      { clock, log: log.child('coord') },
    );
    running.push(coordinator);
    const point = await startPointGateway(
      parseConfig({
        role: 'point',
        id: 'p1',
        name: 'Punt 1',
        dataDir: pointDir,
        nodes: [{ id: 'charger-1', kind: 'charger' }],
        charging: { enabled: true, node: 'charger-1', ports: 4 },
        powerBudgetFile: repoPaths.powerBudgetExample,
        board: { enabled: false },
        mqtt: { mode: 'embedded', port: 0 },
        http: { port: 0 },
        coordinator: { url: coordinator.mqttUrl!, username: coordinatorUsername('p1'), passwordFile: join(pointDir, 'coordinator.password') },
      }),
      { clock, log: log.child('point') },
    );
    running.push(point);

    // First-run set-up with the one-time code the coordinator logged (no default account exists).
    const code = records.find((r) => typeof r.setupCode === 'string')?.setupCode as string;
    expect(code).toMatch(/^[a-z0-9]{8,}$/);
    const setup = await fetch(`${coordinator.httpUrl}/api/setup`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ code, username: 'coordinator', password: 'a long passphrase here' }),
    });
    expect(setup.status).toBe(201);
    const cookie = setup.headers.get('set-cookie')!.split(';')[0]!;
    const { csrf } = ((await setup.json()) as { data: { csrf: string } }).data;

    const policyAtCoordinator = async () => {
      const body = (await (await fetch(`${coordinator.httpUrl}/api/points`, { headers: { cookie } })).json()) as PointsReply;
      return body.data.points.find((p) => p.point === 'p1')?.status?.chargingStats?.policy ?? null;
    };
    expect(await until('the point’s status with charging evidence', policyAtCoordinator)).toBe('budget');

    const url = `${coordinator.httpUrl}/api/points/charging-policy`;
    const body = JSON.stringify({ point: 'p1', policy: 'off' });
    const anonymous = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect(anonymous.status).toBe(401);

    const noCsrf = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', cookie }, body });
    expect(noCsrf.status).toBe(403);
    const sent = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', cookie, 'x-noodsteun-csrf': csrf }, body });
    expect(sent.status).toBe(202);

    expect(await until('the point to report charging off', async () => ((await policyAtCoordinator()) === 'off' ? 'off' : null))).toBe('off');
    expect(records.some((r) => r.msg === 'coordinator command' && r.op === 'charging-policy')).toBe(true);
  }, 60_000);
});
