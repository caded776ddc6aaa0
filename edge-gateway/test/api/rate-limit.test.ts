import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { TokenBucketLimiter } from '../../src/api/rate-limit.js';

describe('TokenBucketLimiter', () => {
  it('allows a burst, then one request per refill interval, per key', () => {
    const clock = new ManualClock();
    const l = new TokenBucketLimiter({ capacity: 3, refillMs: 1000 }, clock);
    expect([1, 2, 3, 4].map(() => l.take('a').ok)).toEqual([true, true, true, false]);
    expect(l.take('b').ok).toBe(true);
    expect(l.take('a').retryAfterS).toBe(1);
    clock.advance(999);
    expect(l.take('a').ok).toBe(false);
    clock.advance(2);
    expect(l.take('a').ok).toBe(true);
    expect(l.take('a').ok).toBe(false);
  });

  it('forgets full buckets on sweep and bounds the number of clients', () => {
    const clock = new ManualClock();
    const l = new TokenBucketLimiter({ capacity: 2, refillMs: 1000, maxClients: 3 }, clock);
    for (const k of ['a', 'b', 'c', 'd']) l.take(k);
    expect(l.size).toBe(3);
    clock.advance(1000);
    l.sweep();
    expect(l.size).toBe(0);
  });

  it('rejects a useless configuration', () => {
    expect(() => new TokenBucketLimiter({ capacity: 0, refillMs: 1000 }, new ManualClock())).toThrow(RangeError);
  });
});
