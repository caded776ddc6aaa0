// Coordinator alerts with thresholds, delays and hysteresis (as Victron's Venus OS does it: low fuel
// raises below 10 % held for 30 s and clears only above 15 % held for 30 s), so a reading hovering at
// the threshold does not flap. Life cycle of one alert: active → (acknowledged) → cleared → resolved.
// A cleared alert stays listed until an operator resolves it; the condition returning raises a new one.
import type { PointStatus } from '../protocol/index.js';
import { DEFAULT_LORA_STATUS_INTERVAL_S } from '../relay/status-lora.js';

export type LinkType = 'mqtt' | 'lora';
export type Severity = 'critical' | 'warning';

/** What a rule looks at for one point at one moment. */
export interface PointSnapshot {
  point: string;
  status: PointStatus | null;
  link: LinkType;
  /** ms since the last status arrived (null: never heard from). */
  silentMs: number | null;
  /** The point's own report interval when known (points may report less often than the link's default). */
  reportIntervalMs?: number;
}

/**
 * `threshold`: numeric value with separate raise/clear levels (raise < clear for a low alarm).
 * `condition`: a boolean condition with delays only.
 * The value function returns null when it cannot tell (no reading): the rule then holds its state.
 */
export type AlertRule =
  | { id: string; severity: Severity; kind: 'low'; raiseBelow: number; clearAbove: number; raiseDelayMs: number; clearDelayMs: number; value: (s: PointSnapshot) => number | null }
  | { id: string; severity: Severity; kind: 'condition'; raiseDelayMs: number; clearDelayMs: number; value: (s: PointSnapshot) => boolean | null };

/**
 * A point is silent after this many missed reports of its link's interval. LoRa: the point's default status
 * heartbeat (relay/status-lora.ts, config `lora.statusIntervalS`); a point that reports less often (a longer
 * interval, or a slow data rate that stretches it to fit its airtime) is judged by its learnt interval.
 */
export const REPORT_INTERVAL_MS: Record<LinkType, number> = { mqtt: 60_000, lora: DEFAULT_LORA_STATUS_INTERVAL_S * 1000 };
export const MISSED_REPORTS_SILENT = 3;
export const silentAfterMs = (link: LinkType, reportIntervalMs?: number): number => Math.max(REPORT_INTERVAL_MS[link], reportIntervalMs ?? 0) * MISSED_REPORTS_SILENT;

/** Battery current (A, negative = discharging) below which the generator counts as not charging it. */
export const GENERATOR_STOPPED_DISCHARGE_A = -2;

const hasAlarm = (s: PointSnapshot, prefix: string) => s.status?.alarms.some((a) => a.startsWith(prefix)) ?? null;

export const DEFAULT_RULES: readonly AlertRule[] = [
  { id: 'fuel-low', severity: 'critical', kind: 'low', raiseBelow: 10, clearAbove: 15, raiseDelayMs: 30_000, clearDelayMs: 30_000, value: (s) => s.status?.fuel?.pct ?? null },
  { id: 'battery-low', severity: 'warning', kind: 'low', raiseBelow: 20, clearAbove: 30, raiseDelayMs: 30_000, clearDelayMs: 30_000, value: (s) => s.status?.battery?.soc ?? null },
  // Points do not report the generator itself yet: an explicit `generator:stopped` alarm, or the
  // battery discharging hard (nothing charges it) for five minutes, stands for it.
  {
    id: 'generator-stopped',
    severity: 'critical',
    kind: 'condition',
    raiseDelayMs: 5 * 60_000,
    clearDelayMs: 60_000,
    value: (s) => {
      if (!s.status) return null;
      if (s.status.alarms.includes('generator:stopped')) return true;
      const a = s.status.battery?.a;
      return a === null || a === undefined ? null : a < GENERATOR_STOPPED_DISCHARGE_A;
    },
  },
  {
    id: 'sensor-fault',
    severity: 'warning',
    kind: 'condition',
    raiseDelayMs: 60_000,
    clearDelayMs: 60_000,
    // `fuel-sensor:blind` is a nearly empty tank, not a fault (fuel-low covers it).
    value: (s) => (s.status ? s.status.alarms.some((a) => /^(fuel-sensor:(fault|unplugged)|battery-sensor:fault)$/.test(a)) : null),
  },
  { id: 'charging-fault', severity: 'warning', kind: 'condition', raiseDelayMs: 30_000, clearDelayMs: 30_000, value: (s) => hasAlarm(s, 'charger:') },
  { id: 'point-silent', severity: 'critical', kind: 'condition', raiseDelayMs: 0, clearDelayMs: 0, value: (s) => (s.silentMs === null ? null : s.silentMs > silentAfterMs(s.link, s.reportIntervalMs)) },
];

export type AlertState = 'active' | 'acknowledged' | 'cleared' | 'resolved';

export interface Alert {
  id: number;
  point: string;
  rule: string;
  severity: Severity;
  state: AlertState;
  raisedAt: number;
  /** The value that raised it (number for thresholds, true for conditions). */
  value: number | boolean;
  acknowledgedAt: number | null;
  acknowledgedBy: string | null;
  clearedAt: number | null;
  resolvedAt: number | null;
  resolvedBy: string | null;
}

export type AlertEvent = { type: 'raised' | 'cleared' | 'acknowledged' | 'resolved'; alert: Alert };

export class AlertError extends Error {
  constructor(
    message: string,
    readonly code: 'unknown-alert' | 'already-resolved' | 'still-active',
  ) {
    super(message);
    this.name = 'AlertError';
  }
}

interface RuleState {
  /** Raw condition (before delays) and since when it has held. */
  pending: boolean | null;
  pendingSince: number;
  /** The alert this rule currently has raised for this point (until the condition clears). */
  alert: Alert | null;
}

export class AlertEngine {
  /** Per point, one state per rule (same order as `rules`). */
  private readonly states = new Map<string, RuleState[]>();
  private readonly alerts = new Map<number, Alert>();
  private nextId = 1;

  constructor(
    private readonly rules: readonly AlertRule[] = DEFAULT_RULES,
    private readonly emit: (e: AlertEvent) => void = () => {},
  ) {}

  /**
   * Takes back an alert whose condition was still holding when the coordinator last stopped (from its
   * store), so the condition clearing later closes it instead of a duplicate being raised. Ids of new
   * alerts continue after the highest restored one.
   */
  restore(alert: Alert): void {
    const copy = { ...alert };
    this.alerts.set(copy.id, copy);
    this.nextId = Math.max(this.nextId, copy.id + 1);
    const i = this.rules.findIndex((r) => r.id === copy.rule);
    if (copy.clearedAt === null && i >= 0) this.pointStates(copy.point, copy.raisedAt)[i] = { pending: true, pendingSince: copy.raisedAt, alert: copy };
  }

  /** Ids of new alerts start here (e.g. after the highest id in a store). */
  startIdsAt(id: number): void {
    this.nextId = Math.max(this.nextId, id);
  }

  /** Whether a rule of this point waits for its delay (to raise or to clear): a periodic check must evaluate it. */
  waiting(point: string): boolean {
    for (const st of this.states.get(point) ?? []) if (st.pending !== null && st.pending !== (st.alert !== null)) return true;
    return false;
  }

  /** Evaluate every rule for this point. Call on each status and periodically (for silence and delays). */
  evaluate(snap: PointSnapshot, now: number): void {
    const states = this.pointStates(snap.point, now);
    this.rules.forEach((rule, i) => this.step(rule, states[i]!, snap, now));
  }

  private pointStates(point: string, now: number): RuleState[] {
    let states = this.states.get(point);
    if (!states) this.states.set(point, (states = this.rules.map(() => ({ pending: null, pendingSince: now, alert: null }))));
    return states;
  }

  private step(rule: AlertRule, st: RuleState, snap: PointSnapshot, now: number): void {
    const raised = st.alert !== null;
    let want: boolean | null; // the condition as seen with hysteresis: true = should be raised
    let value: number | boolean | null;
    if (rule.kind === 'low') {
      const v = rule.value(snap);
      value = v;
      want = v === null ? null : raised ? !(v > rule.clearAbove) : v < rule.raiseBelow;
    } else {
      want = value = rule.value(snap);
    }
    if (want === null) return; // no reading: hold state and timers
    if (want !== st.pending) {
      st.pending = want;
      st.pendingSince = now;
    }
    if (want && !raised && now - st.pendingSince >= rule.raiseDelayMs) {
      const alert: Alert = {
        id: this.nextId++,
        point: snap.point,
        rule: rule.id,
        severity: rule.severity,
        state: 'active',
        raisedAt: now,
        value: value ?? true,
        acknowledgedAt: null,
        acknowledgedBy: null,
        clearedAt: null,
        resolvedAt: null,
        resolvedBy: null,
      };
      st.alert = alert;
      this.alerts.set(alert.id, alert);
      this.emit({ type: 'raised', alert: { ...alert } });
    } else if (!want && raised && now - st.pendingSince >= rule.clearDelayMs) {
      const alert = st.alert!;
      st.alert = null;
      alert.clearedAt = now;
      if (alert.state !== 'resolved') alert.state = 'cleared';
      this.emit({ type: 'cleared', alert: { ...alert } });
    }
  }

  acknowledge(id: number, by: string, now: number): Alert {
    const a = this.get(id);
    if (a.state === 'resolved') throw new AlertError(`alert ${id} is already resolved`, 'already-resolved');
    if (a.acknowledgedAt === null) {
      a.acknowledgedAt = now;
      a.acknowledgedBy = by;
      if (a.state === 'active') a.state = 'acknowledged';
      this.emit({ type: 'acknowledged', alert: { ...a } });
    }
    return { ...a };
  }

  /**
   * Close an alert. One whose condition still holds can only be resolved with `force` (the operator
   * knows, e.g. a decommissioned point); it is then not raised again until the condition has cleared.
   */
  resolve(id: number, by: string, now: number, force = false): Alert {
    const a = this.get(id);
    if (a.state === 'resolved') throw new AlertError(`alert ${id} is already resolved`, 'already-resolved');
    if (a.clearedAt === null && !force) throw new AlertError(`alert ${id} (${a.rule} at ${a.point}) is still active`, 'still-active');
    a.state = 'resolved';
    a.resolvedAt = now;
    a.resolvedBy = by;
    this.emit({ type: 'resolved', alert: { ...a } });
    return { ...a };
  }

  /** Drops an alert whose condition has cleared from memory; the caller's store keeps the record. */
  forget(id: number): void {
    const a = this.alerts.get(id);
    if (a && a.clearedAt !== null) this.alerts.delete(id);
  }

  private get(id: number): Alert {
    const a = this.alerts.get(id);
    if (!a) throw new AlertError(`no alert ${id}`, 'unknown-alert');
    return a;
  }

  /** Unresolved alerts, critical first, then newest first. */
  open(): Alert[] {
    return [...this.alerts.values()]
      .filter((a) => a.state !== 'resolved')
      .sort((a, b) => (a.severity === b.severity ? b.raisedAt - a.raisedAt : a.severity === 'critical' ? -1 : 1))
      .map((a) => ({ ...a }));
  }

  all(): Alert[] {
    return [...this.alerts.values()].map((a) => ({ ...a }));
  }
}
