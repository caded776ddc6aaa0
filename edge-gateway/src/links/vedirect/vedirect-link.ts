// A Victron battery monitor (BMV-700 family, SmartShunt) on a VE.Direct USB cable, read by the
// gateway itself. The monitor is not a node: this link speaks for it as a virtual node, turning its
// text blocks into protocol `battery` messages (rate-limited: it sends a block every second) and
// `hb` heartbeats, so everything downstream (ingest, store, board) treats it like any node.
// The monitor takes no commands here, so send() always refuses.
import type { LinkEvents, NodeLink } from '../link.js';
import type { BatteryBody, DownlinkMessage, HeartbeatBody, UplinkMessage } from '../../protocol/index.js';
import { NodeIdSchema, PROTOCOL_VERSION, isUplink, parseMessage } from '../../protocol/index.js';
import { EventBus } from '../../core/bus.js';
import type { Clock } from '../../core/clock.js';
import { SystemClock } from '../../core/clock.js';
import type { Logger } from '../../log/logger.js';
import { createLogger, errorMessage } from '../../log/logger.js';
import type { BackoffOptions, PortFactory } from '../serial/index.js';
import { nativePort } from '../serial/index.js';
import { ReopeningPort } from '../serial/reopening-port.js';
import type { VeDirectBlock, VeDirectParserStats, VeDirectReading, VeDirectRejection } from '../../drivers/vedirect/index.js';
import { VEDIRECT_BAUD_RATE, VeDirectParser, decodeFields, isBatteryBlock } from '../../drivers/vedirect/index.js';

export const DEFAULT_BATTERY_INTERVAL_MS = 10_000;
export const DEFAULT_HEARTBEAT_MS = 60_000;
/** The monitor sends a block every second; this much silence means it is gone. */
export const DEFAULT_SILENCE_MS = 30_000;
/** At most one `rejected` event per this interval; the rest are counted. */
export const DEFAULT_REJECT_INTERVAL_MS = 60_000;

export interface VeDirectLinkOptions {
  /** Device path of the VE.Direct USB cable; prefer a /dev/serial/by-id/… link. */
  path: string;
  /** Virtual node id the monitor's messages carry, e.g. `vedirect-1`. */
  node: string;
  /** Boot id of the virtual node; default: the clock time at construction, in seconds. */
  boot?: number;
  baudRate?: number;
  /** Builds the port; defaults to the native serialport binding. Tests pass SerialPortMock. */
  createPort?: PortFactory;
  log?: Logger;
  /** Time of messages and of the rate-limit, heartbeat and silence timers; reopen delays run in wall time. */
  clock?: Clock;
  backoff?: BackoffOptions;
  /** At most one battery message per this many ms; the latest block wins. */
  intervalMs?: number;
  heartbeatMs?: number;
  silenceMs?: number;
  rejectIntervalMs?: number;
  /** Link name in events; defaults to `vedirect:<path>`. */
  name?: string;
}

/** Why a block or message was refused (the `reason` of a `rejected` event). */
export type VeDirectLinkRejectReason = VeDirectRejection['reason'] | 'schema';

export interface VeDirectLinkStats extends VeDirectParserStats {
  /** Battery messages emitted. */
  messages: number;
  heartbeats: number;
  /** Valid battery blocks superseded by a later one within the rate-limit interval. */
  superseded: number;
  /** `rejected` events emitted, and refusals counted without an event because of the throttle. */
  rejected: number;
  rejectsSuppressed: number;
  reconnects: number;
  openFailures: number;
  up: boolean;
  /** Valid blocks are arriving (the virtual node is online). */
  online: boolean;
}

interface Pending {
  reading: VeDirectReading;
  hasTtg: boolean;
  at: number;
}

export class VeDirectLink implements NodeLink {
  readonly name: string;
  readonly path: string;
  readonly node: string;
  readonly boot: number;
  readonly baudRate: number;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly intervalMs: number;
  private readonly heartbeatMs: number;
  private readonly silenceMs: number;
  private readonly rejectIntervalMs: number;
  private readonly bus: EventBus<LinkEvents>;
  private readonly parser: VeDirectParser;

  private readonly device: ReopeningPort;
  private startedAt = 0;
  private seq = 0;

  private online = false;
  private pending: Pending | null = null;
  private lastEmitAt: number | null = null;
  private cancelFlush: (() => void) | null = null;
  private cancelHeartbeat: (() => void) | null = null;
  private cancelSilence: (() => void) | null = null;
  private lastRejectAt: number | null = null;
  private suppressedSinceReport = 0;
  /** Parser refusals at the last heartbeat, to flag new ones. */
  private badBlocksAtLastHb = 0;
  private fw: string | null = null;
  private lastReading: VeDirectReading | null = null;
  private lastHistory: VeDirectReading | null = null;
  private readonly counts = { messages: 0, heartbeats: 0, superseded: 0, rejected: 0, rejectsSuppressed: 0 };

  constructor(opts: VeDirectLinkOptions) {
    const id = NodeIdSchema.safeParse(opts.node);
    if (!id.success) throw new RangeError(`VE.Direct link: invalid node id '${opts.node}': ${id.error.issues[0]?.message ?? 'invalid'}`);
    this.path = opts.path;
    this.node = opts.node;
    this.name = opts.name ?? `vedirect:${opts.path}`;
    this.baudRate = opts.baudRate ?? VEDIRECT_BAUD_RATE;
    this.log = opts.log ?? createLogger('gw:vedirect');
    this.clock = opts.clock ?? new SystemClock();
    this.intervalMs = positive('intervalMs', opts.intervalMs ?? DEFAULT_BATTERY_INTERVAL_MS);
    this.heartbeatMs = positive('heartbeatMs', opts.heartbeatMs ?? DEFAULT_HEARTBEAT_MS);
    this.silenceMs = positive('silenceMs', opts.silenceMs ?? DEFAULT_SILENCE_MS);
    this.rejectIntervalMs = positive('rejectIntervalMs', opts.rejectIntervalMs ?? DEFAULT_REJECT_INTERVAL_MS);
    this.boot = opts.boot ?? Math.floor(this.clock.now() / 1000);
    if (!Number.isInteger(this.boot) || this.boot < 0 || this.boot > 0xffffffff) throw new RangeError(`VE.Direct link: boot must be a u32 (got ${this.boot})`);
    this.bus = new EventBus<LinkEvents>(this.log);
    this.parser = new VeDirectParser((r) => this.reject(r.reason, r.detail));
    this.device = new ReopeningPort(
      { path: this.path, baudRate: this.baudRate, createPort: opts.createPort ?? nativePort, log: this.log, ...(opts.backoff ? { backoff: opts.backoff } : {}) },
      {
        opened: () => {
          // Whatever arrives first is the tail of a block already under way.
          this.parser.reset();
          this.log.info('device open', { path: this.path, baudRate: this.baudRate, node: this.node });
          this.bus.emit('status', { link: this.name, up: true });
        },
        data: (chunk) => this.onData(chunk),
        lost: () => this.goOffline(),
        down: (detail) => this.bus.emit('status', { link: this.name, up: false, detail }),
      },
    );
  }

  on<K extends keyof LinkEvents>(event: K, fn: (payload: LinkEvents[K]) => void): () => void {
    return this.bus.on(event, fn);
  }

  /** Resolves after the first open attempt; if it failed, retries continue in the background. */
  async start(): Promise<void> {
    if (this.device.started) return;
    this.startedAt = this.clock.now();
    await this.device.start();
  }

  async stop(): Promise<void> {
    await this.device.stop();
    this.goOffline();
  }

  /** The monitor takes no commands over this link. */
  send(_msg: DownlinkMessage): boolean {
    return false;
  }

  get stats(): VeDirectLinkStats {
    return { ...this.parser.stats, ...this.counts, ...this.device.counts, up: this.device.up, online: this.online };
  }

  /** The last main block and the last history block, decoded (for diagnostics). */
  get latest(): { reading: VeDirectReading | null; history: VeDirectReading | null } {
    return { reading: this.lastReading, history: this.lastHistory };
  }

  private onData(chunk: Buffer): void {
    try {
      for (const block of this.parser.push(chunk)) this.onBlock(block);
    } catch (err) {
      // Nothing above should throw; if it does, losing one chunk beats killing the process.
      this.log.error('data handler failed', { path: this.path, error: errorMessage(err) });
    }
  }

  private onBlock(block: VeDirectBlock): void {
    const reading = decodeFields(block.fields);
    if (reading.firmware !== null) this.fw = reading.firmware;
    if (!isBatteryBlock(block.fields)) {
      // The BMV alternates its live block with a history block (H1…H18): kept for diagnostics only.
      this.lastHistory = reading;
      return;
    }
    const now = this.clock.now();
    this.lastReading = reading;
    this.watchSilence();
    if (!this.online) this.goOnline();
    if (this.pending) this.counts.superseded++;
    this.pending = { reading, hasTtg: block.fields.has('TTG'), at: now };
    if (this.lastEmitAt === null || now - this.lastEmitAt >= this.intervalMs) this.flush();
    else if (!this.cancelFlush) this.cancelFlush = this.clock.setTimeout(() => this.flush(), this.lastEmitAt + this.intervalMs - now);
  }

  private flush(): void {
    this.cancelFlush?.();
    this.cancelFlush = null;
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    this.lastEmitAt = this.clock.now();
    const r = p.reading;
    const body: BatteryBody = {
      v: r.voltageV,
      a: r.currentA,
      soc: r.socPct,
      // Without a voltage the monitor's readings cannot be trusted (shunt fault, wrong device).
      status: r.voltageV === null ? 'fault' : 'ok',
      ...(p.hasTtg ? { ttgMin: r.ttgMin } : {}),
    };
    if (this.emitMessage({ type: 'battery', body, ts: p.at }, p.at)) this.counts.messages++;
  }

  private heartbeat(): void {
    const now = this.clock.now();
    const flags: string[] = [];
    const r = this.lastReading;
    if (r?.alarm) {
      flags.push('ALARM');
      for (const reason of r.alarmReasons ?? []) flags.push(reason.toUpperCase().replace(/-/g, '_'));
    }
    const bad = this.parser.stats.checksum + this.parser.stats.malformed;
    if (bad > this.badBlocksAtLastHb) flags.push('BAD_BLOCKS');
    this.badBlocksAtLastHb = bad;
    const body: HeartbeatBody = {
      kind: 'vedirect',
      fw: (this.fw ?? 'unknown').slice(0, 32),
      up: Math.min(0xffffffff, Math.max(0, Math.floor((now - this.startedAt) / 1000))),
      mem: null,
      flags: flags.slice(0, 16),
      link: 'serial',
    };
    if (this.emitMessage({ type: 'hb', body, ts: now }, now)) this.counts.heartbeats++;
  }

  /** Wraps a body in the virtual node's envelope, checks it against the schema and emits it. */
  private emitMessage(m: { type: 'battery'; body: BatteryBody; ts: number } | { type: 'hb'; body: HeartbeatBody; ts: number }, receivedAt: number): boolean {
    const candidate = { v: PROTOCOL_VERSION, node: this.node, boot: this.boot, seq: this.seq, ts: Math.max(0, Math.round(m.ts)), type: m.type, body: m.body };
    let msg: UplinkMessage;
    try {
      const parsed = parseMessage(candidate);
      if (!isUplink(parsed)) return false;
      msg = parsed;
    } catch (err) {
      // Only a decoder bug or a value outside the schema's range (e.g. a wild SOC) gets here.
      this.reject('schema', errorMessage(err));
      return false;
    }
    this.seq = (this.seq + 1) >>> 0;
    this.bus.emit('message', { msg, link: this.name, receivedAt });
    return true;
  }

  private goOnline(): void {
    this.online = true;
    this.log.info('monitor heard', { path: this.path, node: this.node, fw: this.fw });
    this.bus.emit('availability', { link: this.name, node: this.node, online: true });
    this.heartbeat();
    this.cancelHeartbeat = this.clock.setInterval(() => this.heartbeat(), this.heartbeatMs);
  }

  /** Stops the virtual node's traffic; a reading still waiting for its slot is dropped. */
  private goOffline(): void {
    this.cancelFlush?.();
    this.cancelFlush = null;
    this.cancelHeartbeat?.();
    this.cancelHeartbeat = null;
    this.cancelSilence?.();
    this.cancelSilence = null;
    this.pending = null;
    if (!this.online) return;
    this.online = false;
    this.bus.emit('availability', { link: this.name, node: this.node, online: false });
  }

  private watchSilence(): void {
    this.cancelSilence?.();
    this.cancelSilence = this.clock.setTimeout(() => {
      this.cancelSilence = null;
      this.log.warn('no valid VE.Direct block', { path: this.path, forMs: this.silenceMs });
      this.goOffline();
    }, this.silenceMs);
  }

  private reject(reason: VeDirectLinkRejectReason, detail: string): void {
    const now = this.clock.now();
    if (this.lastRejectAt !== null && now - this.lastRejectAt < this.rejectIntervalMs) {
      this.counts.rejectsSuppressed++;
      this.suppressedSinceReport++;
      return;
    }
    const more = this.suppressedSinceReport > 0 ? ` (+${this.suppressedSinceReport} more since the last report)` : '';
    this.lastRejectAt = now;
    this.suppressedSinceReport = 0;
    this.counts.rejected++;
    this.log.debug(() => `rejected (${reason}): ${detail}${more}`);
    this.bus.emit('rejected', { link: this.name, reason, detail: detail + more, node: this.node });
  }
}

function positive(name: string, ms: number): number {
  if (!(ms > 0) || !Number.isFinite(ms)) throw new RangeError(`VE.Direct link: ${name} must be > 0 (got ${ms})`);
  return ms;
}
