// Pure charging policy: how many ports may run, which to switch off first when power shrinks, which
// waiting phone comes back first. No clock, no I/O: unit-tested on its own (test/charging/policy.test.ts).
import type { ChargingConfig } from './config.js';

/** Shedding stages, in the order they are entered as stored energy runs down. Charging is the first load shed. */
export const SHED_STAGES = ['normal', 'reduced', 'off'] as const;
export type ShedStage = (typeof SHED_STAGES)[number];

/** Hours above a threshold needed to climb back a stage, so a jumpy fuel reading does not flap the ports. */
export const STAGE_HYSTERESIS_H = 2;
/**
 * After power forced a stage down, a higher stage must be wanted this long without a break before the
 * ports climb back: a fuel node that goes quiet for a moment reads as no fuel, and without this every
 * phone would be switched off and on again each time (seen under heavy load: hours left 8 ↔ 107).
 */
export const STAGE_CLIMB_HOLD_MS = 5 * 60_000;
/** SoC points above batteryMinSoc needed to resume charging on battery after it stopped. */
export const SOC_HYSTERESIS = 5;
/** Share of the budget used in the `reduced` stage. */
export const REDUCED_SHARE = 0.5;
/** A resident counts as served once the phone received this much (or was full): a trickle for everyone does not count. */
export const SERVED_WH = 5;

export type StageConfig = Pick<ChargingConfig, 'reserveHours' | 'reducedBelowHours'>;

/**
 * Stage from the hours of critical load the stored energy still covers (null = unknown → off: a point
 * that cannot see its fuel or battery must not spend it on phones).
 */
export function shedStage(hoursLeft: number | null, cfg: StageConfig, prev: ShedStage = 'normal'): ShedStage {
  if (hoursLeft === null || Number.isNaN(hoursLeft)) return 'off';
  const rank = SHED_STAGES.indexOf(prev);
  const up = (threshold: number, stage: ShedStage) => (SHED_STAGES.indexOf(stage) < rank ? threshold + STAGE_HYSTERESIS_H : threshold);
  if (hoursLeft < up(cfg.reserveHours, 'reduced')) return 'off';
  if (hoursLeft < up(cfg.reducedBelowHours, 'normal')) return 'reduced';
  return 'normal';
}

/** May phones charge from the battery alone at this SoC (%)? Hysteresis: once stopped, resume only a bit higher. */
export function batteryAllows(soc: number | null, minSoc: number | null, wasAllowed: boolean): boolean {
  if (soc === null || minSoc === null) return false;
  return soc >= (wasAllowed ? minSoc : minSoc + SOC_HYSTERESIS);
}

/** Ports that may be active (offered or charging) for a budget in W at the ports. */
export function portsAllowed(availableW: number, stage: ShedStage, cfg: Pick<ChargingConfig, 'portW' | 'ports'>, usablePorts = cfg.ports): number {
  if (stage === 'off' || !(availableW > 0)) return 0;
  const w = stage === 'reduced' ? availableW * REDUCED_SHARE : availableW;
  // Every active port is counted at its full rating: a phone may draw that much, and the reserve is never touched.
  return Math.max(0, Math.min(usablePorts, Math.floor(w / cfg.portW + 1e-9)));
}

export interface ActivePort {
  port: number;
  kind: 'offered' | 'charging';
  /** Energy the session has delivered so far (0 for an offer). */
  wh: number;
  /** When the offer or session started. */
  since: number;
}

/**
 * Order in which active ports are switched off when the budget shrinks: offers first (no phone yet, the
 * number keeps its place), then sessions that have already served their resident, most energy first,
 * then the rest, most energy first. Whoever has had least keeps charging longest.
 */
export function shedOrder(active: readonly ActivePort[]): number[] {
  const rank = (a: ActivePort) => (a.kind === 'offered' ? 0 : a.wh >= SERVED_WH ? 1 : 2);
  return [...active]
    .sort((a, b) => rank(a) - rank(b) || b.wh - a.wh || b.since - a.since || a.port - b.port)
    .map((a) => a.port);
}

export interface PausedSession {
  port: number;
  wh: number;
  since: number;
}

/** Paused sessions resume before any new number is offered a port: least energy first, then longest waiting. */
export function resumeOrder(paused: readonly PausedSession[]): number[] {
  return [...paused].sort((a, b) => a.wh - b.wh || a.since - b.since || a.port - b.port).map((p) => p.port);
}

/** Whether a number may start another session: at most `sessions` starts within the last `periodHours`. */
export function withinLimit(starts: readonly number[], now: number, limit: ChargingConfig['perNumberLimit']): boolean {
  const from = now - limit.periodHours * 3_600_000;
  return starts.filter((t) => t > from).length < limit.sessions;
}
