// Which message goes next, and whether LoRa may carry it now. EU868 limits each sub-band to a duty
// cycle (1 %: after T of airtime the band is silent until T/0.01), TTN's fair use adds ~30 s of
// airtime a day. Routine traffic never takes the last free sub-band nor the last part of the daily
// budget: that reserve keeps an emergency sendable at once however large the backlog.
import type { Outbox, OutboxRow } from './outbox.js';

export interface SubBandSpec {
  name: string;
  /** Allowed fraction of time on air, 0.01 = 1 %. */
  duty: number;
}

/** The two 1 % sub-bands a LoRaWAN device uses after joining TTN or ChirpStack (868.1–868.5 and the CFList 867.1–867.9 MHz). */
export const EU868_JOIN_SUB_BAND = '868.0–868.6 MHz';
export const EU868_DATA_SUB_BANDS: readonly SubBandSpec[] = [
  { name: EU868_JOIN_SUB_BAND, duty: 0.01 },
  { name: '865.0–868.0 MHz', duty: 0.01 },
];

export interface LoraBudgetOptions {
  subBands?: readonly SubBandSpec[];
  /** Free sub-bands routine traffic must leave for emergencies (default 1). */
  reservedSubBands?: number;
  /** Airtime per rolling 24 h (TTN fair use: 30 s). */
  dailyBudgetMs?: number;
  /** Part of the daily budget only emergencies may use (default: six 51-byte frames at SF12 ≈ 16.8 s). */
  emergencyReserveMs?: number;
}

export type BudgetVerdict = { ok: true } | { ok: false; waitMs: number; reason: 'duty-cycle' | 'daily-budget' };

const DAY_MS = 86_400_000;

export class LoraBudget {
  private readonly bands: { spec: SubBandSpec; freeAt: number }[];
  private readonly reservedSubBands: number;
  readonly dailyBudgetMs: number;
  readonly emergencyReserveMs: number;
  /** Transmissions of the last 24 h: [start, airtime]. */
  private readonly log: [number, number][] = [];

  constructor(opts: LoraBudgetOptions = {}) {
    this.bands = (opts.subBands ?? EU868_DATA_SUB_BANDS).map((spec) => ({ spec, freeAt: -Infinity }));
    if (this.bands.length === 0) throw new RangeError('at least one sub-band is needed');
    this.reservedSubBands = Math.min(opts.reservedSubBands ?? 1, this.bands.length - 1);
    this.dailyBudgetMs = opts.dailyBudgetMs ?? 30_000;
    this.emergencyReserveMs = Math.min(opts.emergencyReserveMs ?? 6 * 2_793, this.dailyBudgetMs);
  }

  /** Airtime used in the 24 h before `now`. */
  usedMs(now: number): number {
    this.expire(now);
    return this.log.reduce((n, [, ms]) => n + ms, 0);
  }

  /** May a message of `airtimeMs` go now? Emergencies may use the reserve and overrun the daily budget. */
  check(emergency: boolean, airtimeMs: number, now: number): BudgetVerdict {
    const freeAts = this.bands.map((b) => b.freeAt).sort((a, b) => a - b);
    // The sub-band that must be free: the first for an emergency, the (reserve+1)-th for routine traffic.
    const need = emergency ? 0 : this.reservedSubBands;
    const freeAt = freeAts[need] ?? Infinity;
    if (freeAt > now) return { ok: false, waitMs: freeAt - now, reason: 'duty-cycle' };
    if (!emergency) {
      const limit = this.dailyBudgetMs - this.emergencyReserveMs;
      const used = this.usedMs(now);
      if (used + airtimeMs > limit) {
        // Wait until enough old transmissions leave the 24 h window.
        let free = limit - used;
        for (const [start, ms] of this.log) {
          free += ms;
          if (free >= airtimeMs) return { ok: false, waitMs: Math.max(1, start + DAY_MS - now), reason: 'daily-budget' };
        }
        return { ok: false, waitMs: DAY_MS, reason: 'daily-budget' };
      }
    }
    return { ok: true };
  }

  /**
   * Books a transmission. Without `subBand`, on the sub-band free longest: the modem picks a random
   * free channel, and with equal duties only the number of silent bands matters, not which. A join
   * request names its band: the join channels all lie in 868.0–868.6 MHz, and forgetting that band's
   * silence would let routine traffic take the band an emergency needs.
   */
  record(airtimeMs: number, now: number, subBand?: string): void {
    const band = subBand === undefined ? [...this.bands].sort((a, b) => a.freeAt - b.freeAt)[0]! : this.bands.find((b) => b.spec.name === subBand);
    if (!band) throw new RangeError(`unknown sub-band ${subBand}`);
    band.freeAt = Math.max(band.freeAt, now + airtimeMs / band.spec.duty);
    this.log.push([now, airtimeMs]);
  }

  /** The modem refused for duty cycle although the books said free: trust the modem. */
  blockAll(until: number): void {
    for (const b of this.bands) b.freeAt = Math.max(b.freeAt, until);
  }

  private expire(now: number): void {
    while (this.log.length && this.log[0]![0] + DAY_MS <= now) this.log.shift();
  }
}

export type Pick = { row: OutboxRow } | { row: null; waitMs: number | null };

/**
 * The next message for a path. IP: the most urgent due message. LoRa: the most urgent due message the
 * budget admits; if none, how long until one may be. A message the network confirmed is due again only
 * when its coordinator ack is overdue (the downAck may have been lost; the coordinator re-acks copies).
 */
export function pickNext(
  outbox: Outbox,
  path: 'ip' | 'lora',
  now: number,
  lora?: { budget: LoraBudget; airtimeMs: (row: OutboxRow) => number },
): Pick {
  if (path === 'ip' || !lora) {
    const row = outbox.next(now);
    return row ? { row } : { row: null, waitMs: null };
  }
  let wait: number | null = null;
  // Once routine traffic is refused, the rest of it is too: no need to encode a large backlog every tick.
  let routineRefused = false;
  const row = outbox.next(now, (r) => {
    const emergency = r.kind === 'emergency';
    if (!emergency && routineRefused) return false;
    const v = lora.budget.check(emergency, lora.airtimeMs(r), now);
    if (!v.ok) {
      wait = wait === null ? v.waitMs : Math.min(wait, v.waitMs);
      if (!emergency) routineRefused = true;
    }
    return v.ok;
  });
  return row ? { row } : { row: null, waitMs: wait };
}
