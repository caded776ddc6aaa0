// One kind of routine LoRa frame (status, help counts) and its share of the routine airtime budget
// (LoraBudget's daily budget minus the emergency reserve) over a sliding 24 h: the feeds that send such frames
// on their own initiative keep to it, so their sum never eats into what reports and emergencies need.
import type { LoraBudget } from './scheduler.js';

const DAY_MS = 86_400_000;

export type RoutineBudget = Pick<LoraBudget, 'dailyBudgetMs' | 'emergencyReserveMs'>;

/** Airtime per 24 h a kind with this share of the routine budget may use. */
export function shareCapMs(budget: RoutineBudget, share: number): number {
  return Math.max(0, (budget.dailyBudgetMs - budget.emergencyReserveMs) * share);
}

export class AirtimeShare {
  /** Frames on the air in the last 24 h: [at, airtime ms]. */
  private readonly sends: [number, number][] = [];

  constructor(
    private readonly budget: RoutineBudget,
    private readonly share: number,
  ) {}

  get capMs(): number {
    return shareCapMs(this.budget, this.share);
  }

  record(at: number, airtimeMs: number): void {
    this.sends.push([at, airtimeMs]);
  }

  /** How long until a frame of `ms` airtime fits the share (0: now; a day: never, it is larger than the share). */
  waitMs(ms: number, now: number): number {
    while (this.sends.length && this.sends[0]![0] + DAY_MS <= now) this.sends.shift();
    const cap = this.capMs;
    if (ms > cap) return DAY_MS;
    let free = cap - this.sends.reduce((n, [, a]) => n + a, 0);
    if (free >= ms) return 0;
    for (const [at, a] of this.sends) {
      free += a;
      if (free >= ms) return at + DAY_MS - now;
    }
    return DAY_MS;
  }
}
