// Default telemetry of a point for benchmarks: 8 nodes sending valid protocol messages at their default
// intervals, driven by any Clock (ManualClock for simulated days, SystemClock for live load).
// Not the simulator (edge-gateway/src/sim): just plausible, varying message bodies at the right rates.
import type { Clock } from '../../edge-gateway/src/core/clock.js';
import type { NodeKind, UplinkMessage } from '../../edge-gateway/src/protocol/index.js';
import { PROTOCOL_VERSION } from '../../edge-gateway/src/protocol/index.js';

type StreamType = 'fuel' | 'battery' | 'visitors' | 'charger' | 'hb';

/**
 * Default reporting intervals. Battery drives generator and load decisions (10 s). A charger's 8-port
 * body is the largest message and its ports change state rarely: every 30 s, plus at once on a port
 * change or fault (those are committed urgently). Fuel moves slowly and is median-filtered (30 s);
 * visitor counters report at most once a minute (assumed busy: every minute); heartbeats each minute.
 */
export const DEFAULT_INTERVALS_MS: Record<StreamType, number> = { battery: 10_000, charger: 30_000, fuel: 30_000, visitors: 60_000, hb: 60_000 };

export interface TelemetryNode {
  id: string;
  kind: NodeKind;
  types: StreamType[];
  /** Charger ports. */
  ports?: number;
}

/** A point's 8 nodes: fuel, two battery monitors (ESP32 shunt + VE.Direct), two door counters, three 8-port chargers. */
export const DEFAULT_NODES: TelemetryNode[] = [
  { id: 'fuel-1', kind: 'fuel', types: ['fuel', 'hb'] },
  { id: 'bat-1', kind: 'battery', types: ['battery', 'hb'] },
  { id: 'bat-2', kind: 'vedirect', types: ['battery', 'hb'] },
  { id: 'door-1', kind: 'visitors', types: ['visitors', 'hb'] },
  { id: 'door-2', kind: 'visitors', types: ['visitors', 'hb'] },
  { id: 'chg-1', kind: 'charger', types: ['charger', 'hb'], ports: 8 },
  { id: 'chg-2', kind: 'charger', types: ['charger', 'hb'], ports: 8 },
  { id: 'chg-3', kind: 'charger', types: ['charger', 'hb'], ports: 8 },
];

/** Messages per simulated day for a node set and intervals. */
export function messagesPerDay(nodes = DEFAULT_NODES, intervals = DEFAULT_INTERVALS_MS): number {
  return nodes.reduce((s, n) => s + n.types.reduce((t, ty) => t + 86_400_000 / intervals[ty], 0), 0);
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

/** Keeps seq counters across clocks, so a simulation can continue on a new clock after a restart. */
export class TelemetrySource {
  private readonly seq = new Map<string, number>();
  private stops: Array<() => void> = [];

  constructor(
    readonly nodes: TelemetryNode[] = DEFAULT_NODES,
    readonly intervals: Record<StreamType, number> = DEFAULT_INTERVALS_MS,
    readonly boot = 1,
  ) {}

  /** Starts every stream on `clock`, staggered so nodes do not all send in the same millisecond. */
  start(clock: Clock, emit: (msg: UplinkMessage) => void): void {
    this.nodes.forEach((node, ni) => {
      for (const type of node.types) {
        const every = this.intervals[type];
        const offset = (ni * 1237 + type.length * 311) % every;
        const tick = () => emit(this.message(node, type, clock.now()));
        let stopInterval: (() => void) | null = null;
        const stopTimeout = clock.setTimeout(() => {
          tick();
          stopInterval = clock.setInterval(tick, every);
        }, offset);
        this.stops.push(() => {
          stopTimeout();
          stopInterval?.();
        });
      }
    });
  }

  stop(): void {
    for (const s of this.stops.splice(0)) s();
  }

  message(node: TelemetryNode, type: StreamType, now: number): UplinkMessage {
    const seq = this.seq.get(node.id) ?? 0;
    this.seq.set(node.id, seq + 1);
    const env = { v: PROTOCOL_VERSION as typeof PROTOCOL_VERSION, node: node.id, boot: this.boot, seq, ts: now };
    const h = now / 3_600_000;
    switch (type) {
      case 'fuel': {
        const litres = r1(400 - (h % 40) * 9.5);
        return { ...env, type, body: { litres, pct: r1(litres / 4), rawMm: Math.round(100 + (400 - litres) * 2.1), status: 'ok', refuelling: false } };
      }
      case 'battery': {
        const soc = r1(60 + 30 * Math.sin(h / 3));
        const body = { v: r2(24 + soc / 40), a: r2(12 * Math.sin(h) - 4), soc, status: 'ok' as const };
        return { ...env, type, body: node.kind === 'vedirect' ? { ...body, ttgMin: Math.round(300 + soc * 5) } : body };
      }
      case 'visitors': {
        const entries = Math.floor(now / 45_000) % 100_000;
        const exits = Math.max(0, entries - 20 - Math.round(10 * Math.sin(h)));
        return { ...env, type, body: { entries, exits, inside: entries - exits } };
      }
      case 'charger': {
        const ports = Array.from({ length: node.ports ?? 8 }, (_, p) => {
          const on = Math.sin(h * 2 + p) > -0.3;
          return { p, on, mA: on ? Math.round(900 + 800 * Math.abs(Math.sin(h * 7 + p))) : 0, fault: null };
        });
        return { ...env, type, body: { ports, failsafe: false } };
      }
      case 'hb':
        return { ...env, type, body: { kind: node.kind, fw: '1.4.2', up: Math.floor((now / 1000) % 4_000_000), mem: 6000 - (seq % 500), flags: [], link: 'serial' } };
    }
  }
}
