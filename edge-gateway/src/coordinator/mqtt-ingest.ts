// Coordinator ingest over MQTT: every point's status and link state from the coordinator's broker.
// Payloads are validated; a malformed one is logged and counted, never fatal.
import mqtt, { type MqttClient } from 'mqtt';
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../log/logger.js';
import { POINT_STATE_FILTER, POINT_STATUS_FILTER, PointStatusSchema, parsePointTopic, type PointStatus } from '../protocol/index.js';

export interface PointIngestEvents {
  status(status: PointStatus): void;
  state(point: string, state: 'online' | 'offline'): void;
}

export interface MqttPointIngestOptions {
  url: string;
  username: string;
  password: string;
  log: Logger;
  on: PointIngestEvents;
  maxPayloadBytes?: number;
  /**
   * MQTT shared-subscription group (coordinator/shared-ingest.ts): statuses are then split across
   * every instance subscribed with the same group; link states still reach every instance.
   */
  shareGroup?: string;
  /** Defaults to `<username>-ingest`; instances sharing a group need distinct ones. */
  clientId?: string;
}

export class MqttPointIngest {
  private client: MqttClient | null = null;
  readonly stats = { statuses: 0, states: 0, rejected: 0 };

  constructor(private readonly opts: MqttPointIngestOptions) {}

  start(): Promise<void> {
    const o = this.opts;
    const client = mqtt.connect(o.url, { username: o.username, password: o.password, clientId: o.clientId ?? `${o.username}-ingest`, reconnectPeriod: 2000 });
    this.client = client;
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('error', (err) => o.log.warn('broker connection error', { error: errorMessage(err) }));
    return new Promise((resolve) => {
      client.once('connect', () => {
        const statusFilter = o.shareGroup ? `$share/${o.shareGroup}/${POINT_STATUS_FILTER}` : POINT_STATUS_FILTER;
        client.subscribe([statusFilter, POINT_STATE_FILTER], { qos: 1 }, (err) => {
          if (err) o.log.error('subscribe failed', { error: errorMessage(err) });
          resolve();
        });
      });
    });
  }

  private reject(topic: string, detail: string): void {
    this.stats.rejected++;
    this.opts.log.warn('point message rejected', { topic, detail });
  }

  private onMessage(topic: string, payload: Buffer): void {
    const t = parsePointTopic(topic);
    // A shared connection (the relay ingest's subscriptions) delivers other topics too: not ours to judge.
    if (!t) return;
    if (payload.length > (this.opts.maxPayloadBytes ?? 16 * 1024)) return this.reject(topic, `payload of ${payload.length} bytes`);
    if (t.kind === 'state') {
      const s = payload.toString('utf8');
      if (s !== 'online' && s !== 'offline') return this.reject(topic, `state must be online|offline`);
      this.stats.states++;
      return this.opts.on.state(t.point, s);
    }
    let value: unknown;
    try {
      value = JSON.parse(payload.toString('utf8'));
    } catch (err) {
      return this.reject(topic, `malformed JSON: ${errorMessage(err)}`);
    }
    const r = PointStatusSchema.safeParse(value);
    if (!r.success) return this.reject(topic, r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
    if (r.data.point !== t.point) return this.reject(topic, `status of '${r.data.point}' on the topic of '${t.point}'`);
    this.stats.statuses++;
    this.opts.on.status(r.data);
  }

  /** The connection, for the relay ingest to share (the broker allows one session per user); null before start(). */
  get connection(): MqttClient | null {
    return this.client;
  }

  /** Publishes on the coordinator's broker with the ingest's connection (e.g. a command to a point). */
  async publish(topic: string, payload: string): Promise<void> {
    const c = this.client;
    if (!c?.connected) throw new Error('not connected to the broker');
    await c.publishAsync(topic, payload, { qos: 1 });
  }

  async stop(): Promise<void> {
    const c = this.client;
    this.client = null;
    await c?.endAsync().catch(() => {});
  }
}
