// Evidence for the pilot evaluation, per hour: sessions, energy, residents served, waiting times,
// refusals for lack of power. Computed from the anonymous records the service appends.
import type { ChargingRecord } from './types.js';

const HOUR = 3_600_000;

export interface HourEvidence {
  /** Start of the hour (ms since epoch, UTC). */
  hour: number;
  numbersTaken: number;
  sessionsStarted: number;
  sessionsEnded: number;
  /** Residents whose phone got at least 5 Wh or was full. */
  served: number;
  energyWh: number;
  /** Waiting from taking a number to the phone charging (minutes), over sessions started this hour. */
  waitP50Min: number | null;
  waitP95Min: number | null;
  refusedNoPower: number;
  refusedOther: number;
  missedOffers: number;
  cancelled: number;
  faults: number;
  endedFull: number;
  endedUnplugged: number;
  endedTimeout: number;
}

export function percentile(values: readonly number[], q: number): number | null {
  if (!values.length) return null;
  const s = [...values].sort((a, b) => a - b);
  const i = Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1));
  return s[i] ?? null;
}

export function hourlyEvidence(records: readonly ChargingRecord[]): HourEvidence[] {
  const hours = new Map<number, { h: HourEvidence; waits: number[] }>();
  const bucket = (at: number) => {
    const hour = Math.floor(at / HOUR) * HOUR;
    let b = hours.get(hour);
    if (!b) {
      b = {
        h: { hour, numbersTaken: 0, sessionsStarted: 0, sessionsEnded: 0, served: 0, energyWh: 0, waitP50Min: null, waitP95Min: null, refusedNoPower: 0, refusedOther: 0, missedOffers: 0, cancelled: 0, faults: 0, endedFull: 0, endedUnplugged: 0, endedTimeout: 0 },
        waits: [],
      };
      hours.set(hour, b);
    }
    return b;
  };
  for (const r of records) {
    const b = bucket(r.at);
    switch (r.kind) {
      case 'taken':
        b.h.numbersTaken++;
        break;
      case 'refused':
        if (r.reason === 'no-power') b.h.refusedNoPower++;
        else b.h.refusedOther++;
        break;
      case 'started':
        b.h.sessionsStarted++;
        b.waits.push(r.waitMs / 60_000);
        break;
      case 'ended':
        b.h.sessionsEnded++;
        b.h.energyWh += r.wh;
        if (r.served) b.h.served++;
        if (r.end === 'full') b.h.endedFull++;
        else if (r.end === 'unplugged') b.h.endedUnplugged++;
        else if (r.end === 'timeout') b.h.endedTimeout++;
        break;
      case 'missed':
        b.h.missedOffers++;
        break;
      case 'cancelled':
        b.h.cancelled++;
        break;
      case 'fault':
        b.h.faults++;
        break;
      case 'stage':
      case 'offered':
      case 'withdrawn':
      case 'paused':
      case 'resumed':
        break;
    }
  }
  return [...hours.values()]
    .sort((a, b) => a.h.hour - b.h.hour)
    .map(({ h, waits }) => ({ ...h, energyWh: Math.round(h.energyWh * 100) / 100, waitP50Min: round1(percentile(waits, 0.5)), waitP95Min: round1(percentile(waits, 0.95)) }));
}

function round1(v: number | null): number | null {
  return v === null ? null : Math.round(v * 10) / 10;
}

const COLUMNS: (keyof HourEvidence)[] = ['hour', 'numbersTaken', 'sessionsStarted', 'sessionsEnded', 'served', 'energyWh', 'waitP50Min', 'waitP95Min', 'refusedNoPower', 'refusedOther', 'missedOffers', 'cancelled', 'faults', 'endedFull', 'endedUnplugged', 'endedTimeout'];

/** CSV for the pilot evaluation: one row per hour, hour as ISO 8601 UTC, empty cell for unknown. */
export function evidenceCsv(rows: readonly HourEvidence[]): string {
  const lines = [COLUMNS.join(',')];
  for (const r of rows) lines.push(COLUMNS.map((c) => (c === 'hour' ? new Date(r.hour).toISOString() : (r[c] ?? ''))).join(','));
  return lines.join('\n') + '\n';
}
