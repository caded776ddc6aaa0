// Nodes on Wi-Fi reach the gateway through an MQTT broker (the embedded one or a site's Mosquitto).
// This link is the gateway's side: it subscribes to every node's `up` and `state` topics, turns
// payloads into protocol messages, and publishes commands/acks to `down`.
//
// No send queue: `send()` returns false while the broker connection is down or the node is not
// known to be online, so the core can retry or use another link. A command queued here would
// arrive late (a charging port switched on minutes after the request), which is worse than a
// visible failure; mqtt.js' own offline store is discarded on every reconnect for the same reason.
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { EventBus } from '../../core/bus.js';
import type { Logger } from '../../log/logger.js';
import { errorMessage } from '../../log/logger.js';
import type { DownlinkMessage } from '../../protocol/index.js';
import { NODE_STATE_FILTER, NODE_UP_FILTER, ProtocolError, decodeMessage, encodeMessage, isUplink, nodeTopics, parseNodeTopic } from '../../protocol/index.js';
import type { LinkEvents, NodeLink } from '../link.js';

export const DEFAULT_MQTT_MAX_PAYLOAD_BYTES = 8 * 1024;

export interface MqttNodeLinkOptions {
  /** e.g. `mqtt://127.0.0.1:1883`. */
  url: string;
  username: string;
  password: string;
  /** Injected `gw:mqtt` logger. */
  log: Logger;
  /** Link name in events and the store; default `mqtt`. */
  name?: string;
  /** Default: the username (brokers here bind the session to the username anyway). */
  clientId?: string;
  maxPayloadBytes?: number;
  /** Reconnect delay doubles from min to max while the broker stays unreachable. */
  reconnectMinMs?: number;
  reconnectMaxMs?: number;
  connectTimeoutMs?: number;
  keepaliveS?: number;
  /** Receive timestamps; default Date.now (pass clock.now for simulated time). */
  now?: () => number;
}

export type MqttRejectReason = 'topic' | 'oversize' | 'malformed' | 'schema' | 'node-mismatch' | 'direction' | 'state';

export class MqttNodeLink implements NodeLink {
  readonly name: string;
  private readonly bus: EventBus<LinkEvents>;
  private readonly log: Logger;
  private readonly maxPayload: number;
  private readonly now: () => number;
  private client: MqttClient | undefined;
  /** undefined until the first connection attempt has an outcome. */
  private up: boolean | undefined;
  private stopped = false;
  private backoffMs: number;
  private reconnectTimer: NodeJS.Timeout | undefined;
  /** Why the last attempt failed (CONNACK refusal, ECONNREFUSED …), for the status event. */
  private lastError: string | undefined;
  /** Last availability per node: true after `online` or any uplink, false after `offline`. */
  private readonly nodes = new Map<string, boolean>();

  constructor(private readonly opts: MqttNodeLinkOptions) {
    this.name = opts.name ?? 'mqtt';
    this.log = opts.log;
    this.bus = new EventBus<LinkEvents>(opts.log);
    this.maxPayload = opts.maxPayloadBytes ?? DEFAULT_MQTT_MAX_PAYLOAD_BYTES;
    this.now = opts.now ?? Date.now;
    this.backoffMs = opts.reconnectMinMs ?? 1000;
  }

  on<K extends keyof LinkEvents>(event: K, fn: (payload: LinkEvents[K]) => void): () => void {
    return this.bus.on(event, fn);
  }

  get connected(): boolean {
    return this.up === true;
  }

  /** Connects; resolves after the first attempt either way (retries continue in the background). */
  start(): Promise<void> {
    if (this.client) return Promise.resolve();
    this.stopped = false;
    const client = mqtt.connect(this.opts.url, {
      username: this.opts.username,
      password: this.opts.password,
      clientId: this.opts.clientId ?? this.opts.username,
      protocolVersion: 4,
      clean: true,
      keepalive: this.opts.keepaliveS ?? 30,
      connectTimeout: this.opts.connectTimeoutMs ?? 10_000,
      // Reconnects are ours (exponential backoff below); subscriptions are renewed on every connect.
      reconnectPeriod: 0,
      resubscribe: false,
    });
    this.client = client;
    client.on('message', (topic, payload) => this.onMessage(topic, payload));
    client.on('error', (err) => {
      this.lastError = err.message;
      this.log.warn('broker connection error', { url: this.opts.url, error: err.message });
    });
    client.on('close', () => this.onClose());
    client.on('connect', () => this.onConnect(client));
    return new Promise<void>((resolve) => {
      const off = this.bus.on('status', () => {
        off();
        resolve();
      });
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.reconnectTimer);
    const client = this.client;
    this.client = undefined;
    if (!client) return;
    this.setStatus(false, 'stopped');
    await client.endAsync();
  }

  send(msg: DownlinkMessage): boolean {
    const client = this.client;
    if (!client || this.up !== true || this.nodes.get(msg.node) !== true) return false;
    const payload = encodeMessage(msg);
    if (Buffer.byteLength(payload) > this.maxPayload) {
      this.log.error('downlink too large, not sent', { node: msg.node, type: msg.type, bytes: Buffer.byteLength(payload) });
      return false;
    }
    client.publish(nodeTopics.down(msg.node), payload, { qos: 1 }, (err) => {
      if (err) this.log.warn('downlink publish failed', { node: msg.node, seq: msg.seq, error: err.message });
    });
    return true;
  }

  private onConnect(client: MqttClient): void {
    this.backoffMs = this.opts.reconnectMinMs ?? 1000;
    client.subscribe({ [NODE_UP_FILTER]: { qos: 1 }, [NODE_STATE_FILTER]: { qos: 1 } }, (err, granted) => {
      if (client !== this.client) return;
      // mqtt.js reports a SUBACK failure (0x80) as an error carrying the SUBACK packet.
      const codes = (err as { packet?: { granted?: unknown[] } } | null)?.packet?.granted ?? (granted ?? []).map((g) => g.qos);
      const refused = codes.includes(128);
      if (err || refused) {
        const detail = refused ? 'subscription refused by the broker ACL' : errorMessage(err);
        this.log.error('cannot subscribe to node topics', { detail });
        this.setStatus(false, detail);
        return;
      }
      this.log.info('connected to broker', { url: this.opts.url });
      this.setStatus(true);
    });
  }

  private onClose(): void {
    this.setStatus(false, this.lastError ?? 'broker connection closed');
    this.lastError = undefined;
    if (this.stopped || !this.client) return;
    clearTimeout(this.reconnectTimer);
    const max = this.opts.reconnectMaxMs ?? 30_000;
    // ±20 % jitter so many gateways restarting with one broker do not reconnect in lockstep.
    const delay = Math.round(this.backoffMs * (0.8 + Math.random() * 0.4));
    this.backoffMs = Math.min(this.backoffMs * 2, max);
    this.log.debug(() => `reconnecting in ${delay} ms`);
    this.reconnectTimer = setTimeout(() => {
      if (!this.stopped && this.client) this.client.reconnect();
    }, delay);
    this.reconnectTimer.unref();
  }

  private setStatus(up: boolean, detail?: string): void {
    if (this.up === up) return;
    this.up = up;
    this.bus.emit('status', { link: this.name, up, ...(detail !== undefined ? { detail } : {}) });
  }

  private reject(reason: MqttRejectReason, detail: string, node?: string): void {
    this.log.warn('payload rejected', { reason, detail, ...(node !== undefined ? { node } : {}) });
    this.bus.emit('rejected', { link: this.name, reason, detail, ...(node !== undefined ? { node } : {}) });
  }

  private onMessage(topic: string, payload: Buffer): void {
    const t = parseNodeTopic(topic);
    if (!t || t.kind === 'down') {
      this.reject('topic', `unexpected topic ${topic}`);
      return;
    }
    if (payload.length > this.maxPayload) {
      this.reject('oversize', `payload of ${payload.length} bytes exceeds ${this.maxPayload}`, t.node);
      return;
    }
    if (t.kind === 'state') {
      this.onState(t.node, payload.toString('utf8'));
      return;
    }
    let msg;
    try {
      msg = decodeMessage(payload.toString('utf8'));
    } catch (err) {
      const malformed = err instanceof ProtocolError && err.cause instanceof SyntaxError;
      this.reject(malformed ? 'malformed' : 'schema', errorMessage(err), t.node);
      return;
    }
    if (msg.node !== t.node) {
      this.reject('node-mismatch', `message for node ${msg.node} on ${topic}`, t.node);
      return;
    }
    if (!isUplink(msg)) {
      this.reject('direction', `downlink type ${msg.type} sent by a node`, t.node);
      return;
    }
    this.nodes.set(t.node, true);
    this.bus.emit('message', { msg, link: this.name, receivedAt: this.now() });
  }

  private onState(node: string, text: string): void {
    // An empty retained payload only clears the broker's copy (a decommissioned node).
    if (text === '') return;
    if (text !== 'online' && text !== 'offline') {
      this.reject('state', `state payload must be online or offline, got ${JSON.stringify(text.slice(0, 32))}`, node);
      return;
    }
    const online = text === 'online';
    const before = this.nodes.get(node);
    this.nodes.set(node, online);
    if (before !== online) this.bus.emit('availability', { link: this.name, node, online });
  }
}
