// The protocol side of a simulated node: envelope (node, boot, seq, ts), telemetry and heartbeat
// schedule, acks with a bounded retransmission ring, command execution and results.
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../log/logger.js';
import { errorMessage, silentLogger } from '../../log/logger.js';
import type { CommandBody, HeartbeatBody, Message, MessageOf, ResultBody, UplinkMessage } from '../../protocol/index.js';
import { decodeMessage, encodeMessage, parseMessage, PROTOCOL_VERSION } from '../../protocol/index.js';
import type { NodeApp, SimNodeKind } from './app.js';
import type { NodeTransport } from './transport.js';
import { UnackedRing } from './unacked.js';

export const SIM_FIRMWARE = 'sim-0.1';

export interface SimNode {
  readonly id: string;
  readonly kind: SimNodeKind;
  /** Only the link state: a node running real firmware frames and connects by itself. */
  readonly transport: Pick<NodeTransport, 'link' | 'up'>;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export interface ProtocolNodeOptions {
  id: string;
  app: NodeApp;
  transport: NodeTransport;
  clock: Clock;
  log?: Logger;
  /**
   * Boot counter. Default: wall-clock seconds, so it grows across simulator restarts like a counter in
   * flash (simulated time may start lower after a run at --speed > 1, wall time does not).
   */
  boot?: number;
  heartbeatMs?: number;
  /**
   * Resend an unacknowledged message after this long (clock ms), doubling per try up to maxRetryMs.
   * The default sits above the gateway's group-commit interval (acks follow the commit, ≤ 30 s).
   */
  retryMs?: number;
  maxRetryMs?: number;
  /** … and at least this long in wall time (ms), for accelerated clocks; 0 under a ManualClock. */
  retryWallMs?: number;
  /** At most this many retransmissions per retry round, oldest first. */
  retryBurst?: number;
  ringSize?: number;
  /** Longest wait for the ack of a reboot command's result before rebooting anyway. */
  rebootGraceMs?: number;
}

export interface ProtocolNodeStats {
  sent: number;
  retransmitted: number;
  acked: number;
  dropped: number;
  badDownlinks: number;
  commands: number;
}

const CMD_MEMORY = 16;
export const DEFAULT_RETRY_MS = 40_000;
export const DEFAULT_MAX_RETRY_MS = 300_000;

export class ProtocolNode implements SimNode {
  readonly id: string;
  readonly kind: SimNodeKind;
  readonly transport: NodeTransport;
  readonly stats: ProtocolNodeStats = { sent: 0, retransmitted: 0, acked: 0, dropped: 0, badDownlinks: 0, commands: 0 };
  private readonly app: NodeApp;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly ring: UnackedRing;
  private readonly heartbeatMs: number;
  private readonly retryMs: number;
  private readonly maxRetryMs: number;
  private readonly retryWallMs: number;
  private readonly retryBurst: number;
  private readonly rebootGraceMs: number;
  private bootId: number;
  private seq = 0;
  private bootAt = 0;
  private timers: (() => void)[] = [];
  private pendingTelemetry: (() => void) | null = null;
  private running = false;
  /** Telemetry asked for while a command runs goes out after its result, so the gateway sees cause before effect. */
  private inCommand = false;
  private telemetryAfterCommand = false;
  /** Results of recent commands by `boot:seq`, so a repeated command is answered, not executed twice. */
  private handled = new Map<string, ResultBody>();

  constructor(opts: ProtocolNodeOptions) {
    this.id = opts.id;
    this.app = opts.app;
    this.kind = opts.app.kind;
    this.transport = opts.transport;
    this.clock = opts.clock;
    this.log = opts.log ?? silentLogger;
    this.ring = new UnackedRing(opts.ringSize ?? 32);
    this.heartbeatMs = opts.heartbeatMs ?? 60_000;
    this.retryMs = opts.retryMs ?? DEFAULT_RETRY_MS;
    this.maxRetryMs = Math.max(this.retryMs, opts.maxRetryMs ?? DEFAULT_MAX_RETRY_MS);
    this.retryWallMs = opts.retryWallMs ?? 0;
    this.retryBurst = opts.retryBurst ?? 8;
    this.rebootGraceMs = opts.rebootGraceMs ?? 5_000;
    this.bootId = (opts.boot ?? Math.floor(Date.now() / 1000)) >>> 0;
    this.transport.onReceive((json) => this.onDownlink(json));
    this.transport.onStatus((up) => {
      if (up && this.running) this.flush(true);
    });
  }

  get boot(): number {
    return this.bootId;
  }
  /** Last sequence number used. */
  get lastSeq(): number {
    return this.seq;
  }
  get unacked(): number {
    return this.ring.size;
  }

  async start(): Promise<void> {
    if (this.running) return;
    await this.transport.open();
    this.running = true;
    this.powerOn();
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.stopTimers();
    this.app.stop();
    await this.transport.close();
  }

  private powerOn(): void {
    this.bootAt = this.clock.now();
    this.app.start({ clock: this.clock, log: this.log, requestTelemetry: () => this.requestTelemetry() });
    this.sendHeartbeat();
    this.sendTelemetry();
    this.timers.push(
      this.clock.setInterval(() => this.sendTelemetry(), this.app.intervalMs),
      this.clock.setInterval(() => this.sendHeartbeat(), this.heartbeatMs),
      this.clock.setInterval(() => this.flush(false), Math.min(this.retryMs, 1000)),
    );
  }

  private stopTimers(): void {
    for (const cancel of this.timers) cancel();
    this.timers = [];
    this.pendingTelemetry?.();
    this.pendingTelemetry = null;
  }

  /** Simulates a reset: RAM (unacked ring, seq) is lost, the boot counter advances. */
  reboot(): void {
    if (!this.running) return;
    this.log.info('rebooting');
    this.stopTimers();
    this.app.stop();
    this.app.reboot?.();
    this.ring.clear();
    this.handled.clear();
    this.seq = 0;
    this.bootId = Math.max(this.bootId + 1, Math.floor(Date.now() / 1000)) >>> 0;
    this.powerOn();
  }

  private requestTelemetry(): void {
    if (!this.running || this.pendingTelemetry) return;
    const debounce = this.app.changeDebounceMs;
    if (this.inCommand) {
      this.telemetryAfterCommand = true;
      return;
    }
    if (debounce <= 0) {
      this.sendTelemetry();
      return;
    }
    this.pendingTelemetry = this.clock.setTimeout(() => {
      this.pendingTelemetry = null;
      this.sendTelemetry();
    }, debounce);
  }

  private sendTelemetry(): void {
    try {
      this.emit(this.app.kind, this.app.read());
    } catch (err) {
      this.log.error('telemetry failed', { error: errorMessage(err) });
    }
  }

  private sendHeartbeat(): void {
    const flags = [...(this.app.flags?.() ?? [])];
    if (this.ring.dropped > this.stats.dropped) flags.push('UNACKED_DROPPED');
    this.stats.dropped = this.ring.dropped;
    const rssi = this.transport.rssi();
    const body: HeartbeatBody = {
      kind: this.kind,
      fw: SIM_FIRMWARE,
      up: Math.floor((this.clock.now() - this.bootAt) / 1000),
      mem: null,
      flags,
      link: this.transport.link,
      ...(rssi !== undefined ? { rssi } : {}),
    };
    this.emit('hb', body);
  }

  /** Builds, validates and sends one uplink; it stays in the ring until acknowledged. */
  private emit<T extends UplinkMessage['type']>(type: T, body: MessageOf<T>['body']): number {
    this.seq = (this.seq + 1) >>> 0;
    const msg = parseMessage({ v: PROTOCOL_VERSION, node: this.id, boot: this.bootId, seq: this.seq, ts: this.clock.now(), type, body });
    const json = encodeMessage(msg);
    const item = { seq: this.seq, json, sentAt: null as number | null, sentWall: null as number | null, tries: 0 };
    this.ring.add(item);
    if (this.transport.send(json)) {
      item.sentAt = this.clock.now();
      item.sentWall = Date.now();
      item.tries++;
      this.stats.sent++;
    }
    return this.seq;
  }

  /** Retransmits due messages oldest first; on reconnect everything pending is due. */
  private flush(all: boolean): void {
    if (!this.transport.up) return;
    const now = this.clock.now();
    const wallNow = Date.now();
    const due = all ? this.ring.all().slice(0, this.ring.capacity) : this.ring.due(now, this.retryMs, this.retryBurst, { maxRetryMs: this.maxRetryMs, wallNow, retryWallMs: this.retryWallMs });
    for (const item of due) {
      if (!this.transport.send(item.json)) return;
      if (item.tries > 0) this.stats.retransmitted++;
      else this.stats.sent++;
      item.sentAt = now;
      item.sentWall = wallNow;
      item.tries++;
    }
  }

  private onDownlink(json: string): void {
    if (!this.running) return;
    let msg: Message;
    try {
      msg = decodeMessage(json);
    } catch (err) {
      this.stats.badDownlinks++;
      this.log.debug(() => `bad downlink: ${errorMessage(err)}`);
      return;
    }
    if (msg.node !== this.id) return;
    if (msg.type === 'ack') {
      this.app.gatewayHeard?.(this.clock.now());
      if (msg.body.boot === this.bootId) this.stats.acked += this.ring.ack(msg.body.seqs);
    } else if (msg.type === 'cmd') {
      this.app.gatewayHeard?.(this.clock.now());
      this.onCommand(msg);
    } else {
      this.stats.badDownlinks++;
    }
  }

  private onCommand(msg: MessageOf<'cmd'>): void {
    const key = `${msg.boot}:${msg.seq}`;
    const seen = this.handled.get(key);
    if (seen) {
      // The gateway did not get our result (or it crossed): answer again, do not execute again.
      this.emit('result', seen);
      return;
    }
    this.stats.commands++;
    const cmd: CommandBody = msg.body;
    let result: ResultBody;
    if (cmd.op === 'ping' || cmd.op === 'reboot') {
      result = { cmd: msg.seq, ok: true };
    } else {
      this.inCommand = true;
      try {
        const outcome = this.app.command?.(cmd) ?? { ok: false, error: 'unsupported' };
        result = outcome.ok ? { cmd: msg.seq, ok: true } : { cmd: msg.seq, ok: false, error: outcome.error };
      } catch (err) {
        this.log.error('command failed', { op: cmd.op, error: errorMessage(err) });
        result = { cmd: msg.seq, ok: false, error: 'internal error' };
      } finally {
        this.inCommand = false;
      }
    }
    this.handled.set(key, result);
    if (this.handled.size > CMD_MEMORY) this.handled.delete(this.handled.keys().next().value as string);
    const resultSeq = this.emit('result', result);
    if (this.telemetryAfterCommand) {
      this.telemetryAfterCommand = false;
      this.requestTelemetry();
    }
    this.log.debug(() => `cmd ${cmd.op} → ${result.ok ? 'ok' : result.error}`);
    if (cmd.op === 'reboot') this.rebootAfterAck(resultSeq);
  }

  /** Reboots once the result is acknowledged (or after a grace period), so the gateway learns it worked. */
  private rebootAfterAck(resultSeq: number): void {
    const deadline = this.clock.now() + this.rebootGraceMs;
    const boot = this.bootId;
    const cancel = this.clock.setInterval(() => {
      if (this.bootId !== boot || !this.running) return cancel();
      if (!this.ring.has(resultSeq) || this.clock.now() >= deadline) {
        cancel();
        this.reboot();
      }
    }, 100);
    this.timers.push(cancel);
  }
}
