// Links → store → acks and bus events, with group commit: accepted messages wait in memory for at most
// `commitIntervalMs` (or until `maxBatch` are queued) and are then written in ONE transaction — one WAL
// append and one fsync for the lot. Only after that commit returns are they acknowledged and announced:
// an ack promises the node it may forget the message, so it must be on disk first.
import type { Clock } from '../core/clock.js';
import type { EventBus } from '../core/bus.js';
import type { GatewayEvents, TelemetryMessage } from '../core/events.js';
import type { NodeLink } from '../links/link.js';
import type { Logger } from '../log/logger.js';
import { errorMessage, silentLogger } from '../log/logger.js';
import type { MessageOf, UplinkMessage } from '../protocol/index.js';
import { PROTOCOL_VERSION, UPLINK_TYPES } from '../protocol/index.js';
import type { EventRecord, MaintenanceOptions, MaintenanceResult, MessageRow, Store } from '../store/index.js';
import { Dedup } from './dedup.js';

export type AckMessage = MessageOf<'ack'>;

/**
 * Every commit costs an fsync and at least one rewritten 4 KiB block of the WAL, whatever it holds, so
 * on the SD card the commit count dominates: a simulated day of default telemetry wrote 73 MB at 10 s,
 * 61 MB at 15 s, 55 MB at 20 s and 45 MB at 30 s (bench/README.md `## ingest`; goal ≤ 50 MB/day). Urgent messages
 * (command results, faults) skip the wait (urgentCommitMs). Nodes must therefore hold unacknowledged
 * messages, and wait for an ack, somewhat longer than this.
 */
export const DEFAULT_COMMIT_INTERVAL_MS = 30_000;
/** Retention pass every 15 min (hourly measured no cheaper); it folds complete hours only. */
export const DEFAULT_MAINTENANCE_INTERVAL_MS = 15 * 60_000;
/** AckBody allows at most 64 seqs per ack. */
const MAX_SEQS_PER_ACK = 64;

/** Command results and faults: services act on them, so they skip most of the group-commit wait. */
export function isUrgent(msg: UplinkMessage): boolean {
  switch (msg.type) {
    case 'result':
      return true;
    case 'charger':
      return msg.body.failsafe || msg.body.ports.some((p) => p.fault !== null);
    case 'fuel':
      return msg.body.status !== 'ok';
    case 'battery':
      return msg.body.status !== 'ok';
    default:
      return false;
  }
}

export interface IngestOptions {
  store: Store;
  bus: EventBus<GatewayEvents>;
  clock: Clock;
  log?: Logger;
  /** Longest time an accepted message waits for its commit (and thus its ack). */
  commitIntervalMs?: number;
  /**
   * Messages that should not wait the full interval (command results, faults) are committed within this
   * many ms. Default 50.
   */
  urgentCommitMs?: number;
  /** Which messages are urgent; default: see isUrgent(). */
  isUrgent?: (msg: UplinkMessage) => boolean;
  /** Commit at once when this many messages are queued. */
  maxBatch?: number;
  /** Larger bodies are refused (protects the card from a runaway node). */
  maxBodyBytes?: number;
  /**
   * Sends an ack downlink on the named link. Default: `send` of the link registered with attach().
   * Returns false when the node is not reachable; the node will then resend and be acked as a duplicate.
   */
  sendAck?: (link: string, ack: AckMessage) => boolean;
  /** Seq for the gateway's downlinks (shared with commands); default: a counter local to this ingest. */
  nextSeq?: () => number;
  /** Retention/downsampling pass every this many ms of clock time; null: the caller runs maintenance(). */
  maintenanceIntervalMs?: number | null;
  maintenance?: MaintenanceOptions;
}

export interface IngestStats {
  accepted: number;
  stored: number;
  /** Resends of messages already stored (acked again, announced as `duplicate`). */
  duplicates: number;
  /** Resends of messages still queued for their commit (share its ack; not announced). */
  resends: number;
  rejected: number;
  commits: number;
  failedCommits: number;
  acksSent: number;
  acksUndeliverable: number;
}

interface Fresh {
  dup: false;
  msg: UplinkMessage;
  row: MessageRow;
}
interface Dup {
  dup: true;
  /** A resend of a message still waiting for its commit (node retried before our ack could come). */
  pending: boolean;
  msg: UplinkMessage;
  link: string;
  receivedAt: number;
}
type Item = Fresh | Dup;

export class Ingest {
  private readonly store: Store;
  private readonly bus: EventBus<GatewayEvents>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly commitIntervalMs: number;
  private readonly maxBatch: number;
  private readonly maxBodyBytes: number;
  private readonly sendAckFn: (link: string, ack: AckMessage) => boolean;
  private readonly nextSeq: () => number;
  private readonly maintenanceIntervalMs: number | null;
  private readonly maintenanceOpts: MaintenanceOptions;
  private readonly dedup = new Dedup();
  private readonly links = new Map<string, NodeLink>();
  private queue: Item[] = [];
  /** Keys of messages queued but not yet committed, so a resend in the same window is not stored twice. */
  private pendingKeys = new Set<string>();
  private pendingEvents: EventRecord[] = [];
  private cancelCommit: (() => void) | null = null;
  private commitDueAt = Infinity;
  private readonly urgentCommitMs: number;
  private readonly isUrgent: (msg: UplinkMessage) => boolean;
  private cancelMaintenance: (() => void) | null = null;
  private cancelMore: (() => void) | null = null;
  private seq = 0;
  private started = false;
  readonly stats: IngestStats = { accepted: 0, stored: 0, duplicates: 0, resends: 0, rejected: 0, commits: 0, failedCommits: 0, acksSent: 0, acksUndeliverable: 0 };

  constructor(opts: IngestOptions) {
    this.store = opts.store;
    this.bus = opts.bus;
    this.clock = opts.clock;
    this.log = opts.log ?? silentLogger;
    this.commitIntervalMs = opts.commitIntervalMs ?? DEFAULT_COMMIT_INTERVAL_MS;
    this.maxBatch = Math.max(1, opts.maxBatch ?? 512);
    this.urgentCommitMs = opts.urgentCommitMs ?? 50;
    this.isUrgent = opts.isUrgent ?? isUrgent;
    this.maxBodyBytes = opts.maxBodyBytes ?? 4096;
    this.sendAckFn = opts.sendAck ?? ((link, ack) => this.links.get(link)?.send(ack) ?? false);
    this.nextSeq = opts.nextSeq ?? (() => (this.seq = (this.seq + 1) >>> 0));
    this.maintenanceIntervalMs = opts.maintenanceIntervalMs === undefined ? DEFAULT_MAINTENANCE_INTERVAL_MS : opts.maintenanceIntervalMs;
    this.maintenanceOpts = opts.maintenance ?? {};
  }

  /** Rebuilds dedup state from the store and starts the maintenance timer. */
  start(): void {
    if (this.started) return;
    const t0 = Date.now();
    for (const f of this.store.dedupFloors()) this.dedup.addFloor(f.node, f.boot, f.seq);
    let rows = 0;
    for (const [node, boot, seq] of this.store.messageKeys()) {
      this.dedup.add(node, boot, seq);
      rows++;
    }
    this.log.info('dedup restored', { rows, intervals: this.dedup.size, ms: Date.now() - t0 });
    if (this.maintenanceIntervalMs !== null) {
      this.cancelMaintenance = this.clock.setInterval(() => this.runMaintenance(), this.maintenanceIntervalMs);
    }
    this.started = true;
  }

  /** Commits what is queued and stops the timers. The store stays open (its owner closes it). */
  stop(): void {
    if (!this.started) return;
    this.flush();
    this.cancelMaintenance?.();
    this.cancelMore?.();
    this.cancelMaintenance = this.cancelMore = null;
    this.started = false;
  }

  /** Feeds a link's messages into this ingest and sends its acks back over it. Returns a detach function. */
  attach(link: NodeLink): () => void {
    this.links.set(link.name, link);
    const off = link.on('message', ({ msg, link: name, receivedAt }) => this.accept(msg, name, receivedAt));
    return () => {
      off();
      if (this.links.get(link.name) === link) this.links.delete(link.name);
    };
  }

  /** Queues one uplink message; it is stored and acknowledged at the next group commit. */
  accept(msg: UplinkMessage, link: string, receivedAt: number): void {
    if (!this.started) {
      // Stopping (or not yet started): not stored, not acked — the node resends.
      this.log.debug(() => 'message dropped: ingest not running', { node: msg.node, seq: msg.seq, link });
      return;
    }
    this.stats.accepted++;
    if (!(UPLINK_TYPES as readonly string[]).includes(msg.type)) {
      this.reject(msg, link, 'not-uplink', `type ${String(msg.type)} is not an uplink type`);
      return;
    }
    const key = `${msg.node}\u0000${msg.boot}\u0000${msg.seq}`;
    const pending = this.pendingKeys.has(key);
    if (pending || this.dedup.has(msg.node, msg.boot, msg.seq)) {
      this.enqueue({ dup: true, pending, msg, link, receivedAt });
      return;
    }
    let body: string;
    try {
      body = JSON.stringify(msg.body);
      if (typeof body !== 'string') throw new TypeError('body is not JSON-serialisable');
    } catch (err) {
      this.reject(msg, link, 'unserialisable', errorMessage(err));
      return;
    }
    if (body.length > this.maxBodyBytes) {
      this.reject(msg, link, 'too-large', `body of ${body.length} bytes exceeds ${this.maxBodyBytes}`);
      return;
    }
    this.pendingKeys.add(key);
    this.enqueue({ dup: false, msg, row: { node: msg.node, boot: msg.boot, seq: msg.seq, ts: msg.ts, received: receivedAt, type: msg.type, body, link } });
  }

  private enqueue(item: Item): void {
    this.queue.push(item);
    if (this.queue.length >= this.maxBatch) this.flush();
    else this.armCommit(!item.dup && this.isUrgent(item.msg) ? this.urgentCommitMs : this.commitIntervalMs);
  }

  /** Makes sure a commit happens within `ms`; an earlier deadline already armed is kept. */
  private armCommit(ms = this.commitIntervalMs): void {
    const due = this.clock.now() + ms;
    if (this.cancelCommit && due >= this.commitDueAt) return;
    this.cancelCommit?.();
    this.commitDueAt = due;
    this.cancelCommit = this.clock.setTimeout(() => {
      this.cancelCommit = null;
      this.flush();
    }, ms);
  }

  /**
   * Queues an event for the events table; it is written with the next group commit (within
   * commitIntervalMs), so services that log events do not each cost the card an fsync.
   */
  recordEvent(e: EventRecord, urgent = false): void {
    this.pendingEvents.push(e);
    this.armCommit(urgent ? this.urgentCommitMs : this.commitIntervalMs);
  }

  /** Number of messages waiting for a commit. */
  get queued(): number {
    return this.queue.length;
  }

  /** Commits the queue now (also called by the timer); then acks and emits. Returns messages stored. */
  flush(): number {
    this.cancelCommit?.();
    this.cancelCommit = null;
    this.commitDueAt = Infinity;
    const items = this.queue;
    const events = this.pendingEvents;
    if (!items.length && !events.length) return 0;
    this.queue = [];
    this.pendingKeys = new Set();
    this.pendingEvents = [];
    const fresh = items.filter((i): i is Fresh => !i.dup);
    const rows = fresh.map((i) => i.row);
    let failed: Set<number>;
    try {
      const res = this.store.commit(rows, events);
      failed = new Set(res.failed.map((f) => f.index));
      for (const f of res.failed) {
        const it = fresh[f.index]!;
        this.reject(it.msg, it.row.link, 'store-refused', errorMessage(f.error));
      }
      this.stats.commits++;
    } catch (err) {
      // Nothing of this batch is stored: no acks, the nodes resend. Events of the batch are lost with it.
      this.stats.failedCommits++;
      this.log.error('group commit failed', { messages: rows.length, error: errorMessage(err), cause: errorMessage((err as { cause?: unknown }).cause) });
      this.bus.emit('storeError', { op: 'commit', detail: errorMessage((err as { cause?: unknown }).cause ?? err), messages: rows.length });
      return 0;
    }

    const acks = new Map<string, { link: string; node: string; boot: number; seqs: Set<number> }>();
    const ack = (link: string, m: UplinkMessage) => {
      const k = `${link}\u0000${m.node}\u0000${m.boot}`;
      let a = acks.get(k);
      if (!a) acks.set(k, (a = { link, node: m.node, boot: m.boot, seqs: new Set() }));
      a.seqs.add(m.seq);
    };
    const stored: Fresh[] = [];
    fresh.forEach((it, i) => {
      if (failed.has(i)) return;
      this.dedup.add(it.msg.node, it.msg.boot, it.msg.seq);
      stored.push(it);
      ack(it.row.link, it.msg);
    });
    const dups: Dup[] = [];
    for (const it of items) {
      // A resend of a message whose store failed in this very batch is not acked.
      if (it.dup && this.dedup.has(it.msg.node, it.msg.boot, it.msg.seq)) {
        dups.push(it);
        ack(it.link, it.msg);
      }
    }
    this.stats.stored += stored.length;
    for (const d of dups) {
      if (d.pending) this.stats.resends++;
      else this.stats.duplicates++;
    }

    for (const a of acks.values()) this.sendAcks(a.link, a.node, a.boot, [...a.seqs]);
    for (const it of stored) this.announce(it);
    for (const d of dups) {
      if (d.pending) continue;
      this.bus.emit('duplicate', { node: d.msg.node, boot: d.msg.boot, seq: d.msg.seq, type: d.msg.type, link: d.link, receivedAt: d.receivedAt });
    }
    return stored.length;
  }

  private sendAcks(link: string, node: string, boot: number, seqs: number[]): void {
    for (let i = 0; i < seqs.length; i += MAX_SEQS_PER_ACK) {
      const msg: AckMessage = {
        v: PROTOCOL_VERSION,
        node,
        boot: this.store.boot,
        seq: this.nextSeq(),
        ts: this.clock.now(),
        type: 'ack',
        body: { boot, seqs: seqs.slice(i, i + MAX_SEQS_PER_ACK) },
      };
      let sent = false;
      try {
        sent = this.sendAckFn(link, msg);
      } catch (err) {
        this.log.warn('ack send failed', { link, node, error: errorMessage(err) });
      }
      if (sent) this.stats.acksSent++;
      else this.stats.acksUndeliverable++;
    }
  }

  private announce(it: Fresh): void {
    const { msg } = it;
    const base = { link: it.row.link, receivedAt: it.row.received };
    switch (msg.type) {
      case 'hb':
        this.bus.emit('heartbeat', { ...base, msg });
        break;
      case 'result':
        this.bus.emit('result', { ...base, msg });
        break;
      default:
        this.bus.emit('reading', { ...base, msg: msg as TelemetryMessage });
    }
  }

  private reject(msg: UplinkMessage, link: string, reason: GatewayEvents['rejected']['reason'], detail: string): void {
    this.stats.rejected++;
    const where = { node: msg.node, boot: msg.boot, seq: msg.seq, link };
    this.log.warn('message rejected', { ...where, type: msg.type, reason, detail });
    this.pendingEvents.push({ ts: this.clock.now(), level: 'warn', source: this.log.ns, kind: 'message-rejected', data: { ...where, type: msg.type, reason, detail } });
    this.armCommit();
    this.bus.emit('rejected', { ...where, reason, detail });
  }

  /** Retention and downsampling; dedup learns the floors of pruned rows so it matches a restart. */
  maintenance(now = this.clock.now()): MaintenanceResult {
    const res = this.store.maintenance(now, this.maintenanceOpts);
    for (const f of res.floors) this.dedup.addFloor(f.node, f.boot, f.seq);
    return res;
  }

  private runMaintenance(): void {
    this.cancelMore?.();
    this.cancelMore = null;
    try {
      const res = this.maintenance();
      if (res.folded || res.deleted || res.eventsDeleted) this.log.debug(() => 'maintenance', { ...res, floors: res.floors.length });
      // A backlog (after downtime) continues in slices so ingest keeps its latency.
      if (res.more) this.cancelMore = this.clock.setTimeout(() => this.runMaintenance(), 1000);
    } catch (err) {
      this.log.error('maintenance failed', { error: errorMessage(err) });
    }
  }
}
