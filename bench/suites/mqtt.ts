// Suite `mqtt`: cost of an authenticated connect on the embedded broker, and how many uplinks per
// second pass node → aedes (ACL) → MqttNodeLink (decode + validate). See bench/README.md `## mqtt`.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { CredentialStore } from '../../edge-gateway/src/broker/credentials.js';
import { startEmbeddedBroker } from '../../edge-gateway/src/broker/embedded-broker.js';
import { MqttNodeLink } from '../../edge-gateway/src/links/mqtt/mqtt-node-link.js';
import { silentLogger } from '../../edge-gateway/src/log/logger.js';
import { encodeMessage, nodeTopics } from '../../edge-gateway/src/protocol/index.js';
import type { Message } from '../../edge-gateway/src/protocol/index.js';

type Figure = { value: number; unit: string };

const NODES = 5;
const CONNECTS = 20;
const MESSAGES_PER_NODE = 2000;

function connectNode(url: string, username: string, password: string): Promise<MqttClient> {
  const c = mqtt.connect(url, { username, password, clientId: username, protocolVersion: 4, reconnectPeriod: 0 });
  return new Promise((resolve, reject) => {
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
const pct = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(xs.length * p))]!;

export default async function run(): Promise<Record<string, Figure>> {
  const dir = await mkdtemp(join(tmpdir(), 'ns-bench-mqtt-'));
  const store = await CredentialStore.open(dir);
  const ids = Array.from({ length: NODES }, (_, i) => `fuel-${i + 1}`);
  const secrets = await store.ensureNodeCredentials(ids);
  const broker = await startEmbeddedBroker({ port: 0, credentials: store, log: silentLogger });
  const link = new MqttNodeLink({ url: broker.url, ...store.gateway, log: silentLogger });
  try {
    // Authenticated connect: CONNECT → CONNACK, dominated by the scrypt check.
    const connectMs: number[] = [];
    for (let i = 0; i < CONNECTS; i++) {
      const t0 = performance.now();
      const c = await connectNode(broker.url, ids[0]!, secrets.get(ids[0]!)!);
      connectMs.push(performance.now() - t0);
      await c.endAsync();
    }

    await link.start();
    const nodes = await Promise.all(ids.map((id) => connectNode(broker.url, id, secrets.get(id)!)));
    const sentAt = new Map<string, number>();
    const latencies: number[] = [];
    const total = NODES * MESSAGES_PER_NODE;
    const done = new Promise<void>((resolve) => {
      link.on('message', ({ msg }) => {
        const t = sentAt.get(`${msg.node}/${msg.seq}`);
        if (t !== undefined) latencies.push(performance.now() - t);
        if (latencies.length === total) resolve();
      });
    });
    const t0 = performance.now();
    await Promise.all(
      nodes.map(async (c, n) => {
        const node = ids[n]!;
        for (let seq = 1; seq <= MESSAGES_PER_NODE; seq++) {
          const msg: Message = { v: 1, node, boot: 1, seq, ts: Date.now(), type: 'fuel', body: { litres: 100, pct: 50, rawMm: 400, status: 'ok', refuelling: false } };
          sentAt.set(`${node}/${seq}`, performance.now());
          // QoS 1 like the nodes' uplinks; awaiting each PUBACK keeps one message in flight per node.
          await c.publishAsync(nodeTopics.up(node), encodeMessage(msg), { qos: 1 });
        }
      }),
    );
    await done;
    const seconds = (performance.now() - t0) / 1000;
    await Promise.all(nodes.map((c) => c.endAsync()));
    return {
      connect_auth_median: { value: Number(median(connectMs).toFixed(1)), unit: 'ms' },
      uplink_throughput: { value: Math.round(total / seconds), unit: 'msg/s' },
      uplink_latency_p50: { value: Number(pct(latencies, 0.5).toFixed(2)), unit: 'ms' },
      uplink_latency_p99: { value: Number(pct(latencies, 0.99).toFixed(2)), unit: 'ms' },
    };
  } finally {
    await link.stop();
    await broker.close();
    await rm(dir, { recursive: true, force: true });
  }
}
