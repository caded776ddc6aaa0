import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import { ManualClock } from '../../src/core/clock.js';
import { nodeTopics } from '../../src/protocol/index.js';
import { createSimNode, MqttNodeTransport } from '../../src/sim/nodes/index.js';
import type { ProtocolNode } from '../../src/sim/nodes/index.js';
import { World } from '../../src/sim/world/index.js';
import { ack, cmd, MqttGateway, sleep, until } from './gateway-side.js';

const PASSWORDS: Record<string, string> = { gateway: 'gw-secret', 'visitors-1': 'v-secret', 'charger-1': 'c-secret' };

describe('simulated node over MQTT (in-process aedes with password check)', () => {
  let broker: Aedes;
  let server: Server;
  let url: string;
  let gw: MqttGateway;
  let clock: ManualClock;
  let world: World;
  let authAttempts: { user: string | undefined; ok: boolean }[];
  const nodes: ProtocolNode[] = [];

  beforeEach(async () => {
    authAttempts = [];
    broker = await Aedes.createBroker({
      authenticate: (client, username, password, done) => {
        const ok = username !== undefined && PASSWORDS[username] !== undefined && password?.toString() === PASSWORDS[username] && client.id === username;
        authAttempts.push({ user: username, ok });
        if (ok) done(null, true);
        else done(Object.assign(new Error('bad username or password'), { returnCode: 4 as const }), false);
      },
    });
    server = createServer(broker.handle);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `mqtt://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const client = await mqtt.connectAsync(url, { clientId: 'gateway', username: 'gateway', password: PASSWORDS.gateway, reconnectPeriod: 0 });
    gw = new MqttGateway(client);
    await gw.subscribe();
    clock = new ManualClock(Date.UTC(2026, 0, 1, 9));
    world = new World(clock, { seed: 2, scenario: { visitors: { peakPerHour: 0 } } });
    world.start();
  });

  afterEach(async () => {
    await Promise.all(nodes.splice(0).map((n) => n.stop()));
    await gw.close();
    await new Promise<void>((r) => broker.close(() => r()));
    await new Promise<void>((r) => server.close(() => r()));
  });

  function mqttNode(id: string, kind: 'visitors' | 'charger', password = PASSWORDS[id]!) {
    const transport = new MqttNodeTransport({ url, nodeId: id, password, backoff: { minMs: 50, maxMs: 200 } });
    const node = createSimNode({ id, kind, world, clock, transport, boot: 77, retryMs: 5000 });
    nodes.push(node);
    return { node, transport };
  }

  it('connects with its own credentials, announces itself online (retained) and sends heartbeat + telemetry on up', async () => {
    const { node } = mqttNode('visitors-1', 'visitors');
    await node.start();
    const hb = await gw.inbox.next((m) => m.type === 'hb');
    expect(hb).toMatchObject({ node: 'visitors-1', boot: 77, seq: 1 });
    if (hb.type !== 'hb') throw new Error('unreachable');
    expect(hb.body).toMatchObject({ kind: 'visitors', fw: 'sim-0.1', up: 0, mem: null, flags: [], link: 'mqtt' });
    expect(typeof hb.body.rssi).toBe('number');
    const tele = await gw.inbox.next((m) => m.type === 'visitors');
    expect(tele.body).toEqual({ entries: 0, exits: 0, inside: 0 });
    expect(authAttempts).toContainEqual({ user: 'visitors-1', ok: true });

    // A late subscriber gets the retained birth.
    const late = await mqtt.connectAsync(url, { clientId: 'gateway', username: 'gateway', password: PASSWORDS.gateway, reconnectPeriod: 0 });
    const retained = new Promise<string>((resolve) => late.on('message', (t, p) => t === nodeTopics.state('visitors-1') && resolve(p.toString())));
    await late.subscribeAsync(nodeTopics.state('visitors-1'));
    expect(await retained).toBe('online');
    await late.endAsync();
  });

  it('reports door crossings on change (debounced) and the 60 s interval', async () => {
    const { node } = mqttNode('visitors-1', 'visitors');
    await node.start();
    await gw.inbox.next((m) => m.type === 'visitors');
    world.admitVisitors(1, 10);
    clock.advance(400);
    world.admitVisitors(1, 10);
    clock.advance(1000);
    const change = await gw.inbox.next((m) => m.type === 'visitors');
    expect(change.body).toEqual({ entries: 2, exits: 0, inside: 2 });
    clock.advance(10 * 60_000);
    const after = await gw.inbox.next((m) => m.type === 'visitors' && m.body.exits === 2);
    expect(after.body).toEqual({ entries: 2, exits: 2, inside: 0 });
  });

  it('stops retransmitting what the gateway acknowledged on down', async () => {
    const { node } = mqttNode('visitors-1', 'visitors');
    await node.start();
    await gw.inbox.next((m) => m.seq === 2);
    expect(node.unacked).toBe(2);
    gw.send(ack('visitors-1', 77, [1, 2]));
    await until(() => node.unacked === 0, 3000, 'ack over MQTT');
    clock.advance(30_000);
    await sleep(200);
    expect(gw.inbox.drain()).toEqual([]);
  });

  it('charger over MQTT: port command → result, telemetry shows the port on', async () => {
    const { node } = mqttNode('charger-1', 'charger');
    await node.start();
    await gw.inbox.next((m) => m.type === 'charger');
    gw.send(cmd('charger-1', { op: 'port', port: 5, on: true }, 900));
    const res = await gw.inbox.next((m) => m.type === 'result');
    expect(res.body).toEqual({ cmd: 900, ok: true });
    const state = await gw.inbox.next((m) => m.type === 'charger');
    if (state.type !== 'charger') throw new Error('unreachable');
    expect(state.body.ports[5]!.on).toBe(true);
    expect(world.truth().ports[5]!.relayOn).toBe(true);
  });

  it('is refused with a wrong password and never comes online', async () => {
    const { node, transport } = mqttNode('charger-1', 'charger', 'wrong');
    await node.start();
    await until(() => authAttempts.filter((a) => a.user === 'charger-1').length >= 2, 3000, 'a retried connection');
    expect(authAttempts.filter((a) => a.user === 'charger-1').every((a) => !a.ok)).toBe(true);
    expect(transport.up).toBe(false);
    expect(gw.states.filter((s) => s.node === 'charger-1')).toEqual([]);
    expect(gw.inbox.messages).toEqual([]);
  });

  it('last will says offline when the connection drops; it reconnects and retransmits what was unacked', async () => {
    const { node, transport } = mqttNode('visitors-1', 'visitors');
    await node.start();
    await gw.inbox.next((m) => m.seq === 2);
    transport.dropConnection();
    await until(() => gw.states.some((s) => s.node === 'visitors-1' && s.state === 'offline'), 3000, 'last will');
    // While down, a change is queued; on reconnect everything unacked goes again, oldest first.
    world.admitVisitors(1, 30);
    clock.advance(1000);
    await until(() => transport.up, 5000, 'reconnect');
    await until(() => gw.states.filter((s) => s.node === 'visitors-1' && s.state === 'online').length >= 2, 3000, 'second birth');
    const replay = await gw.inbox.next((m) => m.seq === 3);
    expect(replay.body).toEqual({ entries: 1, exits: 0, inside: 1 });
    const seqsAfterDrop = gw.inbox.messages.slice(2).map((m) => m.seq);
    expect(seqsAfterDrop.slice(0, 3)).toEqual([1, 2, 3]);

    await node.stop();
    nodes.splice(nodes.indexOf(node), 1);
    await until(() => gw.states.at(-1)?.state === 'offline', 3000, 'offline on clean stop');
  });
});
