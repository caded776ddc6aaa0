// Node end of an MQTT connection: the node's own credentials, retained birth `online` and last will
// `offline` on its state topic, uplinks on `up`, downlinks from `down`. QoS 0 for protocol traffic, as
// Espruino's MQTT module only has QoS 0 — delivery is the protocol's job (acks + retransmission).
// Reconnects with exponential backoff in wall time: the broker lives in the real world, not the simulated one.
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import type { Logger } from '../../log/logger.js';
import { errorMessage, silentLogger } from '../../log/logger.js';
import { nodeTopics } from '../../protocol/index.js';
import type { NodeTransport } from './transport.js';

export interface MqttTransportOptions {
  url: string;
  nodeId: string;
  password: string;
  log?: Logger;
  /** Reconnect backoff (wall ms): doubles from minMs up to maxMs, with jitter. */
  backoff?: { minMs: number; maxMs: number };
  /** Simulated Wi-Fi signal reported in heartbeats (dBm). */
  rssiDbm?: number;
}

export class MqttNodeTransport implements NodeTransport {
  readonly link = 'mqtt' as const;
  private client: MqttClient | null = null;
  private receivers: ((json: string) => void)[] = [];
  private statusFns: ((up: boolean) => void)[] = [];
  private attempts = 0;
  private retryTimer: NodeJS.Timeout | null = null;
  private closing = false;
  private readonly log: Logger;
  private readonly topics;

  constructor(private readonly opts: MqttTransportOptions) {
    this.log = opts.log ?? silentLogger;
    this.topics = { up: nodeTopics.up(opts.nodeId), down: nodeTopics.down(opts.nodeId), state: nodeTopics.state(opts.nodeId) };
  }

  get up(): boolean {
    return this.client?.connected ?? false;
  }

  /** Starts connecting and returns at once; the node learns about the connection through onStatus. */
  async open(): Promise<void> {
    this.closing = false;
    const client = mqtt.connect(this.opts.url, {
      clientId: this.opts.nodeId,
      username: this.opts.nodeId,
      password: this.opts.password,
      protocolVersion: 4,
      clean: true,
      reconnectPeriod: 0,
      connectTimeout: 10_000,
      will: { topic: this.topics.state, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    this.client = client;
    client.on('connect', () => {
      this.attempts = 0;
      this.log.info('mqtt connected');
      client.publish(this.topics.state, 'online', { qos: 1, retain: true });
      client.subscribe(this.topics.down, { qos: 0 }, (err) => {
        if (err) this.log.warn('subscribe failed', { error: errorMessage(err) });
      });
      for (const fn of this.statusFns) fn(true);
    });
    client.on('message', (topic, payload) => {
      if (topic !== this.topics.down) return;
      const text = payload.toString('utf8');
      for (const fn of this.receivers) fn(text);
    });
    client.on('error', (err) => this.log.warn('mqtt error', { error: errorMessage(err) }));
    client.on('close', () => {
      for (const fn of this.statusFns) fn(false);
      this.scheduleReconnect();
    });
  }

  private scheduleReconnect(): void {
    if (this.closing || this.retryTimer) return;
    const { minMs, maxMs } = this.opts.backoff ?? { minMs: 500, maxMs: 30_000 };
    const base = Math.min(maxMs, minMs * 2 ** this.attempts);
    const delay = base / 2 + (Math.random() * base) / 2;
    this.attempts++;
    this.log.debug(() => `reconnect in ${Math.round(delay)} ms (attempt ${this.attempts})`);
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (!this.closing) this.client?.reconnect();
    }, delay);
  }

  async close(): Promise<void> {
    this.closing = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    const client = this.client;
    this.client = null;
    if (!client) return;
    if (client.connected) {
      // A clean stop is not a failure, so the will would not fire: say offline ourselves.
      await client.publishAsync(this.topics.state, 'offline', { qos: 1, retain: true }).catch(() => undefined);
    }
    await client.endAsync();
  }

  /** Cuts the connection without a clean disconnect (as a power loss would), so the broker sends the will. */
  dropConnection(): void {
    this.client?.stream.destroy();
  }

  send(json: string): boolean {
    const client = this.client;
    if (!client?.connected) return false;
    client.publish(this.topics.up, json, { qos: 0 });
    return true;
  }

  onReceive(fn: (json: string) => void): void {
    this.receivers.push(fn);
  }

  onStatus(fn: (up: boolean) => void): void {
    this.statusFns.push(fn);
  }

  rssi(): number | undefined {
    return this.opts.rssiDbm ?? -58;
  }
}
