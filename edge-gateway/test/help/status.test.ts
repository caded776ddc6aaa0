// The help aggregate in the point's status: what a point sends validates, an older point without it still
// validates, and the aggregate carries counts and categories only.
import { describe, expect, it } from 'vitest';
import { PointStatusSchema } from '../../src/protocol/index.js';
import { statusAggregate, summarize } from '../../src/help/aggregate.js';

const base = { v: 1, point: 'p1', name: 'Punt 1', seq: 3, ts: 1, nodes: [], fuel: null, battery: null, visitors: null, charging: null, alarms: [] };

describe('help in the point status', () => {
  it('validates with and without the help aggregate', () => {
    const help = statusAggregate(
      summarize(
        [
          { kind: 'request', category: 'medicine', status: 'open', n: 2 },
          { kind: 'request', category: 'medicine', status: 'in-progress', n: 1 },
          { kind: 'offer', category: 'transport', status: 'done', n: 4 },
        ],
        [{ category: 'medicine', urgency: 'urgent', people: 2 }],
        0,
      ),
    );
    // Only categories with entries travel; matched includes in progress.
    expect(help).toEqual({ requests: { medicine: { open: 2, matched: 1, done: 0 } }, offers: { transport: { open: 0, matched: 0, done: 4 } }, mostNeeded: ['medicine'] });
    expect(PointStatusSchema.parse({ ...base, help }).help).toEqual(help);
    expect(PointStatusSchema.safeParse(base).success).toBe(true);
    expect(PointStatusSchema.safeParse({ ...base, help: { ...help, mostNeeded: ['a', 'b', 'c', 'd'] } }).success).toBe(false);
    expect(PointStatusSchema.safeParse({ ...base, help: { ...help, requests: { medicine: { open: -1, matched: 0, done: 0 } } } }).success).toBe(false);
    expect(PointStatusSchema.safeParse({ ...base, help: { ...help, requests: { 'Not A Category!': { open: 1, matched: 0, done: 0 } } } }).success).toBe(false);
  });
});
