// State and records of the charging service, shared by the service, its persistence and the evidence export.
import type { ShedStage } from './policy.js';
import type { DetectorState } from './detector.js';

export const PORT_STATES = ['free', 'offered', 'charging', 'done', 'fault', 'disabled'] as const;
export type PortStateName = (typeof PORT_STATES)[number];

/** How a session ended; 'stopped' = charging was switched off (coordinator or staff), or staff handed the phone back. */
export type SessionEnd = 'full' | 'unplugged' | 'timeout' | 'fault' | 'disabled' | 'stopped';
export type PortFault = 'overcurrent' | 'stuck-on' | 'sensor';

export interface Session {
  number: number;
  startedAt: number;
  /** Ms spent actually charging (pauses for power or an offline charger do not count against the time box). */
  activeMs: number;
  wh: number;
  paused: boolean;
  /** When the session was paused (for fairness in resuming). */
  pausedAt: number | null;
  /** Last current sample (for energy integration), null after a pause or gap. */
  lastMa: number | null;
  lastAt: number | null;
  detector: DetectorState;
}

export interface PortRecord {
  p: number;
  state: PortStateName;
  number: number | null;
  /** Entered the state at. */
  since: number;
  /** Offer expiry or end of the collection time; null otherwise. */
  until: number | null;
  session: Session | null;
  fault: PortFault | null;
  /** What the gateway wants the relay to be, and when it last asked. */
  want: boolean;
  wantSince: number;
  sentAt: number | null;
  /** The node's last report of this port. */
  reported: { on: boolean; mA: number | null; at: number } | null;
  /** Result of the last finished session, for the resident's status page. */
  lastEnd: SessionEnd | null;
}

export type TicketState = 'waiting' | 'offered' | 'charging' | 'ended' | 'missed' | 'cancelled';

export interface Ticket {
  number: number;
  /** Random secret the resident keeps to ask "my status" (printed or in the phone's page). */
  token: string;
  /** Hash of the holder id (kiosk card / browser cookie) used only for the per-number limit; null if none. */
  holder: string | null;
  takenAt: number;
  state: TicketState;
  port: number | null;
  offeredAt: number | null;
  startedAt: number | null;
  endedAt: number | null;
  end: SessionEnd | null;
  wh: number;
}

export interface ChargingSnapshot {
  nextNumber: number;
  tickets: Ticket[];
  ports: PortRecord[];
  /** Session start times per holder hash, for the per-number limit. */
  holderStarts: Record<string, number[]>;
  stage: ShedStage;
  policy: 'budget' | 'off';
  /** Staff's switch at the point (absent in snapshots from before it existed: open). */
  localOpen?: boolean;
}

export type RefusalReason = 'no-power' | 'off' | 'queue-full' | 'limit';

/** Append-only evidence rows (anonymous: numbers and ports only). */
export type ChargingRecord =
  | { kind: 'taken'; at: number; number: number }
  | { kind: 'refused'; at: number; reason: RefusalReason }
  | { kind: 'offered'; at: number; number: number; port: number }
  | { kind: 'withdrawn'; at: number; number: number; port: number }
  | { kind: 'paused'; at: number; number: number; port: number; wh: number }
  | { kind: 'resumed'; at: number; number: number; port: number }
  | { kind: 'started'; at: number; number: number; port: number; waitMs: number }
  | { kind: 'ended'; at: number; number: number; port: number; wh: number; activeMs: number; end: SessionEnd; served: boolean }
  | { kind: 'missed'; at: number; number: number; port: number }
  | { kind: 'cancelled'; at: number; number: number }
  | { kind: 'fault'; at: number; port: number; fault: PortFault }
  | { kind: 'stage'; at: number; stage: ShedStage; allowed: number };

/** What the service persists through: queue and port state as one snapshot, evidence as rows. */
export interface ChargingPersistence {
  loadSnapshot(): ChargingSnapshot | null;
  saveSnapshot(s: ChargingSnapshot): void;
  append(r: ChargingRecord): void;
  /** Rows with from ≤ at < to, in time order. */
  records(from: number, to: number): ChargingRecord[];
}

/** Keeps everything in memory: the simulation and bench (no disk), and tests of the service alone. */
export class MemoryChargingPersistence implements ChargingPersistence {
  /** Kept as JSON text, as the database keeps it: a restore sees exactly what was serialisable. */
  snapshot: string | null = null;
  readonly rows: ChargingRecord[] = [];
  saves = 0;
  loadSnapshot(): ChargingSnapshot | null {
    return this.snapshot === null ? null : (JSON.parse(this.snapshot) as ChargingSnapshot);
  }
  saveSnapshot(s: ChargingSnapshot): void {
    this.saves++;
    this.snapshot = JSON.stringify(s);
  }
  append(r: ChargingRecord): void {
    this.rows.push(r);
  }
  records(from: number, to: number): ChargingRecord[] {
    return this.rows.filter((r) => r.at >= from && r.at < to);
  }
}

export interface ChargingAlert {
  at: number;
  port: number;
  fault: PortFault | 'charger-offline';
  detail: string;
}
