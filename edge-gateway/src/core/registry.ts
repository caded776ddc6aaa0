// What the gateway knows about each node now: identity, the latest stored reading per type, and whether
// the node is alive. A node that misses K heartbeat intervals is stale, and a stale node's sensor values
// read as unknown (null) — never 0 and never the last value as if it were current.
// Fed by the bus (events are emitted only after the ingest stored them) and restored from the store.
import type { EventBus } from './bus.js';
import type { Clock } from './clock.js';
import type { GatewayEvents, TelemetryMessage, TelemetryType } from './events.js';
import type { HeartbeatBody, NodeKind } from '../protocol/index.js';
import { NODE_KINDS, TELEMETRY_TYPES } from '../protocol/index.js';
import type { Store } from '../store/index.js';

export const DEFAULT_HEARTBEAT_MS = 60_000;
export const DEFAULT_MISSED_HEARTBEATS = 3;

export interface RegistryOptions {
  bus: EventBus<GatewayEvents>;
  clock: Clock;
  /** Restore nodes and latest readings from here at start(). */
  store?: Store;
  /** Heartbeat interval per node kind (nodes of unknown kind use `defaultHeartbeatMs`). */
  heartbeatMs?: Partial<Record<NodeKind, number>>;
  defaultHeartbeatMs?: number;
  /** Stale after this many heartbeat intervals without any message. */
  missedHeartbeats?: number;
}

export type BodyOf<T extends TelemetryType> = Extract<TelemetryMessage, { type: T }>['body'];

export interface LatestReading<T extends TelemetryType = TelemetryType> {
  /** The reading, or null while the node is stale (unknown, not zero). */
  body: BodyOf<T> | null;
  /** The last body received, for diagnostics ("last known 40 l, 3 h ago"); never show it as current. */
  lastKnown: BodyOf<T>;
  ts: number;
  receivedAt: number;
}

export interface NodeView {
  id: string;
  kind: NodeKind | null;
  fw: string | null;
  boot: number | null;
  online: boolean;
  lastSeen: number | null;
  lastHeartbeat: HeartbeatBody | null;
  lastHeartbeatAt: number | null;
  readings: { [T in TelemetryType]?: LatestReading<T> };
}

interface NodeState {
  id: string;
  kind: NodeKind | null;
  fw: string | null;
  boot: number | null;
  lastSeen: number | null;
  lastHeartbeat: HeartbeatBody | null;
  lastHeartbeatAt: number | null;
  online: boolean;
  readings: Map<TelemetryType, { body: unknown; ts: number; receivedAt: number }>;
  cancel: (() => void) | null;
}

/** Telemetry type → kind, for nodes whose heartbeat we have not seen yet. */
const KIND_OF_TYPE: Record<TelemetryType, NodeKind> = { fuel: 'fuel', battery: 'battery', visitors: 'visitors', charger: 'charger' };

function asKind(k: string | null): NodeKind | null {
  return k !== null && (NODE_KINDS as readonly string[]).includes(k) ? (k as NodeKind) : null;
}

export class NodeRegistry {
  private readonly nodesById = new Map<string, NodeState>();
  private readonly offs: Array<() => void> = [];
  private readonly missed: number;
  private readonly defaultHb: number;

  constructor(private readonly opts: RegistryOptions) {
    this.missed = opts.missedHeartbeats ?? DEFAULT_MISSED_HEARTBEATS;
    this.defaultHb = opts.defaultHeartbeatMs ?? DEFAULT_HEARTBEAT_MS;
  }

  /** Restores from the store (if any), then follows the bus. */
  start(): void {
    if (this.offs.length) return;
    if (this.opts.store) this.restore(this.opts.store);
    const bus = this.opts.bus;
    this.offs.push(
      bus.on('reading', ({ msg, receivedAt }) => {
        const n = this.touch(msg.node, msg.boot, receivedAt);
        n.kind ??= KIND_OF_TYPE[msg.type];
        const prev = n.readings.get(msg.type);
        if (!prev || receivedAt >= prev.receivedAt) n.readings.set(msg.type, { body: msg.body, ts: msg.ts, receivedAt });
        this.alive(n);
      }),
      bus.on('heartbeat', ({ msg, receivedAt }) => {
        const n = this.touch(msg.node, msg.boot, receivedAt);
        if (n.lastHeartbeatAt === null || receivedAt >= n.lastHeartbeatAt) {
          n.kind = msg.body.kind;
          n.fw = msg.body.fw;
          n.lastHeartbeat = msg.body;
          n.lastHeartbeatAt = receivedAt;
        }
        this.alive(n);
      }),
      bus.on('result', ({ msg, receivedAt }) => this.alive(this.touch(msg.node, msg.boot, receivedAt))),
    );
  }

  stop(): void {
    for (const off of this.offs.splice(0)) off();
    for (const n of this.nodesById.values()) {
      n.cancel?.();
      n.cancel = null;
    }
  }

  /** Ms of silence after which a node of this kind is stale. */
  staleAfterMs(kind: NodeKind | null): number {
    const hb = (kind !== null ? this.opts.heartbeatMs?.[kind] : undefined) ?? this.defaultHb;
    return hb * this.missed;
  }

  isOnline(id: string): boolean {
    return this.nodesById.get(id)?.online ?? false;
  }

  /** Latest reading of a type; body is null while the node is stale. Undefined if never received. */
  reading<T extends TelemetryType>(id: string, type: T): LatestReading<T> | undefined {
    const n = this.nodesById.get(id);
    const r = n?.readings.get(type);
    if (!n || !r) return undefined;
    return { body: n.online ? (r.body as BodyOf<T>) : null, lastKnown: r.body as BodyOf<T>, ts: r.ts, receivedAt: r.receivedAt };
  }

  /** One field of the latest reading; null when unknown: stale node, never received, or the node sent null. */
  value<T extends TelemetryType, K extends keyof BodyOf<T>>(id: string, type: T, field: K): BodyOf<T>[K] | null {
    const body = this.reading(id, type)?.body;
    return body ? (body[field] ?? null) : null;
  }

  node(id: string): NodeView | undefined {
    const n = this.nodesById.get(id);
    return n ? this.view(n) : undefined;
  }

  nodes(): NodeView[] {
    return [...this.nodesById.values()].sort((a, b) => a.id.localeCompare(b.id)).map((n) => this.view(n));
  }

  private view(n: NodeState): NodeView {
    const readings: NodeView['readings'] = {};
    for (const t of TELEMETRY_TYPES) {
      const r = this.reading(n.id, t);
      if (r) (readings as Record<string, LatestReading>)[t] = r;
    }
    return {
      id: n.id,
      kind: n.kind,
      fw: n.fw,
      boot: n.boot,
      online: n.online,
      lastSeen: n.lastSeen,
      lastHeartbeat: n.lastHeartbeat,
      lastHeartbeatAt: n.lastHeartbeatAt,
      readings,
    };
  }

  private state(id: string): NodeState {
    let n = this.nodesById.get(id);
    if (!n) {
      n = { id, kind: null, fw: null, boot: null, lastSeen: null, lastHeartbeat: null, lastHeartbeatAt: null, online: false, readings: new Map(), cancel: null };
      this.nodesById.set(id, n);
    }
    return n;
  }

  private touch(id: string, boot: number, at: number): NodeState {
    const n = this.state(id);
    if (n.boot === null || boot > n.boot) n.boot = boot;
    if (n.lastSeen === null || at > n.lastSeen) n.lastSeen = at;
    return n;
  }

  /** Re-arms the stale timer from lastSeen and reports the node online if it was not. */
  private alive(n: NodeState): void {
    const now = this.opts.clock.now();
    const left = (n.lastSeen ?? now) + this.staleAfterMs(n.kind) - now;
    n.cancel?.();
    n.cancel = null;
    if (left <= 0) {
      // Old news (e.g. restored, or a late resend): does not make a stale node current.
      this.setOnline(n, false);
      return;
    }
    n.cancel = this.opts.clock.setTimeout(() => {
      n.cancel = null;
      this.setOnline(n, false);
    }, left);
    this.setOnline(n, true);
  }

  private setOnline(n: NodeState, online: boolean): void {
    if (n.online === online) return;
    n.online = online;
    this.opts.bus.emit('availability', { node: n.id, online, kind: n.kind, lastSeen: n.lastSeen, at: this.opts.clock.now() });
  }

  private restore(store: Store): void {
    for (const r of store.loadNodes()) {
      const n = this.state(r.name);
      n.kind = asKind(r.kind);
      n.fw = r.fw;
      n.boot = r.boot;
      n.lastSeen = r.lastSeen;
      n.lastHeartbeat = r.lastHeartbeat;
      n.lastHeartbeatAt = r.lastHeartbeatAt;
    }
    for (const m of store.latestMessages()) {
      const n = this.touch(m.node, m.boot, m.received);
      if ((TELEMETRY_TYPES as readonly string[]).includes(m.type)) {
        const t = m.type as TelemetryType;
        n.kind ??= KIND_OF_TYPE[t];
        n.readings.set(t, { body: m.body, ts: m.ts, receivedAt: m.received });
      } else if (m.type === 'hb' && (n.lastHeartbeatAt === null || m.received >= n.lastHeartbeatAt)) {
        const hb = m.body as HeartbeatBody;
        n.lastHeartbeat = hb;
        n.lastHeartbeatAt = m.received;
        n.kind = hb.kind;
        n.fw = hb.fw;
      }
    }
    // Restored nodes start offline; those heard recently enough become online with the time they have left.
    for (const n of this.nodesById.values()) if (n.lastSeen !== null) this.alive(n);
  }
}
