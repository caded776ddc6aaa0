import { describe, it, expect } from 'vitest';
import { BeamCounter, ENTRY, EXIT, NONE } from '../../src/nodes/visitors/counter.js';

/** 'A+@0 B+@150 …': beam, broken/clear, time in ms. Returns the verdicts. */
function feed(c: BeamCounter, seq: string): number[] {
  return seq
    .trim()
    .split(/\s+/)
    .map((tok) => {
      const [, beam, sign, t] = /^([AB])([+-])@(\d+)$/.exec(tok)!;
      return c.update(beam as 'A' | 'B', sign === '+', Number(t));
    });
}

describe('BeamCounter', () => {
  it('A then B, released in order, is an entry; the mirror is an exit', () => {
    const c = new BeamCounter({ minDwellMs: 200 });
    expect(feed(c, 'A+@0 B+@100 A-@200 B-@300')).toEqual([NONE, NONE, NONE, ENTRY]);
    expect(feed(c, 'B+@1000 A+@1100 B-@1200 A-@1300')).toEqual([NONE, NONE, NONE, EXIT]);
    expect([c.entries, c.exits]).toEqual([1, 1]);
  });

  it('a half crossing (back out the way one came) counts nothing', () => {
    const c = new BeamCounter({ minDwellMs: 200 });
    feed(c, 'A+@0 B+@100 B-@200 A-@300');
    feed(c, 'A+@1000 A-@1500');
    expect([c.entries, c.exits, c.rejectedHalf]).toEqual([0, 0, 2]);
  });

  it('shorter than the minimum dwell is a hand, not a person', () => {
    const c = new BeamCounter({ minDwellMs: 200 });
    feed(c, 'A+@0 B+@40 A-@80 B-@120');
    expect([c.entries, c.rejectedShort]).toEqual([0, 1]);
  });

  it('beam B released before A still counts when A→B order held (person leaning back)', () => {
    const c = new BeamCounter({ minDwellMs: 200 });
    // Ends with only B broken: the last beam held was B, the crossing started at A.
    feed(c, 'A+@0 B+@100 A-@150 A+@180 A-@250 B-@400');
    expect(c.entries).toBe(1);
  });

  it('reset() forgets a crossing in progress', () => {
    const c = new BeamCounter({ minDwellMs: 200 });
    feed(c, 'A+@0 B+@100');
    c.reset();
    expect(c.active).toBe(false);
    feed(c, 'A-@70000 B-@70001');
    expect([c.entries, c.exits]).toEqual([0, 0]);
  });
});
