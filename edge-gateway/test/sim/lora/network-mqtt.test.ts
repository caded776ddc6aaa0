// End to end through the simulated LoRaWAN network: the RAK3172 driver sends a codec frame over a
// pty to the simulated module, the simulated network server checks and decrypts the real LoRaWAN
// frame and publishes a ChirpStack v4 uplink event to an in-process aedes broker; a downlink command
// published there reaches the driver in RX1 after the next uplink.
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { createServer } from 'node:net';
import type { Server } from 'node:net';
import { Aedes } from 'aedes';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import lpImport from 'lora-packet';
import { skipWithout } from '../../support/externals.js';
import type { Downlink } from '../../../src/drivers/lora-modem/index.js';
import { decodeFrame, encodeMessage } from '../../../src/lora/codec/index.js';
import type { AckMessage } from '../../../src/lora/codec/index.js';
import { chirpstackTopics } from '../../../src/sim/lora/index.js';
import { APP_ID, DEVICE, loraRig } from './rig.js';
import type { LoraRig } from './rig.js';

type LoraPacketApi = typeof lpImport.default;
const lp: LoraPacketApi = (lpImport as { default?: LoraPacketApi }).default ?? (lpImport as unknown as LoraPacketApi);

const SKIP = skipWithout('socat', 'LoRaWAN network end-to-end test (modem on a pty)');

/** The uplink event fields DESIGN.md §LoRa lists for ChirpStack v4 (`deviceInfo`, `fCnt`, `fPort`, `data`, `rxInfo[]` rssi/snr). */
const CHIRPSTACK_UP_FIELDS = ['deviceInfo', 'fCnt', 'fPort', 'data', 'rxInfo'];

describe.skipIf(SKIP)('simulated LoRaWAN network → ChirpStack v4 MQTT', () => {
  let broker: Aedes;
  let server: Server;
  let url: string;
  let r: LoraRig;
  let client: MqttClient;
  const received: { topic: string; body: Record<string, unknown> }[] = [];

  beforeAll(async () => {
    broker = await Aedes.createBroker();
    server = createServer(broker.handle);
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const addr = server.address();
    if (!addr || typeof addr === 'string') throw new Error('no port');
    url = `mqtt://127.0.0.1:${addr.port}`;
    client = await mqtt.connectAsync(url, { clientId: 'coordinator-test', reconnectPeriod: 0 });
    client.on('message', (topic, payload) => received.push({ topic, body: JSON.parse(payload.toString()) as Record<string, unknown> }));
    await client.subscribeAsync(`application/${APP_ID}/device/+/event/+`, { qos: 1 });
    r = await loraRig({ mqtt: { url } });
    await r.modem.setDataRate(5);
    await r.modem.join({ attempts: 1 });
  }, 20_000);

  afterAll(async () => {
    await r?.close();
    await client?.endAsync();
    await new Promise<void>((res) => broker.close(() => res()));
    await new Promise<void>((res) => server.close(() => res()));
  });

  async function until<T>(get: () => T | undefined, what: string, ms = 5000): Promise<T> {
    const t0 = Date.now();
    for (;;) {
      const v = get();
      if (v !== undefined) return v;
      if (Date.now() - t0 > ms) throw new Error(`timed out waiting for ${what}`);
      await new Promise((res) => setTimeout(res, 10));
    }
  }

  it('publishes a join event and an uplink event with the ChirpStack v4 fields', async () => {
    const ack: AckMessage = { kind: 'ack', ids: [3, 4, 5] };
    const frame = encodeMessage(ack);
    await r.modem.send(frame.port, frame.bytes);
    const upTopic = chirpstackTopics.up(APP_ID, DEVICE.devEui);
    const up = await until(() => received.find((m) => m.topic === upTopic), 'the uplink event');
    expect(received.some((m) => m.topic === chirpstackTopics.join(APP_ID, DEVICE.devEui))).toBe(true);

    for (const field of CHIRPSTACK_UP_FIELDS) expect(up.body).toHaveProperty(field);
    expect(up.body.deviceInfo).toMatchObject({ devEui: DEVICE.devEui, applicationId: APP_ID, deviceName: DEVICE.name });
    expect(up.body).toMatchObject({ fPort: frame.port, fCnt: 0, confirmed: false, dr: 5 });
    const rx = (up.body.rxInfo as Record<string, unknown>[])[0];
    expect(typeof rx?.rssi).toBe('number');
    expect(typeof rx?.snr).toBe('number');
    const data = Buffer.from(up.body.data as string, 'base64');
    expect(data.equals(Buffer.from(frame.bytes))).toBe(true);
    expect(decodeFrame(up.body.fPort as number, data)).toEqual(ack);
  });

  it('puts a real LoRaWAN frame on the air: lora-packet checks its MIC and decrypts it to the payload', () => {
    const session = r.ns.session(DEVICE.devEui);
    if (!session) throw new Error('not joined');
    const phy = r.air.at(-1)!;
    const packet = lp.fromWire(phy);
    expect(packet.getMType()).toBe('Unconfirmed Data Up');
    expect(packet.DevAddr?.toString('hex')).toBe(session.devAddr);
    expect(lp.verifyMIC(packet, session.keys.nwkSKey)).toBe(true);
    // The payload is encrypted on the air and only the AppSKey opens it.
    const clear = Buffer.from(encodeMessage({ kind: 'ack', ids: [3, 4, 5] }).bytes);
    expect(packet.FRMPayload?.equals(clear)).toBe(false);
    expect(lp.decrypt(packet, session.keys.appSKey, session.keys.nwkSKey).equals(clear)).toBe(true);
  });

  it('delivers a downlink command from MQTT after the next uplink (class A)', async () => {
    const down: Downlink[] = [];
    r.modem.on('downlink', (d) => down.push(d));
    const cmd = encodeMessage({ kind: 'downAck', ids: [9] });
    await client.publishAsync(
      chirpstackTopics.down(APP_ID, DEVICE.devEui),
      JSON.stringify({ devEui: DEVICE.devEui, confirmed: false, fPort: cmd.port, data: Buffer.from(cmd.bytes).toString('base64') }),
      { qos: 1 },
    );
    await until(() => (r.ns.stats.downlinksQueued === 1 ? true : undefined), 'the network to queue the downlink');
    expect(down).toHaveLength(0);
    await r.modem.send(1, Uint8Array.from([0x40]));
    await until(() => down[0], 'the downlink');
    expect(down[0]).toMatchObject({ port: cmd.port, window: 'RX_1' });
    expect(decodeFrame(down[0]!.port, down[0]!.bytes)).toEqual({ kind: 'downAck', ids: [9] });
  });
});
