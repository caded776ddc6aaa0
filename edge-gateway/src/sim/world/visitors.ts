// Visitors: Poisson arrivals whose rate follows the hour of day, exponential dwell, groups that walk
// through the door together. Door crossings are published as the two-beam sensor would see them.
import type { Prng } from './prng.js';
import type { VisitorScenario } from './scenario.js';

export type DoorDirection = 'in' | 'out';

/** What the door beams register for one crossing: groups passing together may count as one. */
export interface DoorCrossing {
  dir: DoorDirection;
  /** People that actually crossed. */
  people: number;
  /** People the beams count. */
  sensed: number;
  t: number;
}

interface Party {
  size: number;
  leaveAt: number;
}

export class VisitorFlow {
  private parties: Party[] = [];
  entries = 0;
  exits = 0;
  groups = 0;

  constructor(
    private readonly cfg: VisitorScenario,
    private readonly rng: Prng,
    private readonly onCrossing: (c: DoorCrossing) => void,
  ) {}

  get inside(): number {
    return this.entries - this.exits;
  }

  ratePerHour(localHour: number): number {
    return this.cfg.peakPerHour * (this.cfg.hourProfile[Math.floor(localHour) % 24] ?? 0);
  }

  /** Advances dt seconds ending at time t; returns the sizes of parties that arrived. */
  step(t: number, dt: number, localHour: number): number[] {
    const arrived: number[] = [];
    const leaving = this.parties.filter((p) => p.leaveAt <= t);
    if (leaving.length) {
      this.parties = this.parties.filter((p) => p.leaveAt > t);
      for (const p of leaving) this.cross('out', p.size, t);
    }
    const n = this.rng.poisson((this.ratePerHour(localHour) * dt) / 3600);
    for (let i = 0; i < n; i++) {
      const size = this.rng.chance(this.cfg.groupShare) ? this.rng.int(2, 4) : 1;
      this.arrive(t, size);
      arrived.push(size);
    }
    return arrived;
  }

  /** A party walks in now and stays dwellMin minutes (random when omitted). */
  arrive(t: number, size: number, dwellMin?: number): void {
    const stay = dwellMin ?? Math.max(this.cfg.dwellMinMin, this.rng.exponential(this.cfg.dwellMeanMin));
    this.parties.push({ size, leaveAt: t + stay * 60_000 });
    this.cross('in', size, t);
  }

  private cross(dir: DoorDirection, size: number, t: number): void {
    if (dir === 'in') this.entries += size;
    else this.exits += size;
    if (size > 1) this.groups++;
    const sensed = size > 1 && this.rng.chance(this.cfg.groupUndercount) ? 1 : size;
    this.onCrossing({ dir, people: size, sensed, t });
  }
}
