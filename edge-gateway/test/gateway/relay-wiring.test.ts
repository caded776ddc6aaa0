// A coordinator and a point, both real gateways in this process with their embedded brokers: a
// resident's emergency report posted at the point travels through the point's relay (durable outbox,
// IP path over the uplink's connection) into the coordinator's inbox, and the coordinator's ack comes
// back as `confirmed` on the resident's receipt.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { coordinatorUsername } from '../../src/broker/index.js';
import { MessageInbox } from '../../src/coordinator/message-inbox.js';
import { startLoraSimulation, type LoraSim } from '../../src/sim/lora/index.js';
import { skipWithout } from '../support/externals.js';
import { freePort } from '../../src/sim/site.js';
import { startGatewayPair, type GatewayPair } from '../support/gateway-pair.js';
import { until } from '../support/until.js';

const pairs: GatewayPair[] = [];
const sims: LoraSim[] = [];
afterEach(async () => {
  for (const p of pairs) await p.stop();
  for (const s of sims.splice(0)) await s.close();
  for (const p of pairs.splice(0)) await p.close();
});

interface Receipt {
  id: string;
  receipt: string;
  status: 'submitted' | 'sent' | 'confirmed';
  confirmedAt: number | null;
}

async function startPair(opts: Parameters<typeof startGatewayPair>[0] = {}) {
  const pair = await startGatewayPair(opts);
  pairs.push(pair);
  return { ...pair, coordDb: join(pair.coordDir, 'coordinator.db'), pointDb: join(pair.pointDir, 'gateway.db') };
}

/** What the coordinator's inbox holds, read from its database once it has stopped. */
function inboxOf(dbFile: string) {
  const db = new Database(dbFile, { readonly: true });
  try {
    return new MessageInbox(db).messages('p1');
  } finally {
    db.close();
  }
}

describe('relay wiring: point → coordinator over IP', () => {
  it('carries a resident’s emergency report to the coordinator’s inbox and shows it confirmed on the receipt', async () => {
    const { point, coordDb, pointDb, records, stop } = await startPair();

    const res = await fetch(`${point.httpUrl}/api/reports/emergency`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ what: 'trapped', where: 'Dorpsstraat 12, achterom', details: 'oudere man op zolder', people: 2 }),
    });
    expect(res.status).toBe(201);
    const submitted = ((await res.json()) as { data: Receipt }).data;

    const receiptOf = async () =>
      ((await (await fetch(`${point.httpUrl}/api/reports/receipt?r=${encodeURIComponent(submitted.receipt)}`)).json()) as { data: Receipt }).data;
    const confirmed = await until('the receipt to show the coordinator’s confirmation', async () => {
      const r = await receiptOf();
      return r.status === 'confirmed' ? r : null;
    });
    expect(confirmed.id).toBe(submitted.id);
    expect(confirmed.confirmedAt).toEqual(expect.any(Number));

    await stop();
    const inbox = inboxOf(coordDb);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({
      point: 'p1',
      kind: 'emergency',
      path: 'ip',
      body: { type: 'trapped', severity: 'high', people: 2, note: 'Dorpsstraat 12, achterom — oudere man op zolder' },
    });

    // Delivered: the outbox and the report ↔ row mapping are empty again.
    const db = new Database(pointDb, { readonly: true });
    try {
      expect(db.prepare('SELECT count(*) FROM relay_outbox').pluck().get()).toBe(0);
      expect(db.prepare('SELECT count(*) FROM relay_report_ref').pluck().get()).toBe(0);
    } finally {
      db.close();
    }
    expect(records.some((r) => r.msg === 'relayed report received' && r.kind === 'emergency')).toBe(true);
  }, 60_000);

  it('confirms each of several reports once, whatever their kind', async () => {
    const { point, coordDb, stop } = await startPair();
    const post = async (kind: string, body: unknown) => {
      const res = await fetch(`${point.httpUrl}/api/reports/${kind}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
      expect(res.status).toBe(201);
      return ((await res.json()) as { data: Receipt }).data.receipt;
    };
    const receipts = [
      await post('need', { category: 'medicine', people: 3 }),
      await post('safe', { name: 'Fam. de Vries', consent: true }),
      await post('emergency', { what: 'water', where: 'Kade 4', people: null }),
    ];
    for (const r of receipts) {
      await until(`receipt ${r} confirmed`, async () => {
        const got = ((await (await fetch(`${point.httpUrl}/api/reports/receipt?r=${encodeURIComponent(r)}`)).json()) as { data: Receipt }).data;
        return got.status === 'confirmed';
      });
    }
    await stop();
    const inbox = inboxOf(coordDb);
    expect(inbox.map((m) => m.kind).sort()).toEqual(['emergency', 'needs', 'safe']);
    expect(inbox.find((m) => m.kind === 'needs')?.body).toMatchObject({ needs: [{ category: 'medication', severity: 'medium', people: 3 }] });
    expect(inbox.find((m) => m.kind === 'safe')?.body).toMatchObject({ name: 'Fam. de Vries' });
    expect(inbox.find((m) => m.kind === 'emergency')?.body).toMatchObject({ type: 'flooding', people: null, note: 'Kade 4' });
  }, 60_000);
});

const noSocat = skipWithout('socat', 'relay wiring over the simulated LoRa module');

describe.skipIf(noSocat)('relay wiring: point → coordinator over LoRa when IP is down', () => {
  it('carries the report through the simulated RAK3172 and network server, and the downAck confirms it', async () => {
    const { point, coordDb, stop } = await startPair({
      coordinator: { networkServer: { kind: 'chirpstack' } },
      // The network server publishes into the coordinator's broker with its own user.
      users: [{ username: '_network-server', role: 'network-server' }],
      point: async ({ coordinator, secrets, clock, log }) => {
        const sim = await startLoraSimulation({
          device: { devEui: 'ac1f09fffe0a1b2c', joinEui: '0000000000000001', appKey: '8d7f3b2a1c0e4f5a6b7c8d9e0f1a2b3c', name: 'p1' },
          applicationId: 'app-test',
          mqtt: { url: coordinator.mqttUrl!, username: '_network-server', password: secrets['_network-server']! },
          clock,
          log,
          module: { seed: 3 },
        });
        sims.push(sim);
        // The IP link is down: nothing listens where the point looks for the coordinator's broker.
        return {
          coordinator: { url: `mqtt://127.0.0.1:${await freePort()}`, username: coordinatorUsername('p1') },
          lora: { path: sim.gatewayPath, dataRate: 5, joinIntervalS: 7, ackTimeoutS: 8 },
        };
      },
    });

    const res = await fetch(`${point.httpUrl}/api/reports/emergency`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ what: 'fire', where: 'Molenweg 3', details: 'schuur brandt', people: 1 }),
    });
    expect(res.status).toBe(201);
    const { receipt } = ((await res.json()) as { data: Receipt }).data;
    const confirmed = await until(
      'the LoRa downAck to confirm the receipt',
      async () => {
        const r = ((await (await fetch(`${point.httpUrl}/api/reports/receipt?r=${encodeURIComponent(receipt)}`)).json()) as { data: Receipt }).data;
        return r.status === 'confirmed' ? r : null;
      },
      90_000,
    );
    expect(confirmed.confirmedAt).toEqual(expect.any(Number));

    await stop();
    const inbox = inboxOf(coordDb);
    expect(inbox).toHaveLength(1);
    expect(inbox[0]).toMatchObject({ point: 'p1', kind: 'emergency', path: 'chirpstack', body: { type: 'fire', people: 1, note: 'Molenweg 3 — schuur brandt' } });
  }, 120_000);
});
