// Sending signed board content to one point, a group or all: the target is inside the signed payload,
// and delivery is per point (a point's MQTT user may only read its own subtree). Points on LoRa get
// the compact template form instead, when the broadcast has one. The tracker collects what each point
// answered (BoardResult), so the console can show who shows it and who refused it, and why.
import type { BoardMessage } from '../lora/codec/index.js';
import { pointTopics } from '../protocol/index.js';
import type { LinkType } from './alerts.js';
import type { BoardTarget, SignedBoard } from './signing/envelope.js';
import type { BoardResult } from './signing/verifier.js';

export interface DirectoryEntry {
  point: string;
  groups: readonly string[];
  link: LinkType;
}

export type Delivery =
  | { point: string; via: 'mqtt'; topic: string; payload: string }
  | { point: string; via: 'lora'; board: BoardMessage }
  /** A LoRa point and no compact form: the operator must pick a template for it. */
  | { point: string; via: 'none'; reason: 'no-compact-form' };

export function targets(target: BoardTarget, e: Pick<DirectoryEntry, 'point' | 'groups'>): boolean {
  if (target.kind === 'all') return true;
  if (target.kind === 'point') return target.point === e.point;
  return e.groups.includes(target.group);
}

export function planBroadcast(signed: SignedBoard, compact: BoardMessage | null, directory: readonly DirectoryEntry[]): Delivery[] {
  const payload = JSON.stringify(signed);
  return directory
    .filter((e) => targets(signed.payload.target, e))
    .map((e): Delivery => {
      if (e.link === 'mqtt') return { point: e.point, via: 'mqtt', topic: pointTopics.board(e.point), payload };
      return compact ? { point: e.point, via: 'lora', board: compact } : { point: e.point, via: 'none', reason: 'no-compact-form' };
    });
}

export interface BroadcastState {
  seq: number;
  accepted: string[];
  rejected: { point: string; reason: string; detail: string }[];
  pending: string[];
}

export class BroadcastTracker {
  private readonly sent = new Map<number, { points: Set<string>; results: Map<string, BoardResult> }>();

  /** Remember which points a broadcast (by its signed sequence) went to. */
  record(seq: number, points: readonly string[]): void {
    this.sent.set(seq, { points: new Set(points), results: new Map() });
  }

  /** A point's answer; ignored when it is not about a broadcast this tracker sent to that point. */
  result(r: BoardResult): boolean {
    if (r.seq === null) return false;
    const b = this.sent.get(r.seq);
    if (!b || !b.points.has(r.point)) return false;
    b.results.set(r.point, r);
    return true;
  }

  state(seq: number): BroadcastState | null {
    const b = this.sent.get(seq);
    if (!b) return null;
    const results = [...b.results.values()];
    return {
      seq,
      accepted: results.filter((r) => r.result === 'accepted').map((r) => r.point).sort(),
      rejected: results.filter((r) => r.result !== 'accepted').map((r) => ({ point: r.point, reason: r.result, detail: r.detail })),
      pending: [...b.points].filter((p) => !b.results.has(p)).sort(),
    };
  }
}
