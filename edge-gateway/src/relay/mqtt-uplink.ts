// The point → coordinator link over IP: the point's status over MQTT (QoS 1) to the coordinator's
// broker, with a retained `online` and a last will `offline` so the coordinator sees a lost link.
// Only the newest status matters, so nothing is queued while disconnected: the next one replaces it.
// (The LoRa relay with its durable outbox takes over when IP is down; see the relay issue.)
import { readFileSync } from 'node:fs';
import mqtt, { type MqttClient } from 'mqtt';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../log/logger.js';
import { PointCommandSchema, PointStatusSchema, pointTopics, type PointCommand, type PointStatus } from '../protocol/index.js';
import type { BoardResult } from '../coordinator/signing/index.js';

export interface MqttUplinkOptions {
  url: string;
  username: string;
  passwordFile: string;
  pointId: string;
  intervalMs: number;
  clock: Clock;
  log: Logger;
  /** Builds the status to send; seq increases with each call. */
  status: (seq: number) => PointStatus;
  /** A validated command from the coordinator. */
  onCommand?: (cmd: PointCommand) => void;
  /** Signed board content from the coordinator (board-inbox.ts); its result is published on `boardResult`. */
  onBoard?: (payload: Buffer) => Promise<BoardResult>;
}

export class MqttUplink {
  private client: MqttClient | null = null;
  private cancel: (() => void) | null = null;
  private seq: number;
  sent = 0;
  failed = 0;

  constructor(private readonly opts: MqttUplinkOptions) {
    // Wall-clock based so it keeps increasing across restarts without a write per status.
    this.seq = Math.floor(Date.now() / 1000);
  }

  get connected(): boolean {
    return this.client?.connected ?? false;
  }

  /** The connection, for the relay's IpPath to share (the broker allows one session per user); null before start(). */
  get connection(): MqttClient | null {
    return this.client;
  }

  start(): void {
    const o = this.opts;
    let password: string;
    try {
      password = readFileSync(o.passwordFile, 'utf8').trim();
    } catch (err) {
      throw new Error(`coordinator password file ${o.passwordFile}: ${errorMessage(err)}`, { cause: err });
    }
    const state = pointTopics.state(o.pointId);
    this.client = mqtt.connect(o.url, {
      username: o.username,
      password,
      clientId: o.username,
      reconnectPeriod: 5000,
      connectTimeout: 10_000,
      will: { topic: state, payload: Buffer.from('offline'), qos: 1, retain: true },
    });
    const commandTopic = pointTopics.command(o.pointId);
    const boardTopic = pointTopics.board(o.pointId);
    this.client.on('connect', () => {
      o.log.info('connected to the coordinator', { url: o.url });
      this.client?.publish(state, 'online', { qos: 1, retain: true });
      if (o.onCommand) this.client?.subscribe(commandTopic, { qos: 1 });
      if (o.onBoard) this.client?.subscribe(boardTopic, { qos: 1 });
      this.publish();
    });
    this.client.on('message', (topic, payload) => {
      if (topic === boardTopic && o.onBoard) return this.onBoard(o.onBoard, payload);
      if (topic !== commandTopic || !o.onCommand) return;
      let value: unknown;
      try {
        value = JSON.parse(payload.toString('utf8'));
      } catch {
        o.log.warn('coordinator command rejected: malformed JSON');
        return;
      }
      const cmd = PointCommandSchema.safeParse(value);
      if (!cmd.success) {
        o.log.warn('coordinator command rejected', { detail: cmd.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ') });
        return;
      }
      o.onCommand(cmd.data);
    });
    this.client.on('error', (err) => o.log.warn('coordinator link error', { error: errorMessage(err) }));
    this.client.on('close', () => o.log.debug('coordinator link closed'));
    this.cancel = o.clock.setInterval(() => this.publish(), o.intervalMs);
  }

  private onBoard(handle: (payload: Buffer) => Promise<BoardResult>, payload: Buffer): void {
    handle(payload)
      .then((result) => this.client?.publishAsync(pointTopics.boardResult(this.opts.pointId), JSON.stringify(result), { qos: 1 }))
      .catch((err: unknown) => this.opts.log.warn('board result not delivered', { error: errorMessage(err) }));
  }

  /** Sends the current status now (also used when something important changes). */
  publish(): void {
    const c = this.client;
    if (!c?.connected) return;
    const status = PointStatusSchema.parse(this.opts.status(++this.seq));
    c.publish(pointTopics.status(this.opts.pointId), JSON.stringify(status), { qos: 1 }, (err) => {
      if (err) {
        this.failed++;
        this.opts.log.warn('status not delivered', { error: errorMessage(err) });
      } else this.sent++;
    });
  }

  async stop(): Promise<void> {
    this.cancel?.();
    const c = this.client;
    this.client = null;
    if (!c) return;
    // A clean goodbye: say offline ourselves (a clean disconnect does not fire the will).
    // Bounded: the coordinator may be going down at the same moment and never acknowledge.
    if (c.connected) {
      const bye = c.publishAsync(pointTopics.state(this.opts.pointId), 'offline', { qos: 1, retain: true }).catch(() => {});
      await Promise.race([bye, new Promise((r) => setTimeout(r, 1000))]);
    }
    await c.endAsync(true).catch(() => {});
  }
}
