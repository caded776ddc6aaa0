// Coordinator ingest of relayed reports over a real (in-process aedes) broker: ChirpStack v4 and
// TTN v3 uplink events and the direct IP path, decoded with the codec, applied once, acked back.
import { describe, it, expect, beforeEach, afterEach } from 'vitest';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { SystemClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { decodeFrame, encodeFrames, encodeMessage } from '../../src/lora/codec/index.js';
import type { LoraMessage } from '../../src/lora/codec/index.js';
import { MessageInbox } from '../../src/coordinator/message-inbox.js';
import type { InboxMessage } from '../../src/coordinator/message-inbox.js';
import { RelayIngest, UplinkEventError, downAckCommand, parseChirpstackUp, parseTtnUp } from '../../src/coordinator/lora-ingest.js';
import { relayTopics } from '../../src/relay/messages.js';
import type { IpMessage } from '../../src/relay/messages.js';
import { emergency, LONG_NOTE, needs, relayDb, status } from '../relay/support.js';

const TTN_UP = JSON.parse(readFileSync(new URL('./fixtures/lorawan/ttn-v3-uplink-data-formats.json', import.meta.url), 'utf8')) as Record<string, unknown>;
const APP = '7c1e9a52-3b7d-4f4e-9a51-2f0c8d6e1b10';
const DEV_EUI = 'ac1f09fffe0a1b2c';
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

let fcnt = 0;
function chirpstackUp(port: number, bytes: Uint8Array, deviceName = 'punt-1'): { topic: string; body: unknown } {
  return {
    topic: `application/${APP}/device/${DEV_EUI}/event/up`,
    body: { deduplicationId: 'x', time: new Date().toISOString(), deviceInfo: { applicationId: APP, devEui: DEV_EUI, deviceName }, fCnt: fcnt++, fPort: port, data: b64(bytes), rxInfo: [{ rssi: -90, snr: 5 }] },
  };
}

function ttnUp(port: number, bytes: Uint8Array): { topic: string; body: unknown } {
  const up = structuredClone(TTN_UP);
  up.end_device_ids = { ...(up.end_device_ids as object), device_id: 'punt-2' };
  up.uplink_message = { ...(up.uplink_message as object), f_port: port, frm_payload: b64(bytes) };
  return { topic: 'v3/noodsteun@ttn/devices/punt-2/up', body: up };
}

describe('network-server event parsing', () => {
  it('reads the published TTN v3 uplink example (no f_port: a MAC-only frame) and our frames in it', () => {
    const raw = parseTtnUp('v3/app1@tenant1/devices/dev1/up', TTN_UP);
    expect(raw).toMatchObject({ network: 'ttn', application: 'app1@tenant1', device: 'dev1', devEui: '0004a30b001c0530', fPort: 0, fCnt: 1 });
    expect([...raw.bytes]).toEqual([...Buffer.from('gkHe', 'base64')]);
    const frame = encodeMessage({ kind: 'needs', id: 3, needs: needs().needs });
    const ours = ttnUp(frame.port, frame.bytes);
    expect(parseTtnUp(ours.topic, ours.body)).toMatchObject({ fPort: 3, device: 'punt-2', deviceName: 'punt-2', bytes: frame.bytes });
    expect(() => parseTtnUp('v3/app1@tenant1/devices/other/up', TTN_UP)).toThrow(UplinkEventError);
  });

  it('reads a ChirpStack v4 uplink event and refuses a mismatched device', () => {
    const { topic, body } = chirpstackUp(1, new Uint8Array([1, 2, 3]));
    expect(parseChirpstackUp(topic, body)).toMatchObject({ network: 'chirpstack', application: APP, device: DEV_EUI, deviceName: 'punt-1', fPort: 1 });
    const wrong = { ...(body as object), deviceInfo: { devEui: '0000000000000001' } };
    expect(() => parseChirpstackUp(topic, wrong)).toThrow(/does not match/);
  });

  it('builds downAck downlinks in each network server format', () => {
    const cs = downAckCommand({ network: 'chirpstack', application: APP, device: DEV_EUI }, [4, 5]);
    expect(cs.topic).toBe(`application/${APP}/device/${DEV_EUI}/command/down`);
    const body = cs.body as { devEui: string; fPort: number; data: string; confirmed: boolean };
    expect(body).toMatchObject({ devEui: DEV_EUI, fPort: 10, confirmed: false });
    expect(decodeFrame(10, new Uint8Array(Buffer.from(body.data, 'base64')))).toEqual({ kind: 'downAck', ids: [4, 5] });
    const ttn = downAckCommand({ network: 'ttn', application: 'noodsteun@ttn', device: 'punt-2' }, [7]);
    expect(ttn.topic).toBe('v3/noodsteun@ttn/devices/punt-2/down/push');
    expect(ttn.body).toMatchObject({ downlinks: [{ f_port: 10, priority: 'HIGH' }] });
  });
});

describe('RelayIngest over MQTT', () => {
  let broker: Aedes;
  let server: Server;
  let url: string;
  let ingest: RelayIngest;
  let inbox: MessageInbox;
  let client: MqttClient;
  let applied: InboxMessage[];
  let statuses: { point: string; path: string }[];
  let seen: { topic: string; body: unknown }[];

  beforeEach(async () => {
    broker = await Aedes.createBroker();
    server = createServer(broker.handle);
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const addr = server.address();
    if (!addr || typeof addr === 'string') throw new Error('no port');
    url = `mqtt://127.0.0.1:${addr.port}`;
    inbox = new MessageInbox(relayDb());
    applied = [];
    statuses = [];
    seen = [];
    ingest = new RelayIngest({
      url,
      clientId: 'coordinator',
      inbox,
      clock: new SystemClock(),
      log: silentLogger,
      ackDelayMs: 50,
      on: { message: (m) => applied.push(m), status: (point, _s, path) => statuses.push({ point, path }) },
    });
    await ingest.start();
    client = await mqtt.connectAsync(url, { clientId: 'observer', reconnectPeriod: 0 });
    client.on('message', (topic, payload) => seen.push({ topic, body: JSON.parse(payload.toString()) as unknown }));
    await client.subscribeAsync(['application/+/device/+/command/down', 'v3/+/devices/+/down/push', 'noodsteun/point/+/ack'], { qos: 1 });
  });

  afterEach(async () => {
    await ingest.stop();
    await client.endAsync();
    await new Promise<void>((res) => broker.close(() => res()));
    await new Promise<void>((res) => server.close(() => res()));
  });

  async function until(cond: () => boolean, what: string): Promise<void> {
    const t0 = Date.now();
    while (!cond()) {
      if (Date.now() - t0 > 5000) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  }

  const publish = (m: { topic: string; body: unknown }) => client.publishAsync(m.topic, JSON.stringify(m.body), { qos: 1 });

  it('applies a ChirpStack uplink once, acks it by downlink, and knows the IP copy of the same message', async () => {
    const lora: LoraMessage = { kind: 'needs', id: 0, needs: needs(12).needs };
    const f = encodeMessage(lora);
    await publish(chirpstackUp(f.port, f.bytes));
    await publish(chirpstackUp(f.port, f.bytes)); // retransmission after a lost downAck
    await until(() => seen.some((s) => s.topic.endsWith('/command/down')), 'the downAck');
    expect(applied).toEqual([expect.objectContaining({ point: 'punt-1', seq: 0, kind: 'needs', path: 'chirpstack', body: needs(12) })]);
    const down = seen.find((s) => s.topic.endsWith('/command/down'))!.body as { data: string; fPort: number };
    expect(decodeFrame(down.fPort, new Uint8Array(Buffer.from(down.data, 'base64')))).toEqual({ kind: 'downAck', ids: [0] });

    // the point did not get the downAck, IP came back: it sends the same message (seq 0) over MQTT
    const ip: IpMessage = { v: 1, point: 'punt-1', ref: 17, seq: 0, kind: 'needs', created: Date.now(), body: needs(12) };
    await publish({ topic: relayTopics.msg('punt-1'), body: ip });
    await until(() => seen.some((s) => s.topic === relayTopics.ack('punt-1')), 'the IP ack');
    expect(seen.find((s) => s.topic === relayTopics.ack('punt-1'))!.body).toEqual({ v: 1, refs: [17] });
    expect(applied).toHaveLength(1);
    expect(ingest.stats).toMatchObject({ applied: 1, duplicates: 2 });
  });

  it('reassembles fragments from TTN, and keeps statuses apart from reports', async () => {
    const note = LONG_NOTE;
    const frames = encodeFrames({ kind: 'emergency', id: 1, type: 'gas_leak', severity: 'high', people: 40, ageMin: 3, note }, 51);
    expect(frames.length).toBeGreaterThan(1);
    for (const f of frames.reverse()) await publish(ttnUp(f.port, f.bytes));
    const st = encodeMessage({ kind: 'status', ...status(55) });
    await publish(ttnUp(st.port, st.bytes));
    await until(() => applied.length === 1 && statuses.length === 1, 'the emergency and the status');
    expect(applied[0]).toMatchObject({ point: 'punt-2', seq: 1, kind: 'emergency', path: 'ttn', body: { ...emergency(note), type: 'gas_leak', severity: 'high', people: 40 } });
    expect(applied[0]!.received - applied[0]!.created!).toBe(3 * 60_000);
    expect(statuses).toEqual([{ point: 'punt-2', path: 'ttn' }]);
    expect(inbox.status('punt-2')?.body).toMatchObject({ visitorsPresent: 55 });
    await until(() => seen.some((s) => s.topic.endsWith('/down/push')), 'the TTN downAck');
  });

  it('rejects an IP message whose body the codec refuses, or on another point’s topic', async () => {
    const bad = { v: 1, point: 'punt-1', ref: 1, seq: 0, kind: 'needs', created: 1, body: { needs: [{ category: 'unicorns', severity: 'high', people: 1 }] } };
    await publish({ topic: relayTopics.msg('punt-1'), body: bad });
    const other: IpMessage = { v: 1, point: 'punt-1', ref: 2, seq: 1, kind: 'needs', created: 1, body: needs() };
    await publish({ topic: relayTopics.msg('punt-3'), body: other });
    await until(() => ingest.stats.rejected === 2, 'two rejections');
    expect(applied).toEqual([]);
    expect(seen.filter((s) => s.topic.endsWith('/ack'))).toEqual([]);
  });
});
