// The compact status the relay carries (codec v1, fPort 1) from the point's PointStatus (the IP
// status JSON, relay/point-status.ts). Values PointStatus does not hold stay unknown (null) rather
// than guessed; the alarm thresholds are parameters because the point's alert rules own them.
import type { PointStatus } from '../protocol/index.js';
import type { StatusReport } from './messages.js';

export interface StatusReportExtras {
  /** Fuel left in hours (the fuel service's forecast), if known. */
  hoursToEmpty?: number | null;
  generator?: StatusReport['generator'];
  visitorsLastHour?: number | null;
  link?: StatusReport['link'];
  fuelLowPct?: number;
  batteryLowPct?: number;
}

const clampInt = (v: number | null | undefined): number | null => (v === null || v === undefined || !Number.isFinite(v) ? null : Math.max(0, Math.round(v)));

export function statusReportFromPoint(ps: PointStatus, extras: StatusReportExtras = {}): StatusReport {
  const alarms: StatusReport['alarms'] = [];
  const fuelPct = clampInt(ps.fuel?.pct);
  const batteryPct = clampInt(ps.battery?.soc);
  if (fuelPct !== null && fuelPct <= (extras.fuelLowPct ?? 15)) alarms.push('fuel_low');
  if (batteryPct !== null && batteryPct <= (extras.batteryLowPct ?? 20)) alarms.push('battery_low');
  if (ps.alarms.some((a) => a.startsWith('node-offline:')) || ps.nodes.some((n) => !n.online)) alarms.push('node_offline');
  return {
    fuelPct,
    hoursToEmpty: extras.hoursToEmpty ?? null,
    batteryPct,
    batteryV: ps.battery?.v ?? null,
    generator: extras.generator ?? 'unknown',
    visitorsPresent: clampInt(ps.visitors?.inside),
    visitorsLastHour: clampInt(extras.visitorsLastHour),
    chargingW: clampInt(ps.charging?.watts),
    chargingSessions: clampInt(ps.charging?.portsOn),
    alarms,
    link: extras.link ?? 'unknown',
  };
}
