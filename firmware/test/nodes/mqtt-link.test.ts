// The visitors bundle over Wi-Fi + MQTT against a real broker (aedes on loopback) and a gateway
// stand-in using mqtt.js and the gateway's decodeMessage: loss of Wi-Fi and of the broker, and recovery
// with every telemetry message delivered.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createConnection, createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { ManualClock } from '../../../edge-gateway/src/core/clock.js';
import { decodeMessage, encodeMessage, nodeTopics, NODE_STATE_FILTER, NODE_UP_FILTER } from '../../../edge-gateway/src/protocol/index.js';
import type { Message, UplinkMessage } from '../../../edge-gateway/src/protocol/index.js';
import { loadPinMap } from '../../../hardware/src/pins.js';
import { EspruinoHost } from '../../host/runtime.js';
import { HostStorage } from '../../host/storage.js';
import { ensureBundles } from '../helpers/bundles.js';
import { bundle } from '../helpers/gateway.js';

const PINS = loadPinMap('visitors').pins;
const A = PINS.beamA!.gpio;
const B = PINS.beamB!.gpio;

let broker: Aedes;
let server: Server;
let port = 0;
let gateway: MqttClient;
const received: UplinkMessage[] = [];
const states: string[] = [];
const invalid: string[] = [];
const acking = true;
const sockets = new Set<Socket>();

beforeAll(async () => {
  await ensureBundles();
  broker = new Aedes();
  await broker.listen();
  server = createServer((sock) => {
    sockets.add(sock);
    sock.on('close', () => sockets.delete(sock));
    broker.handle(sock);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
  gateway = await mqtt.connectAsync(`mqtt://127.0.0.1:${port}`, { clientId: 'gw', reconnectPeriod: 0 });
  await gateway.subscribeAsync([NODE_UP_FILTER, NODE_STATE_FILTER]);
  gateway.on('message', (topic, payload) => {
    if (topic.endsWith('/state')) {
      states.push(payload.toString());
      return;
    }
    let msg: Message;
    try {
      msg = decodeMessage(payload.toString());
    } catch (err) {
      invalid.push((err as Error).message);
      return;
    }
    if (msg.type === 'cmd' || msg.type === 'ack') return;
    received.push(msg);
    if (acking && msg.type !== 'hb') {
      const ack: Message = { v: 1, node: msg.node, boot: 1, seq: received.length, ts: 0, type: 'ack', body: { boot: msg.boot, seqs: [msg.seq] } };
      gateway.publish(nodeTopics.down(msg.node), encodeMessage(ack));
    }
  });
}, 120_000);

afterAll(async () => {
  await gateway?.endAsync(true);
  for (const s of sockets) s.destroy();
  await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
  await new Promise<void>((r) => (broker ? broker.close(() => r()) : r()));
});


/** Lets messages already on the loopback wire arrive (virtual time stands still meanwhile). */
const settle = () => new Promise((r) => setTimeout(r, 20));

describe('node over Wi-Fi/MQTT', () => {
  it('survives Wi-Fi and broker loss without losing telemetry', async () => {
    const clock = new ManualClock(0);
    const storage = new HostStorage();
    storage.writeJSON('ns.cfg', { id: 'door-1', link: 'mqtt', ssid: 'noodsteun', pass: 'secret', mqttHost: '127.0.0.1', mqttPort: port });
    let brokerReachable = true;
    const host = new EspruinoHost({
      clock,
      storage,
      dial: (h, p) => (brokerReachable ? createConnection(p, h) : null),
    });
    // Virtual time in 250 ms steps. Between steps real time passes so loopback I/O keeps pace: more of it
    // while an MQTT handshake is in flight, so a loaded machine cannot make the node's 10 s CONNACK
    // timeout fire before the broker had a chance to answer.
    const advanceAsync = async (c: ManualClock, ms: number) => {
      for (let left = ms; left > 0; left -= 250) {
        c.advance(Math.min(250, left));
        const handshaking = !host.net.blackhole && host.net.sockets.size > 0 && host.evaluate('node.mqtt.client.connected') !== true;
        await new Promise((r) => setTimeout(r, handshaking ? 20 : 1));
      }
    };
    host.wifi.ssid = 'noodsteun';
    host.wifi.password = 'secret';
    host.pins.setInput(A, false);
    host.pins.setInput(B, false);
    host.load(bundle('visitors'));
    const entry = () => {
      for (const [pin, level] of [[A, true], [B, true], [A, false], [B, false]] as const) {
        host.pins.setInput(pin, level);
        clock.advance(150);
      }
    };
    const people = async (n: number) => {
      for (let i = 0; i < n; i++) {
        entry();
        await advanceAsync(clock, 10_000);
      }
    };
    // Joins Wi-Fi, connects, announces itself (real I/O: wait on the outcome, bounded in virtual time).
    let t = 0;
    const hello = () => states.includes('online') && received.some((m) => m.type === 'hb' && m.node === 'door-1' && m.body.link === 'mqtt');
    while (!hello() && t < 60_000) {
      await advanceAsync(clock, 1000);
      // Up to 200 ms of real time per virtual second, so a loaded machine's slow loopback I/O cannot
      // make virtual time run past the node's connect timeout.
      for (let i = 0; i < 10 && !hello(); i++) await settle();
      t += 1000;
    }
    expect(hello()).toBe(true);
    expect(t).toBeLessThan(20_000);

    await people(3);
    host.wifi.setAccessPoint(false); // access point gone
    await people(4);
    await advanceAsync(clock, 60_000);
    host.wifi.setAccessPoint(true);
    await advanceAsync(clock, 120_000); // backoff, rejoin, reconnect, resend
    expect(host.wifi.connectAttempts).toBeGreaterThan(2);

    brokerReachable = false; // broker down: connections refused and the open one cut
    host.net.dropAll();
    await people(4);
    await advanceAsync(clock, 30_000);
    brokerReachable = true;
    await advanceAsync(clock, 120_000);

    host.net.blackhole = true; // half-open connection: publishes vanish until keep-alive notices
    await people(3);
    await advanceAsync(clock, 60_000);
    host.net.blackhole = false;
    // Recovery: reconnect (with backoff) and resend everything, within a few minutes.
    let waited = 0;
    while (waited < 600_000 && (host.evaluate('node.uplink.ring.items.length') !== 0 || !host.evaluate('node.mqtt.client.connected'))) {
      await advanceAsync(clock, 10_000);
      waited += 10_000;
    }
    expect(waited).toBeLessThan(300_000);
    for (let i = 0; i < 5; i++) await settle();

    const visitors = received.filter((m): m is Extract<UplinkMessage, { type: 'visitors' }> => m.type === 'visitors' && m.node === 'door-1');
    const last = visitors.reduce((a, b) => (b.seq > a.seq ? b : a));
    expect(last.body).toEqual({ entries: 14, exits: 0, inside: 14 });
    // Nothing left unacknowledged and nothing dropped from the ring.
    expect(host.evaluate('node.uplink.ring.items.length')).toBe(0);
    expect(host.evaluate('node.uplink.ring.dropped')).toBe(0);
    // People came 10 s apart and the node reports each change: the gateway saw every total, though
    // 11 of the 14 entries happened while the link was down or silently broken.
    const totals = new Set(visitors.map((m) => m.body.entries));
    expect([...totals].sort((a, b) => a - b)).toEqual(Array.from({ length: 15 }, (_, i) => i));
    expect(states).toContain('offline');
    expect(invalid).toEqual([]);
    expect(host.errors).toEqual([]);
    host.shutdown();
  }, 60_000);
});
