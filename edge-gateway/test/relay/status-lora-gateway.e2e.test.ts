// The status LoRa feed as the point gateway wires it: a real point and coordinator (test/support/gateway-pair.ts),
// the point's IP link down from the start and its RAK3172 on the simulated LoRa network. Its fuel and battery
// nodes report over the point's broker; the coordinator's GET /api/points shows the point online over LoRa with
// the fuel and battery of its compact status (a low tank makes the feed send early).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterEach, describe, expect, it } from 'vitest';
import { CredentialStore, coordinatorUsername } from '../../src/broker/index.js';
import { SystemClock } from '../../src/core/clock.js';
import { encodeMessage, nodeTopics, type Message } from '../../src/protocol/index.js';
import { startLoraSimulation, type LoraSim } from '../../src/sim/lora/index.js';
import { freePort } from '../../src/sim/site.js';
import { skipWithout } from '../support/externals.js';
import { firstRunSetUp, startGatewayPair, type GatewayPair } from '../support/gateway-pair.js';
import { until } from '../support/until.js';

const noSocat = skipWithout('socat', 'status over LoRa through the point gateway (simulated LoRa module)');

const pairs: GatewayPair[] = [];
const sims: LoraSim[] = [];
const dirs: string[] = [];
afterEach(async () => {
  for (const p of pairs) await p.stop();
  for (const s of sims.splice(0)) await s.close();
  for (const p of pairs.splice(0)) await p.close();
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

interface PointRow {
  point: string;
  online: boolean;
  link: 'mqtt' | 'lora';
  /** The point's last MQTT status (null: none ever reached the coordinator's broker). */
  status: unknown;
  lora: { fuelPct: number | null; batteryPct: number | null; batteryV: number | null; alarms: string[] } | null;
}

describe.skipIf(noSocat)('status LoRa feed in the point gateway', () => {
  it('makes a LoRa-only point online at the coordinator with its fuel and battery', async () => {
    // The point's data folder with MQTT credentials for its two nodes (as `noodsteun mqtt issue` makes them).
    const dataDir = mkdtempSync(join(tmpdir(), 'ns-point-lora-'));
    dirs.push(dataDir);
    const creds = await CredentialStore.open(dataDir);
    const secrets = await creds.ensureNodeCredentials(['fuel-1', 'bat-1']);
    // Accelerated (× 30): the feed's 5-minute minimum between statuses takes 10 s.
    const clock = new SystemClock(30);
    const pair = await startGatewayPair({
      clock,
      coordinator: { networkServer: { kind: 'chirpstack' } },
      users: [{ username: '_network-server', role: 'network-server' }],
      point: async ({ coordinator, secrets: s, clock: c, log }) => {
        const sim = await startLoraSimulation({
          device: { devEui: 'ac1f09fffe0a1b2f', joinEui: '0000000000000001', appKey: '1c0e4f5a6b7c8d9e0f1a2b3c8d7f3b2a', name: 'p1' },
          applicationId: 'app-status',
          mqtt: { url: coordinator.mqttUrl!, username: '_network-server', password: s['_network-server']! },
          clock: c,
          log,
          module: { seed: 11 },
        });
        sims.push(sim);
        return {
          dataDir,
          nodes: [
            { id: 'fuel-1', kind: 'fuel' },
            { id: 'bat-1', kind: 'battery' },
          ],
          // The IP link is down: nothing listens where the point looks for the coordinator's broker.
          coordinator: { url: `mqtt://127.0.0.1:${await freePort()}`, username: coordinatorUsername('p1') },
          lora: { path: sim.gatewayPath, dataRate: 5, joinIntervalS: 7, ackTimeoutS: 8 },
        };
      },
    });
    pairs.push(pair);

    // The nodes report: a nearly empty tank (under 15 %: an alarm, so an early status if the first went before it).
    let seq = 0;
    const publish = async (node: string, msg: Pick<Message, 'type' | 'body'>) => {
      const c = await mqtt.connectAsync(pair.point.mqttUrl!, { username: node, password: secrets.get(node)!, clientId: node, reconnectPeriod: 0 });
      await c.publishAsync(nodeTopics.up(node), encodeMessage({ v: 1, node, boot: 1, seq: ++seq, ts: clock.now(), ...msg } as Message), { qos: 1 });
      await c.endAsync();
    };
    const report = async () => {
      await publish('fuel-1', { type: 'fuel', body: { litres: 24, pct: 12, rawMm: 900, status: 'ok', refuelling: false } });
      await publish('bat-1', { type: 'battery', body: { v: 25.2, a: 3.5, soc: 71, status: 'ok' } });
    };
    await report();
    // Nodes report on: a node silent for a few of its intervals is stale and its values unknown.
    let reporting = true;
    const reporter = (async () => {
      while (reporting) {
        await new Promise((r) => setTimeout(r, 1_000));
        if (reporting) await report().catch(() => {});
      }
    })();

    const { cookie } = await firstRunSetUp(pair.coordinator.httpUrl, pair.coordRecords);
    const row = await until<PointRow>(
      'the point online over LoRa with its fuel and battery',
      async () => {
        const res = await fetch(`${pair.coordinator.httpUrl}/api/points`, { headers: { cookie } });
        if (res.status !== 200) throw new Error(`GET /api/points: ${res.status}`);
        const { points } = ((await res.json()) as { data: { points: PointRow[] } }).data;
        const p = points.find((x) => x.point === 'p1');
        return p?.lora?.fuelPct === 12 && p.lora.batteryPct === 71 ? p : null;
      },
      90_000,
      250,
    ).finally(async () => {
      reporting = false;
      await reporter;
    });
    expect(row).toMatchObject({ online: true, link: 'lora', lora: { fuelPct: 12, batteryPct: 71, batteryV: 25.2 } });
    expect(row.lora!.alarms).toContain('fuel_low');
    // It came over LoRa: the point never reached the coordinator's broker (no MQTT status there), its modem did.
    expect(row.status).toBeNull();
    expect(pair.pointRecords.some((r) => r.msg === 'LoRa modem ready')).toBe(true);
    expect(pair.coordRecords.filter((r) => r.msg === 'relayed message rejected')).toEqual([]);
    // The first status right after the join waits for its sub-band: a deferral, not a failed pump.
    expect(pair.pointRecords.filter((r) => r.msg === 'relay pump failed')).toEqual([]);
  }, 120_000);
});
