// Token bucket per client IP for resident endpoints and the login: a burst is allowed, then one request
// per refill interval. Buckets that are full again are forgotten, so memory follows active clients only.
import type { Clock } from '../core/clock.js';

export interface RateLimitOptions {
  /** Requests allowed in a burst. */
  capacity: number;
  /** One token comes back every `refillMs`. */
  refillMs: number;
  /** Buckets kept at most (oldest dropped first): bounds memory under a flood of source addresses. */
  maxClients?: number;
}

export interface RateDecision {
  ok: boolean;
  /** When refused: seconds until the next token (for Retry-After). */
  retryAfterS: number;
}

interface Bucket {
  tokens: number;
  at: number;
}

export class TokenBucketLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly maxClients: number;

  constructor(
    private readonly opts: RateLimitOptions,
    private readonly clock: Pick<Clock, 'now'>,
  ) {
    if (!(opts.capacity >= 1) || !(opts.refillMs > 0)) throw new RangeError('rate limit needs capacity ≥ 1 and refillMs > 0');
    this.maxClients = opts.maxClients ?? 10_000;
  }

  take(key: string): RateDecision {
    const now = this.clock.now();
    const prev = this.buckets.get(key);
    const tokens = prev ? Math.min(this.opts.capacity, prev.tokens + (now - prev.at) / this.opts.refillMs) : this.opts.capacity;
    if (tokens < 1) {
      this.buckets.set(key, { tokens, at: now });
      return { ok: false, retryAfterS: Math.ceil(((1 - tokens) * this.opts.refillMs) / 1000) };
    }
    // delete + set keeps Map order = least recently used first
    this.buckets.delete(key);
    this.buckets.set(key, { tokens: tokens - 1, at: now });
    if (this.buckets.size > this.maxClients) this.buckets.delete(this.buckets.keys().next().value!);
    return { ok: true, retryAfterS: 0 };
  }

  /** Drops buckets that have refilled completely (call now and then). */
  sweep(): void {
    const now = this.clock.now();
    for (const [k, b] of this.buckets) if (b.tokens + (now - b.at) / this.opts.refillMs >= this.opts.capacity) this.buckets.delete(k);
  }

  get size(): number {
    return this.buckets.size;
  }
}
