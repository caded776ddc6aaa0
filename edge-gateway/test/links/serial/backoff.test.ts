import { describe, it, expect } from 'vitest';
import { Backoff } from '../../../src/links/serial/index.js';

describe('Backoff', () => {
  it('doubles from 0.5 s up to a 10 s cap by default', () => {
    const b = new Backoff();
    const delays = Array.from({ length: 8 }, () => b.next());
    expect(delays).toEqual([500, 1000, 2000, 4000, 8000, 10_000, 10_000, 10_000]);
  });

  it('starts over after reset()', () => {
    const b = new Backoff({ initialMs: 20, maxMs: 50 });
    expect([b.next(), b.next(), b.next()]).toEqual([20, 40, 50]);
    b.reset();
    expect(b.next()).toBe(20);
  });

  it('stays at the cap after very many attempts', () => {
    const b = new Backoff({ initialMs: 1, maxMs: 7 });
    for (let i = 0; i < 2000; i++) b.next();
    expect(b.next()).toBe(7);
  });

  it('rejects nonsense settings', () => {
    expect(() => new Backoff({ initialMs: 0 })).toThrow(RangeError);
    expect(() => new Backoff({ initialMs: 100, maxMs: 50 })).toThrow(RangeError);
  });
});
