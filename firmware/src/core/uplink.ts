// Message layer over any number of transports (USB serial, MQTT): envelopes, sequence numbers,
// and retransmission of unacknowledged telemetry from a small ring until the gateway's ack.
import { Ring } from './ring.js';

export const PROTOCOL_VERSION = 1;

export interface Transport {
  readonly name: 'serial' | 'mqtt';
  isUp(): boolean;
  send(json: string): void;
}

export interface Downlink {
  type: string;
  node: string;
  seq: number;
  body: Record<string, unknown>;
}

export interface UplinkOptions {
  node: string;
  boot: number;
  /** Seconds since boot. */
  now: () => number;
  ringSize: number;
  /** Resend an unacknowledged message after this many seconds. */
  retrySec: number;
  /** At most this many resends per tick, so a backlog does not flood a fresh connection. */
  burst: number;
}

export class Uplink {
  readonly ring: Ring;
  private seq = 0;
  /** Downlinks that were not valid JSON or not for this node. */
  rejected = 0;
  /** Seconds (now()) when the gateway was last heard (any valid downlink). */
  heardAt: number;
  onCommand: (seq: number, body: Record<string, unknown>) => void = () => undefined;

  constructor(
    private readonly opts: UplinkOptions,
    readonly transports: Transport[],
  ) {
    this.ring = new Ring(opts.ringSize);
    this.heardAt = opts.now();
  }

  /** Name of the first transport that is up, for the heartbeat. */
  activeLink(): 'serial' | 'mqtt' {
    for (const t of this.transports) if (t.isUp()) return t.name;
    return this.transports.length > 0 && this.transports[0] !== undefined ? this.transports[0].name : 'serial';
  }

  /**
   * Sends a message. Reliable ones (telemetry, command results) stay in the ring until acked;
   * heartbeats are not retried — a late heartbeat says nothing.
   */
  send(type: string, body: unknown, reliable: boolean): number {
    this.seq++;
    const json = JSON.stringify({
      v: PROTOCOL_VERSION,
      node: this.opts.node,
      boot: this.opts.boot,
      seq: this.seq,
      ts: Math.floor(this.opts.now() * 1000),
      type: type,
      body: body,
    });
    if (reliable) this.ring.push(this.seq, json);
    if (this.transmit(json) && reliable) {
      const last = this.ring.items[this.ring.items.length - 1];
      if (last !== undefined) last.sentAt = this.opts.now();
    }
    return this.seq;
  }

  private transmit(json: string): boolean {
    let sent = false;
    for (const t of this.transports) {
      if (t.isUp()) {
        t.send(json);
        sent = true;
      }
    }
    return sent;
  }

  /** Periodic: resend the oldest unacked messages whose retry time has come. */
  tick(): void {
    const now = this.opts.now();
    let budget = this.opts.burst;
    for (const item of this.ring.items) {
      if (budget <= 0) break;
      if (item.sentAt >= 0 && now - item.sentAt < this.opts.retrySec) continue;
      if (!this.transmit(item.json)) return;
      item.sentAt = now;
      budget--;
    }
  }

  /** Handles one downlink JSON text (frame body or MQTT payload). */
  receive(text: string): void {
    let msg: Downlink;
    try {
      msg = JSON.parse(text) as Downlink;
    } catch {
      this.rejected++;
      return;
    }
    if (typeof msg !== 'object' || msg === null || msg.node !== this.opts.node || typeof msg.body !== 'object' || msg.body === null) {
      this.rejected++;
      return;
    }
    this.heardAt = this.opts.now();
    if (msg.type === 'ack') {
      const seqs = msg.body.seqs;
      if (msg.body.boot === this.opts.boot && Array.isArray(seqs)) this.ring.ack(seqs as number[]);
    } else if (msg.type === 'cmd') {
      this.onCommand(msg.seq, msg.body);
    } else {
      this.rejected++;
    }
  }
}
