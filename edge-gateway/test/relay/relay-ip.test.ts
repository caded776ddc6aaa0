// The relay's IP path against a real (in-process aedes) broker: application acks remove messages,
// a coordinator that stops acknowledging makes the relay fall back to LoRa although the broker is up,
// and the IP path is used again once acks flow.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { SystemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { MessageInbox } from '../../src/coordinator/message-inbox.js';
import { RelayIngest } from '../../src/coordinator/lora-ingest.js';
import { IpPath } from '../../src/relay/ip-path.js';
import { LoraPath } from '../../src/relay/lora-path.js';
import { Outbox } from '../../src/relay/outbox.js';
import { Relay } from '../../src/relay/relay.js';
import type { RelayEvents } from '../../src/relay/relay.js';
import { LoraBudget } from '../../src/relay/scheduler.js';
import { emergency, needs, relayDb, status, VirtualModem } from './support.js';

async function until(cond: () => boolean, what: string, ms = 8000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

describe('Relay over IP (aedes broker)', () => {
  let broker: Aedes;
  let server: Server;
  let url: string;
  const clock = new SystemClock(20);
  let stops: (() => Promise<void> | void)[];

  beforeEach(async () => {
    stops = [];
    broker = await Aedes.createBroker();
    server = createServer(broker.handle);
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const addr = server.address();
    if (!addr || typeof addr === 'string') throw new Error('no port');
    url = `mqtt://127.0.0.1:${addr.port}`;
  });

  afterEach(async () => {
    for (const s of stops.reverse()) await s();
    await new Promise<void>((res) => broker.close(() => res()));
    await new Promise<void>((res) => server.close(() => res()));
  });

  function point() {
    const outbox = new Outbox(relayDb());
    const modem = new VirtualModem(clock, 500);
    const budget = new LoraBudget({ subBands: [{ name: 'a', duty: 1 }, { name: 'b', duty: 1 }] });
    const lora = new LoraPath({ modem, budget, clock, log: silentLogger });
    const ip = new IpPath({ url, pointId: 'punt-1', clock, log: silentLogger, ackTimeoutMs: 4000, holdDownMs: 10_000, reconnectPeriodMs: 200 });
    const relay = new Relay({ pointId: 'punt-1', outbox, clock, log: silentLogger, ip, lora, budget, tickMs: 500 });
    const sent: RelayEvents['sent'][] = [];
    const delivered: RelayEvents['delivered'][] = [];
    relay.on('sent', (e) => sent.push(e));
    relay.on('delivered', (e) => delivered.push(e));
    stops.push(() => relay.stop(), () => ip.stop());
    return { outbox, modem, ip, relay, sent, delivered };
  }

  async function coordinator(inbox = new MessageInbox(relayDb())) {
    const ingest = new RelayIngest({ url, clientId: `coordinator-${Math.random()}`, inbox, clock, log: silentLogger, sources: { ip: true, chirpstack: false, ttn: false } });
    await ingest.start();
    stops.push(() => ingest.stop());
    return { ingest, inbox };
  }

  it('delivers over MQTT with the same ids, removing each message on the application ack', async () => {
    const c = await coordinator();
    const p = point();
    await p.ip.start();
    p.relay.start();
    const a = p.relay.submitNeeds(needs(3));
    const e = p.relay.submitEmergency(emergency());
    p.relay.submitStatus(status(1));
    const s2 = p.relay.submitStatus(status(2));
    await until(() => p.outbox.size() === 0, 'an empty outbox');
    expect(p.modem.sent).toEqual([]);
    expect(p.delivered.map((d) => d.path)).toEqual(['ip', 'ip', 'ip']);
    expect(p.delivered.map((d) => d.row.id).sort()).toEqual([a.ref, e.ref, s2.ref].sort());
    const got = c.inbox.messages('punt-1');
    expect(got.map((m) => m.kind)).toEqual(['emergency', 'needs']); // the emergency went first and got seq 0
    expect(got.map((m) => m.seq)).toEqual([0, 1]);
    expect(c.inbox.status('punt-1')?.body).toMatchObject({ visitorsPresent: 2 });
  });

  it('falls back to LoRa when the coordinator stops acknowledging, and returns to IP when acks flow again', async () => {
    const p = point();
    await p.ip.start();
    p.relay.start();
    await until(() => p.ip.healthy(), 'the IP link');
    // broker up, no coordinator: the message goes out on IP, no ack comes
    const a = p.relay.submitNeeds(needs(7));
    await until(() => p.modem.sent.length > 0, 'the LoRa fallback');
    // IP first (on a loaded machine it may be tried again before the ack timeout holds it down), then LoRa.
    const paths = p.sent.map((s) => s.path);
    expect(paths[0]).toBe('ip');
    expect(paths.at(-1)).toBe('lora');
    expect(paths.slice(0, -1).every((x) => x === 'ip')).toBe(true);
    expect(p.sent.at(-1)!.row.seq).toBe(p.sent[0]!.row.seq); // the same id on both paths
    expect(p.ip.stats.ackTimeouts).toBeGreaterThanOrEqual(1);
    expect(p.ip.healthy()).toBe(false); // held down although connected
    // the coordinator comes up; after the hold-down the message goes over IP once more and is acked
    const c = await coordinator();
    await until(() => p.delivered.some((d) => d.row.id === a.ref), 'delivery', 10_000);
    expect(p.delivered.find((d) => d.row.id === a.ref)?.path).toBe('ip');
    expect(c.inbox.messages('punt-1')).toHaveLength(1);
    expect(p.outbox.size()).toBe(0);
  });

  it('shares one MQTT connection per user with other services (the broker allows one session per user)', async () => {
    const shared = await mqtt.connectAsync(url, { clientId: 'coordinator-shared', reconnectPeriod: 0 });
    const other: string[] = [];
    shared.on('message', (topic) => other.push(topic));
    await shared.subscribeAsync('noodsteun/point/+/status', { qos: 1 });
    const inbox = new MessageInbox(relayDb());
    const ingest = new RelayIngest({ client: shared, inbox, clock, log: silentLogger, sources: { ip: true } });
    await ingest.start();
    const pointClient = await mqtt.connectAsync(url, { clientId: 'point-shared', reconnectPeriod: 0 });
    const outbox = new Outbox(relayDb());
    const ip = new IpPath({ client: pointClient, pointId: 'punt-1', clock, log: silentLogger });
    const relay = new Relay({ pointId: 'punt-1', outbox, clock, log: silentLogger, ip });
    await ip.start();
    relay.start();
    relay.submitNeeds(needs(9));
    await pointClient.publishAsync('noodsteun/point/punt-1/status', '{}', { qos: 1 });
    await until(() => outbox.size() === 0 && other.length > 0, 'delivery over shared clients');
    expect(inbox.messages('punt-1')).toHaveLength(1);
    expect(ingest.stats.rejected).toBe(0); // the status message was not the ingest's to judge
    relay.stop();
    await ip.stop();
    await ingest.stop();
    // the callers' connections stay up for their other users
    expect(shared.connected && pointClient.connected).toBe(true);
    await shared.endAsync();
    await pointClient.endAsync();
  });
});
