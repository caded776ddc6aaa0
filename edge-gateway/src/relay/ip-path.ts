// The IP side of the relay: outbox messages as JSON on noodsteun/point/<id>/msg (QoS 1) to the
// coordinator's broker; the coordinator answers with the row ids it has applied on …/ack. The
// broker's PUBACK only says the broker has it, so the outbox waits for the application ack.
// Health: connected and no ack overdue. A path that lost an ack is left alone for a hold-down time,
// so a flapping link does not bounce the relay between paths.
import mqtt, { type MqttClient } from 'mqtt';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../log/logger.js';
import { IpAckSchema, relayTopics } from './messages.js';
import type { IpMessage } from './messages.js';
import type { OutboxRow } from './outbox.js';

export interface IpPathOptions {
  /** Broker to connect to; or pass `client` to share a connection (the embedded broker allows one session per user). */
  url?: string;
  /** An MQTT client owned by the caller; the path adds its listeners and removes them on stop(). */
  client?: MqttClient;
  username?: string;
  password?: string;
  clientId?: string;
  pointId: string;
  clock: Clock;
  log: Logger;
  /** An application ack later than this marks the path unhealthy (clock ms, default 10 s). */
  ackTimeoutMs?: number;
  /** After an overdue ack, the path is not used for this long even if connected (default 30 s). */
  holdDownMs?: number;
  reconnectPeriodMs?: number;
  keepaliveS?: number;
}

export class IpPath {
  private client: MqttClient | null = null;
  private readonly ackFns: ((refs: number[]) => void)[] = [];
  private readonly healthFns: ((healthy: boolean) => void)[] = [];
  /** Row id → clock time its ack is due. */
  private readonly awaiting = new Map<number, number>();
  private heldUntil = -Infinity;
  /** The ack subscription is in place for the current connection: before that an ack could be missed. */
  private subscribed = false;
  private wasHealthy = false;
  private cancelWatch: (() => void) | null = null;
  private detach: (() => void) | null = null;
  readonly stats = { published: 0, acked: 0, ackTimeouts: 0, rejected: 0 };

  constructor(private readonly opts: IpPathOptions) {}

  get ackTimeoutMs(): number {
    return this.opts.ackTimeoutMs ?? 10_000;
  }

  onAck(fn: (refs: number[]) => void): void {
    this.ackFns.push(fn);
  }

  onHealth(fn: (healthy: boolean) => void): void {
    this.healthFns.push(fn);
  }

  healthy(now = this.opts.clock.now()): boolean {
    return (this.client?.connected ?? false) && this.subscribed && now >= this.heldUntil;
  }

  async start(): Promise<void> {
    const o = this.opts;
    if (!o.client && !o.url) throw new Error('IpPath needs a broker url or a client');
    const client =
      o.client ??
      mqtt.connect(o.url!, {
        username: o.username,
        password: o.password,
        clientId: o.clientId ?? `${o.pointId}-relay`,
        reconnectPeriod: o.reconnectPeriodMs ?? 2000,
        connectTimeout: 5000,
        keepalive: o.keepaliveS ?? 15,
      });
    this.client = client;
    const onConnect = () => {
      client.subscribe(relayTopics.ack(o.pointId), { qos: 1 }, (err, granted) => {
        if (err || granted?.some((g) => g.qos > 2)) o.log.warn('ack subscription refused', { error: err ? errorMessage(err) : 'not granted' });
        else this.subscribed = true;
        this.checkHealth();
      });
    };
    const onClose = () => {
      this.subscribed = false;
      this.checkHealth();
    };
    const onError = (err: Error) => o.log.debug('coordinator link error', { error: errorMessage(err) });
    const onMessage = (topic: string, payload: Buffer) => this.onMessage(topic, payload);
    client.on('connect', onConnect);
    client.on('close', onClose);
    client.on('error', onError);
    client.on('message', onMessage);
    this.detach = () => {
      client.off('connect', onConnect);
      client.off('close', onClose);
      client.off('error', onError);
      client.off('message', onMessage);
    };
    if (client.connected) onConnect();
    this.cancelWatch = o.clock.setInterval(() => this.watch(), 250);
  }

  /** Publishes one message; the caller keeps it in flight until onAck names its row id. */
  send(row: OutboxRow, point: string): void {
    const c = this.client;
    if (!c?.connected) throw new Error('the coordinator link is down');
    if (row.kind === 'help') throw new Error('help counts travel in the MQTT status on the IP path');
    const msg: IpMessage = { v: 1, point, ref: row.id, seq: row.seq, kind: row.kind, created: row.created, body: row.payload.body as unknown as Record<string, unknown> };
    this.awaiting.set(row.id, this.opts.clock.now() + this.ackTimeoutMs);
    this.stats.published++;
    c.publish(relayTopics.msg(point), JSON.stringify(msg), { qos: 1 }, (err) => {
      if (err) this.opts.log.debug('publish failed', { ref: row.id, error: errorMessage(err) });
    });
  }

  /** Forget acks owed for rows handed to the other path. */
  forget(): void {
    this.awaiting.clear();
  }

  async stop(): Promise<void> {
    this.cancelWatch?.();
    this.detach?.();
    this.detach = null;
    const c = this.client;
    this.client = null;
    this.subscribed = false;
    if (!c) return;
    if (this.opts.client) await c.unsubscribeAsync(relayTopics.ack(this.opts.pointId)).catch(() => {});
    else await c.endAsync(true).catch(() => {});
  }

  private onMessage(topic: string, payload: Buffer): void {
    if (topic !== relayTopics.ack(this.opts.pointId)) return;
    let refs: number[];
    try {
      refs = IpAckSchema.parse(JSON.parse(payload.toString('utf8'))).refs;
    } catch (err) {
      this.stats.rejected++;
      this.opts.log.warn('malformed ack', { error: errorMessage(err) });
      return;
    }
    for (const r of refs) this.awaiting.delete(r);
    this.stats.acked += refs.length;
    for (const fn of this.ackFns) fn(refs);
  }

  private watch(): void {
    const now = this.opts.clock.now();
    for (const due of this.awaiting.values()) {
      if (due <= now) {
        this.stats.ackTimeouts++;
        this.opts.log.warn('coordinator ack overdue: IP path held down');
        this.heldUntil = now + (this.opts.holdDownMs ?? 30_000);
        this.awaiting.clear();
        break;
      }
    }
    this.checkHealth();
  }

  private checkHealth(): void {
    const h = this.healthy();
    if (h === this.wasHealthy) return;
    this.wasHealthy = h;
    if (!h) this.awaiting.clear();
    for (const fn of this.healthFns) fn(h);
  }
}
