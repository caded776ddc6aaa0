import { describe, expect, it } from 'vitest';
import { ManualClock, SystemClock } from '../../src/core/clock.js';

describe('ManualClock', () => {
  it('runs timers in time order, intervals repeatedly, and honours cancel', () => {
    const c = new ManualClock(1000);
    const seen: string[] = [];
    c.setTimeout(() => seen.push(`b@${c.now()}`), 200);
    c.setTimeout(() => seen.push(`a@${c.now()}`), 100);
    const stop = c.setInterval(() => seen.push(`i@${c.now()}`), 150);
    c.advance(350);
    expect(seen).toEqual(['a@1100', 'i@1150', 'b@1200', 'i@1300']);
    stop();
    c.advance(1000);
    expect(seen).toHaveLength(4);
    expect(c.now()).toBe(2350);
  });

  it('runs timers scheduled by timers within the same advance', () => {
    const c = new ManualClock(0);
    const seen: number[] = [];
    c.setTimeout(() => c.setTimeout(() => seen.push(c.now()), 10), 10);
    c.advance(25);
    expect(seen).toEqual([20]);
  });
});

describe('SystemClock', () => {
  it('runs faster than wall time by its speed, from a shared origin', async () => {
    const origin = Date.now();
    const a = new SystemClock(60, origin);
    const b = new SystemClock(60, origin);
    await new Promise((r) => setTimeout(r, 50));
    const ta = a.now() - origin;
    expect(ta).toBeGreaterThanOrEqual(50 * 60 * 0.9);
    expect(Math.abs(b.now() - a.now())).toBeLessThan(60 * 20);
    expect(() => new SystemClock(0)).toThrow(RangeError);
  });

  it('scales timeouts by its speed', async () => {
    const c = new SystemClock(100);
    const t0 = Date.now();
    await new Promise<void>((r) => c.setTimeout(r, 2000));
    expect(Date.now() - t0).toBeLessThan(1000);
  });
});
