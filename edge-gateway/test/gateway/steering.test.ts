// A coordinator and a point, both real gateways in this process with their embedded brokers: the point's
// status (with its charging evidence) reaches the coordinator, and a logged-in coordinator switches the
// point's phone charging off through the coordinator's broker; anonymous requests are refused.
import { afterEach, describe, expect, it } from 'vitest';
import { repoPaths } from '../../src/paths.js';
import { firstRunSetUp, startGatewayPair, type GatewayPair } from '../support/gateway-pair.js';
import { until } from '../support/until.js';

const pairs: GatewayPair[] = [];
afterEach(async () => {
  for (const p of pairs.splice(0)) await p.close();
});

type PointsReply = { data: { points: { point: string; status: { chargingStats?: { policy: string } } | null }[] } };

describe('coordinator steering a point', () => {
  it('switches the point’s charging off for a logged-in coordinator only, and sees it in the point’s status', async () => {
    const pair = await startGatewayPair({
      point: {
        nodes: [{ id: 'charger-1', kind: 'charger' }],
        charging: { enabled: true, node: 'charger-1', ports: 4 },
        powerBudgetFile: repoPaths.powerBudgetExample,
      },
    });
    pairs.push(pair);
    const { coordinator, records } = pair;
    // First-run set-up with the one-time code the coordinator logged (no default account exists).
    const { cookie, csrf } = await firstRunSetUp(coordinator.httpUrl, pair.coordRecords, 'coordinator');

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
