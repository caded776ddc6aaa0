// The embedded aedes broker on a loopback port: authentication, topic ACL, last will, size limits.
import { connect } from 'node:net';
import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore } from '../../src/broker/credentials.js';
import type { EmbeddedBroker } from '../../src/broker/embedded-broker.js';
import { startEmbeddedBroker } from '../../src/broker/embedded-broker.js';
import { memoryLogger } from '../../src/log/logger.js';
import { NODE_STATE_FILTER, NODE_UP_FILTER, encodeMessage, nodeTopics } from '../../src/protocol/index.js';
import { connectClient, endAll, fuelMessage, publishSettled, publishUp, record, refusedCode, subscribeGranted, tempDir, waitFor } from './mqtt-harness.js';

describe('embedded MQTT broker', () => {
  const log = memoryLogger('gw:broker');
  let broker: EmbeddedBroker;
  let store: CredentialStore;
  let secrets: Map<string, string>;
  let coordSecret: string;
  let removeDir: () => Promise<void>;
  const clients = new Set<MqttClient>();

  const as = async (user: string, extra: Parameters<typeof connectClient>[1] = {}) => {
    const password = user === '_gateway' ? store.gateway.password : user === '_point-p1' ? coordSecret : secrets.get(user);
    const c = await connectClient(broker.url, { username: user, password, clientId: user, ...extra });
    clients.add(c);
    return c;
  };

  beforeAll(async () => {
    const tmp = await tempDir();
    removeDir = tmp.remove;
    store = await CredentialStore.open(tmp.dir);
    secrets = await store.ensureNodeCredentials(['fuel-1', 'fuel-2']);
    coordSecret = await store.issue({ username: '_point-p1', role: 'coordinator', point: 'p1' });
    broker = await startEmbeddedBroker({ port: 0, credentials: store, log });
  });
  afterEach(async () => {
    await endAll(clients);
    clients.clear();
  });
  afterAll(async () => {
    await broker.close();
    await removeDir();
  });

  it('listens on the port it was given (0 = any free port)', () => {
    expect(broker.port).toBeGreaterThan(0);
    expect(broker.url).toBe(`mqtt://127.0.0.1:${broker.port}`);
  });

  it('refuses wrong passwords, unknown users and clients without credentials (CONNACK error)', async () => {
    const before = broker.stats.connectRefused;
    expect(await refusedCode(broker.url, { username: 'fuel-1', password: 'guess' })).toBe(4);
    expect(await refusedCode(broker.url, { username: 'fuel-1', password: secrets.get('fuel-2') })).toBe(4);
    expect(await refusedCode(broker.url, { username: 'nobody', password: secrets.get('fuel-1') })).toBe(4);
    expect(await refusedCode(broker.url, {})).toBe(5);
    expect(broker.stats.connectRefused - before).toBe(4);
    const refusals = log.records.filter((r) => r.msg === 'connect refused');
    expect(refusals.map((r) => r.user)).toEqual(expect.arrayContaining(['fuel-1', 'nobody', null]));
  });

  it("does not deliver a node's publish to another node's up topic or to a down topic", async () => {
    const gw = await as('_gateway');
    const gwGot = record(gw);
    expect(await subscribeGranted(gw, NODE_UP_FILTER)).toBe(1);
    const fuel2 = await as('fuel-2');
    const fuel2Got = record(fuel2);
    expect(await subscribeGranted(fuel2, nodeTopics.down('fuel-2'))).toBe(1);
    const before = broker.stats.publishRefused;

    for (const topic of [nodeTopics.up('fuel-2'), nodeTopics.down('fuel-2'), nodeTopics.down('fuel-1'), 'noodsteun/point/p1/board', 'noodsteun/other']) {
      const intruder = await as('fuel-1');
      // aedes refuses a publish by closing the connection (MQTT 3.1.1 has no PUBACK reason code).
      expect(await publishSettled(intruder, topic, encodeMessage(fuelMessage('fuel-2')))).toBe('closed');
    }
    // Legitimate messages sent afterwards arrive: the refused ones would have come before them.
    expect(await publishSettled(gw, nodeTopics.down('fuel-2'), 'sentinel')).toBe('acked');
    expect(await publishUp(fuel2, 'fuel-2', fuelMessage('fuel-2', 42))).toBe('acked');
    await waitFor(() => gwGot.length > 0 && fuel2Got.length > 0, 'the legitimate messages');
    expect(gwGot.map((m) => m.topic)).toEqual([nodeTopics.up('fuel-2')]);
    expect(JSON.parse(gwGot[0]!.payload).body.litres).toBe(42);
    expect(fuel2Got.map((m) => m.payload)).toEqual(['sentinel']);
    expect(broker.stats.publishRefused - before).toBe(5);
    expect(log.records.filter((r) => r.msg === 'publish refused' && r.user === 'fuel-1').map((r) => r.topic)).toEqual(
      expect.arrayContaining([nodeTopics.up('fuel-2'), nodeTopics.down('fuel-2'), 'noodsteun/other']),
    );
  });

  it("refuses subscriptions to another node's down, to up topics and to #", async () => {
    const fuel1 = await as('fuel-1');
    const before = broker.stats.subscribeRefused;
    expect(await subscribeGranted(fuel1, nodeTopics.down('fuel-2'))).toBe(128);
    expect(await subscribeGranted(fuel1, 'noodsteun/node/+/down')).toBe(128);
    expect(await subscribeGranted(fuel1, NODE_UP_FILTER)).toBe(128);
    expect(await subscribeGranted(fuel1, '#')).toBe(128);
    expect(await subscribeGranted(fuel1, '$SYS/#')).toBe(128);
    // The connection stays up and its own down topic is allowed.
    expect(await subscribeGranted(fuel1, nodeTopics.down('fuel-1'))).toBe(1);
    expect(broker.stats.subscribeRefused - before).toBe(5);

    // The gateway's commands to fuel-2 do not reach fuel-1.
    const got = record(fuel1);
    const gw = await as('_gateway');
    expect(await publishSettled(gw, nodeTopics.down('fuel-2'), 'for fuel-2')).toBe('acked');
    expect(await publishSettled(gw, nodeTopics.down('fuel-1'), 'for fuel-1')).toBe('acked');
    await waitFor(() => got.length > 0, 'the command for fuel-1');
    expect(got.map((m) => m.payload)).toEqual(['for fuel-1']);
  });

  it('publishes the last will on the node state topic when a node drops', async () => {
    const gw = await as('_gateway');
    const got = record(gw);
    expect(await subscribeGranted(gw, NODE_STATE_FILTER)).toBe(1);
    const node = await as('fuel-1', { will: { topic: nodeTopics.state('fuel-1'), payload: Buffer.from('offline'), qos: 1, retain: true } });
    expect(await publishSettled(node, nodeTopics.state('fuel-1'), 'online', true)).toBe('acked');
    await waitFor(() => got.length === 1, 'online');
    node.stream.destroy(); // power cut: no DISCONNECT, so the broker sends the will
    await waitFor(() => got.length === 2, 'the last will');
    expect(got.map((m) => [m.topic, m.payload])).toEqual([
      [nodeTopics.state('fuel-1'), 'online'],
      [nodeTopics.state('fuel-1'), 'offline'],
    ]);
  });

  it("does not publish a will a node set on another node's state topic", async () => {
    const gw = await as('_gateway');
    const got = record(gw);
    expect(await subscribeGranted(gw, NODE_STATE_FILTER)).toBe(1);
    const before = broker.stats.publishRefused;
    const liar = await as('fuel-1', { will: { topic: nodeTopics.state('fuel-2'), payload: Buffer.from('offline'), qos: 1, retain: false } });
    liar.stream.destroy();
    await waitFor(() => broker.stats.publishRefused > before, 'the will refusal');
    const honest = await as('fuel-2');
    expect(await publishSettled(honest, nodeTopics.state('fuel-2'), 'online')).toBe('acked');
    const fuel2State = () => got.filter((m) => m.topic === nodeTopics.state('fuel-2')).map((m) => m.payload);
    await waitFor(() => fuel2State().length > 0, 'the real state');
    expect(fuel2State()).toEqual(['online']);
  });

  it('refuses payloads over 8 KB, and cuts off a client that announces a huge packet', async () => {
    const gw = await as('_gateway');
    const got = record(gw);
    expect(await subscribeGranted(gw, NODE_UP_FILTER)).toBe(1);
    const before = broker.stats.oversize;
    const node = await as('fuel-1');
    expect(await publishSettled(node, nodeTopics.up('fuel-1'), Buffer.alloc(8 * 1024 + 1, 0x20))).toBe('closed');
    const big = await as('fuel-1');
    expect(await publishSettled(big, nodeTopics.up('fuel-1'), Buffer.alloc(100_000, 0x20))).toBe('closed');
    expect(broker.stats.oversize - before).toBe(2);

    // A raw PUBLISH header announcing 200 MB: the broker hangs up without waiting for the body.
    const sock = connect(broker.port, '127.0.0.1');
    const closed = new Promise<void>((resolve) => sock.once('close', () => resolve()));
    sock.on('error', () => {});
    sock.write(Buffer.from([0x30, 0x80, 0x80, 0x80, 0x64]));
    await closed;
    expect(broker.stats.oversize - before).toBe(3);

    const ok = await as('fuel-1');
    expect(await publishSettled(ok, nodeTopics.up('fuel-1'), Buffer.alloc(8 * 1024, 0x20))).toBe('acked');
    await waitFor(() => got.length > 0, 'the 8 KB payload');
    expect(got.map((m) => m.payload.length)).toEqual([8 * 1024]);
  });

  it('binds the session to the username: another node reusing a client id cannot knock a node off', async () => {
    const fuel1 = await as('fuel-1');
    let dropped = false;
    fuel1.on('close', () => (dropped = true));
    const impostor = await as('fuel-2', { clientId: 'fuel-1' });
    expect(await publishSettled(impostor, nodeTopics.up('fuel-2'), encodeMessage(fuelMessage('fuel-2')))).toBe('acked');
    expect(await publishSettled(fuel1, nodeTopics.up('fuel-1'), encodeMessage(fuelMessage('fuel-1')))).toBe('acked');
    expect(dropped).toBe(false);
  });

  it('confines a coordinator user to its point subtree', async () => {
    const coord = await as('_point-p1');
    const got = record(coord);
    expect(await subscribeGranted(coord, 'noodsteun/point/p2/#')).toBe(128);
    expect(await subscribeGranted(coord, NODE_UP_FILTER)).toBe(128);
    expect(await subscribeGranted(coord, 'noodsteun/point/p1/#')).toBe(1);
    expect(await publishSettled(coord, 'noodsteun/point/p1/board', 'hello')).toBe('acked');
    await waitFor(() => got.length > 0, 'own subtree message');
    expect(got.map((m) => m.topic)).toEqual(['noodsteun/point/p1/board']);
    expect(await publishSettled(coord, 'noodsteun/point/p2/board', 'x')).toBe('closed');
  });
});
