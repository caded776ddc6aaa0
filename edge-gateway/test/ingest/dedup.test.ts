import { describe, expect, it } from 'vitest';
import { Dedup, SeqSet } from '../../src/ingest/index.js';

describe('SeqSet', () => {
  it('merges contiguous seqs into one interval and keeps gaps apart', () => {
    const s = new SeqSet();
    for (let i = 0; i < 1000; i++) s.add(i);
    expect(s.intervals).toBe(1);
    s.add(1002);
    s.add(1005);
    expect(s.intervals).toBe(3);
    expect([999, 1000, 1001, 1002, 1003, 1005].map((x) => s.has(x))).toEqual([true, false, false, true, false, true]);
    s.add(1001);
    s.add(1000);
    expect(s.intervals).toBe(2);
    s.addRange(1003, 1004);
    expect(s.intervals).toBe(1);
    expect(s.has(1004)).toBe(true);
  });

  it('agrees with a plain Set for random out-of-order inserts', () => {
    const s = new SeqSet();
    const ref = new Set<number>();
    let x = 12345;
    const rnd = () => (x = (x * 1103515245 + 12345) % 2 ** 31) % 500;
    for (let i = 0; i < 2000; i++) {
      const v = rnd();
      if (i % 50 === 0) {
        const hi = v + (rnd() % 20);
        s.addRange(v, hi);
        for (let k = v; k <= hi; k++) ref.add(k);
      } else {
        s.add(v);
        ref.add(v);
      }
    }
    for (let v = -2; v < 540; v++) expect(s.has(v)).toBe(ref.has(v));
  });
});

describe('Dedup', () => {
  it('keys by node and boot, and a floor covers everything below it', () => {
    const d = new Dedup();
    d.add('a', 1, 5);
    expect(d.has('a', 1, 5)).toBe(true);
    expect(d.has('a', 2, 5)).toBe(false);
    expect(d.has('b', 1, 5)).toBe(false);
    d.addFloor('a', 2, 100);
    expect(d.has('a', 2, 0)).toBe(true);
    expect(d.has('a', 2, 100)).toBe(true);
    expect(d.has('a', 2, 101)).toBe(false);
  });
});
