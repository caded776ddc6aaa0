// Seeded PRNG so a scenario with the same seed replays exactly (tests, bench, bug reports).
// The draws come from the project's one PRNG (core/prng.ts); this adds the distributions the world uses.
import { mulberry32 } from '../../core/prng.js';

export class Prng {
  private readonly draw: () => number;
  private readonly seed: number;
  constructor(seed: number) {
    this.seed = seed >>> 0;
    this.draw = mulberry32(this.seed);
  }

  /** Uniform in [0, 1). */
  next(): number {
    return this.draw();
  }

  uniform(min: number, max: number): number {
    return min + (max - min) * this.next();
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  /** Standard normal (Box–Muller). */
  normal(mean = 0, sd = 1): number {
    const u = 1 - this.next();
    const v = this.next();
    return mean + sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  exponential(mean: number): number {
    return -mean * Math.log(1 - this.next());
  }

  /** Poisson count with the given mean (Knuth; means here are small, per simulation step). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    const limit = Math.exp(-mean);
    let k = 0;
    let p = this.next();
    while (p > limit) {
      k++;
      p *= this.next();
    }
    return k;
  }

  /** A child generator with its own stream (from this one's seed and the salt), so one consumer's draws do not shift another's. */
  fork(salt: number): Prng {
    return new Prng((Math.imul(this.seed ^ salt, 0x9e3779b1) + salt) >>> 0);
  }
}
