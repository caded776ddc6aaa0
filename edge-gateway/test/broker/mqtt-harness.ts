// Helpers for tests against a real broker (in-process aedes or a Mosquitto child process):
// plain mqtt.js clients standing in for nodes, and waits with deadlines instead of sleeps.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { IClientOptions, MqttClient } from 'mqtt';
import type { Message } from '../../src/protocol/index.js';
import { encodeMessage, nodeTopics } from '../../src/protocol/index.js';

export async function tempDir(prefix = 'noodsteun-mqtt-'): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

/** A loopback port that was free a moment ago (for programs that cannot report their bound port). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const addr = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (!addr || typeof addr === 'string') throw new Error('no port');
  return addr.port;
}

type ClientOpts = Pick<IClientOptions, 'username' | 'password' | 'clientId' | 'will'>;

/** Connects once (no reconnects); resolves when CONNACK accepted, rejects with the CONNACK error. */
export function connectClient(url: string, opts: ClientOpts): Promise<MqttClient> {
  const client = mqtt.connect(url, { ...opts, protocolVersion: 4, reconnectPeriod: 0, connectTimeout: 5000, clean: true });
  return new Promise((resolve, reject) => {
    client.once('connect', () => resolve(client));
    client.once('error', (err) => {
      client.end(true);
      reject(err);
    });
    client.once('close', () => reject(new Error('closed before CONNACK')));
  });
}

/** The CONNACK return code of a refused connection (throws if it was accepted). */
export async function refusedCode(url: string, opts: ClientOpts): Promise<number> {
  let client: MqttClient;
  try {
    client = await connectClient(url, opts);
  } catch (err) {
    const code = (err as { code?: unknown }).code;
    if (typeof code !== 'number') throw err;
    return code;
  }
  await client.endAsync();
  throw new Error('connection was accepted');
}

/** Subscribes and returns the granted QoS (128 = refused). */
export async function subscribeGranted(client: MqttClient, filter: string): Promise<number> {
  try {
    const granted = await client.subscribeAsync(filter, { qos: 1 });
    return granted[0]?.qos ?? -1;
  } catch (err) {
    // mqtt.js turns a SUBACK failure code into an error carrying the SUBACK packet.
    const code = (err as { packet?: { granted?: unknown[] } }).packet?.granted?.[0];
    if (typeof code === 'number') return code;
    throw err;
  }
}

export interface Received {
  topic: string;
  payload: string;
  retain: boolean;
}

/** Records every message the client receives. */
export function record(client: MqttClient): Received[] {
  const got: Received[] = [];
  client.on('message', (topic, payload, packet) => got.push({ topic, payload: payload.toString('utf8'), retain: packet.retain }));
  return got;
}

export async function waitFor(cond: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/**
 * Publishes at QoS 1 and waits until the broker has dealt with it: PUBACK (accepted, or dropped
 * by Mosquitto's ACL) or the connection closing (aedes refuses by disconnecting).
 */
export function publishSettled(client: MqttClient, topic: string, payload: string | Buffer, retain = false): Promise<'acked' | 'closed'> {
  return new Promise((resolve) => {
    if (!client.connected) return resolve('closed');
    const onClose = () => resolve('closed');
    client.once('close', onClose);
    client.publish(topic, payload, { qos: 1, retain }, (err) => {
      client.off('close', onClose);
      resolve(err ? 'closed' : 'acked');
    });
  });
}

let seq = 0;
/** A valid uplink from `node` (a fuel reading). */
export function fuelMessage(node: string, litres = 120): Message {
  return {
    v: 1,
    node,
    boot: 1,
    seq: ++seq,
    ts: 1_700_000_000_000,
    type: 'fuel',
    body: { litres, pct: 60, rawMm: 400, status: 'ok', refuelling: false },
  };
}

export function publishUp(client: MqttClient, node: string, msg: Message): Promise<'acked' | 'closed'> {
  return publishSettled(client, nodeTopics.up(node), encodeMessage(msg));
}

/** Closes every client quietly (forced: no DISCONNECT, so wills fire — callers end gracefully first when they care). */
export async function endAll(clients: Iterable<MqttClient>): Promise<void> {
  await Promise.all([...clients].map((c) => c.endAsync(true).catch(() => {})));
}
