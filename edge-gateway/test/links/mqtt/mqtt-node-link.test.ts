// MqttNodeLink against the real embedded broker: node clients are plain mqtt.js connections
// with the node credentials, the link uses the gateway's service credentials.
import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore } from '../../../src/broker/credentials.js';
import type { EmbeddedBroker } from '../../../src/broker/embedded-broker.js';
import { startEmbeddedBroker } from '../../../src/broker/embedded-broker.js';
import type { LinkEvents } from '../../../src/links/link.js';
import { MqttNodeLink } from '../../../src/links/mqtt/mqtt-node-link.js';
import { memoryLogger, silentLogger } from '../../../src/log/logger.js';
import type { DownlinkMessage } from '../../../src/protocol/index.js';
import { encodeMessage, nodeTopics } from '../../../src/protocol/index.js';
import { connectClient, endAll, fuelMessage, publishSettled, publishUp, record, subscribeGranted, tempDir, waitFor } from '../../broker/mqtt-harness.js';

function events(link: MqttNodeLink) {
  const got = { message: [] as LinkEvents['message'][], rejected: [] as LinkEvents['rejected'][], availability: [] as LinkEvents['availability'][], status: [] as LinkEvents['status'][] };
  link.on('message', (e) => got.message.push(e));
  link.on('rejected', (e) => got.rejected.push(e));
  link.on('availability', (e) => got.availability.push(e));
  link.on('status', (e) => got.status.push(e));
  return got;
}

const ping = (node: string, seq: number): DownlinkMessage => ({ v: 1, node, boot: 7, seq, ts: 1_700_000_000_000, type: 'cmd', body: { op: 'ping' } });

describe('MqttNodeLink with the embedded broker', () => {
  let store: CredentialStore;
  let secrets: Map<string, string>;
  let broker: EmbeddedBroker;
  let removeDir: () => Promise<void>;
  const clients = new Set<MqttClient>();
  const links = new Set<MqttNodeLink>();

  const node = async (id: string, birth = true) => {
    const c = await connectClient(broker.url, {
      username: id,
      password: secrets.get(id),
      clientId: id,
      will: { topic: nodeTopics.state(id), payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    clients.add(c);
    if (birth) expect(await publishSettled(c, nodeTopics.state(id), 'online', true)).toBe('acked');
    return c;
  };
  const startLink = async (opts: Partial<ConstructorParameters<typeof MqttNodeLink>[0]> = {}) => {
    const link = new MqttNodeLink({ url: broker.url, ...store.gateway, log: memoryLogger('gw:mqtt'), reconnectMinMs: 50, reconnectMaxMs: 200, ...opts });
    links.add(link);
    const got = events(link);
    await link.start();
    return { link, got };
  };

  beforeAll(async () => {
    const tmp = await tempDir();
    removeDir = tmp.remove;
    store = await CredentialStore.open(tmp.dir);
    secrets = await store.ensureNodeCredentials(['fuel-1', 'fuel-2', 'charger-1']);
    broker = await startEmbeddedBroker({ port: 0, credentials: store, log: silentLogger });
  });
  afterEach(async () => {
    await Promise.all([...links].map((l) => l.stop()));
    links.clear();
    await endAll(clients);
    clients.clear();
  });
  afterAll(async () => {
    await broker.close();
    await removeDir();
  });

  it('emits status up and a message for each valid uplink', async () => {
    const { link, got } = await startLink({ now: () => 12345 });
    expect(got.status).toEqual([{ link: 'mqtt', up: true }]);
    expect(link.connected).toBe(true);
    const fuel = await node('fuel-1');
    const msg = fuelMessage('fuel-1', 77);
    expect(await publishUp(fuel, 'fuel-1', msg)).toBe('acked');
    await waitFor(() => got.message.length === 1, 'the message');
    expect(got.message[0]).toEqual({ msg, link: 'mqtt', receivedAt: 12345 });
    expect(got.rejected).toEqual([]);
  });

  it('rejects malformed, invalid, mismatched and wrong-direction payloads without stopping', async () => {
    const { got } = await startLink({ maxPayloadBytes: 1024 });
    const fuel = await node('fuel-1');
    const up = nodeTopics.up('fuel-1');
    const bad: [string, string | Buffer][] = [
      ['malformed', '{"v":1,'],
      ['malformed', Buffer.from([0xff, 0xfe, 0x00])],
      ['schema', JSON.stringify({ ...fuelMessage('fuel-1'), body: { litres: 'lots' } })],
      ['schema', '42'],
      ['node-mismatch', encodeMessage(fuelMessage('fuel-2'))],
      ['direction', encodeMessage({ ...ping('fuel-1', 1) })],
      ['oversize', JSON.stringify({ ...fuelMessage('fuel-1'), pad: 'x'.repeat(2000) })],
    ];
    for (const [, payload] of bad) expect(await publishSettled(fuel, up, payload)).toBe('acked');
    expect(await publishSettled(fuel, nodeTopics.state('fuel-1'), 'maybe')).toBe('acked');
    const last = fuelMessage('fuel-1', 5);
    expect(await publishUp(fuel, 'fuel-1', last)).toBe('acked');
    await waitFor(() => got.message.length === 1, 'the valid message after the bad ones');
    expect(got.message.map((m) => m.msg)).toEqual([last]);
    expect(got.rejected.map((r) => r.reason)).toEqual([...bad.map(([reason]) => reason), 'state']);
    expect(got.rejected.every((r) => r.node === 'fuel-1' && r.link === 'mqtt' && r.detail.length > 0)).toBe(true);
    expect(got.rejected[0]!.detail).toMatch(/malformed JSON/);
    expect(got.rejected[2]!.detail).toMatch(/body\.litres/);
  });

  it('turns retained birth and the last will into availability events', async () => {
    const fuel = await node('fuel-2');
    // The link starts after the birth: the retained `online` still arrives.
    const { got } = await startLink();
    await waitFor(() => got.availability.some((a) => a.node === 'fuel-2'), 'retained online');
    expect(got.availability.filter((a) => a.node === 'fuel-2')).toEqual([{ link: 'mqtt', node: 'fuel-2', online: true }]);
    fuel.stream.destroy();
    await waitFor(() => got.availability.filter((a) => a.node === 'fuel-2').length === 2, 'the will');
    expect(got.availability.filter((a) => a.node === 'fuel-2').at(-1)).toEqual({ link: 'mqtt', node: 'fuel-2', online: false });
  });

  it("send() reaches the node's down subscription, and only that node's", async () => {
    const { link, got } = await startLink();
    const charger = await node('charger-1');
    const other = await node('fuel-1');
    const chargerGot = record(charger);
    const otherGot = record(other);
    expect(await subscribeGranted(charger, nodeTopics.down('charger-1'))).toBe(1);
    expect(await subscribeGranted(other, nodeTopics.down('fuel-1'))).toBe(1);
    const lastState = (id: string) => got.availability.filter((a) => a.node === id).at(-1)?.online;
    await waitFor(() => lastState('charger-1') === true && lastState('fuel-1') === true, 'both nodes online');

    const cmd: DownlinkMessage = { v: 1, node: 'charger-1', boot: 7, seq: 9, ts: 1_700_000_000_000, type: 'cmd', body: { op: 'port', port: 2, on: true } };
    expect(link.send(cmd)).toBe(true);
    await waitFor(() => chargerGot.length === 1, 'the command at the node');
    expect(chargerGot[0]!.topic).toBe(nodeTopics.down('charger-1'));
    expect(JSON.parse(chargerGot[0]!.payload)).toEqual(cmd);

    // Unknown and offline nodes are not reachable over this link.
    expect(link.send(ping('visitors-9', 1))).toBe(false);
    other.stream.destroy();
    await waitFor(() => lastState('fuel-1') === false, 'fuel-1 offline');
    expect(link.send(ping('fuel-1', 2))).toBe(false);
    expect(otherGot).toEqual([]);
  });

  it('reports the broker going away and reconnects when it returns; send() is false meanwhile', async () => {
    const tmp = await tempDir();
    const own = await startEmbeddedBroker({ port: 0, credentials: store, log: silentLogger });
    let restarted: EmbeddedBroker | undefined;
    try {
      const { link, got } = await startLink({ url: own.url });
      const fuel = await connectClient(own.url, { username: 'fuel-1', password: secrets.get('fuel-1'), clientId: 'fuel-1' });
      clients.add(fuel);
      expect(await publishSettled(fuel, nodeTopics.state('fuel-1'), 'online', true)).toBe('acked');
      await waitFor(() => got.availability.length === 1, 'online');

      await own.close();
      await waitFor(() => got.status.length === 2, 'status down');
      expect(got.status[1]).toMatchObject({ link: 'mqtt', up: false });
      expect(link.connected).toBe(false);
      expect(link.send(ping('fuel-1', 3))).toBe(false);

      restarted = await startEmbeddedBroker({ port: own.port, credentials: store, log: silentLogger });
      await waitFor(() => got.status.length === 3, 'status up again', 10_000);
      expect(got.status[2]).toEqual({ link: 'mqtt', up: true });
      // Subscriptions were renewed: an uplink after the reconnect arrives.
      const again = await connectClient(restarted.url, { username: 'fuel-1', password: secrets.get('fuel-1'), clientId: 'fuel-1' });
      clients.add(again);
      expect(await publishUp(again, 'fuel-1', fuelMessage('fuel-1', 3))).toBe('acked');
      await waitFor(() => got.message.length === 1, 'uplink after reconnect');
    } finally {
      await restarted?.close();
      await own.close();
      await tmp.remove();
    }
  });

  it('start() resolves with status down when the broker refuses the credentials', async () => {
    const log = memoryLogger('gw:mqtt');
    const { link, got } = await startLink({ password: 'wrong', log });
    expect(got.status).toEqual([{ link: 'mqtt', up: false, detail: 'Connection refused: Bad username or password' }]);
    expect(link.connected).toBe(false);
    expect(log.records.filter((r) => r.msg === 'broker connection error').map((r) => r.error)).toEqual(['Connection refused: Bad username or password']);
  });
});
