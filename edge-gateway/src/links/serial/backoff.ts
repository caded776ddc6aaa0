// Capped exponential backoff for reopening a device: quick after a short glitch,
// but a port that stays unplugged costs one open attempt per `maxMs`.

export interface BackoffOptions {
  /** First delay after a failure, ms. */
  initialMs?: number;
  /** Ceiling for the delay, ms. */
  maxMs?: number;
}

export class Backoff {
  readonly initialMs: number;
  readonly maxMs: number;
  private attempt = 0;

  constructor({ initialMs = 500, maxMs = 10_000 }: BackoffOptions = {}) {
    if (!(initialMs > 0) || !(maxMs >= initialMs)) throw new RangeError(`backoff needs 0 < initialMs <= maxMs (got ${initialMs}, ${maxMs})`);
    this.initialMs = initialMs;
    this.maxMs = maxMs;
  }

  /** Delay before the next attempt; each call doubles it up to the cap. */
  next(): number {
    const ms = Math.min(this.maxMs, this.initialMs * 2 ** Math.min(this.attempt, 30));
    this.attempt++;
    return ms;
  }

  reset(): void {
    this.attempt = 0;
  }
}
