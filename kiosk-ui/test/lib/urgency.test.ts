import { describe, expect, it } from 'vitest';
import type { PointStatus, PointSummary } from '../../src/lib/api/types.js';
import { lowestLevel, sortByUrgency } from '../../src/lib/urgency.js';

function point(
  id: string,
  opts: { online?: boolean; receivedAt?: number | null; fuel?: number | null; soc?: number | null; alarms?: string[]; noStatus?: boolean },
): PointSummary {
  const status: PointStatus = {
    v: 1,
    point: id,
    name: id,
    seq: 1,
    ts: 0,
    nodes: [],
    fuel: opts.fuel === undefined ? null : { litres: null, pct: opts.fuel, status: opts.fuel === null ? 'fault' : 'ok' },
    battery: opts.soc === undefined ? null : { v: null, soc: opts.soc, a: null },
    visitors: null,
    charging: null,
    alarms: opts.alarms ?? [],
  };
  return { point: id, name: id, online: opts.online ?? true, receivedAt: opts.receivedAt ?? 1000, status: opts.noStatus ? null : status };
}

const ids = (ps: PointSummary[]) => ps.map((p) => p.point);

describe('lowestLevel', () => {
  it('takes the lower of fuel % and battery SoC, ignoring unknown ones', () => {
    expect(lowestLevel(point('a', { fuel: 40, soc: 25 }))).toBe(25);
    expect(lowestLevel(point('a', { fuel: 40, soc: null }))).toBe(40);
    expect(lowestLevel(point('a', { fuel: null }))).toBeNull();
    expect(lowestLevel(point('a', { noStatus: true }))).toBeNull();
  });

  it('treats a known 0 as 0, not as unknown', () => {
    expect(lowestLevel(point('a', { fuel: 0, soc: 80 }))).toBe(0);
  });
});

describe('sortByUrgency', () => {
  it('puts offline points first, the one silent longest first', () => {
    const sorted = sortByUrgency([
      point('on-low', { fuel: 5 }),
      point('off-recent', { online: false, receivedAt: 9000, fuel: 90 }),
      point('off-old', { online: false, receivedAt: 1000, fuel: 90 }),
      point('off-never', { online: false, receivedAt: null, noStatus: true }),
    ]);
    expect(ids(sorted)).toEqual(['off-never', 'off-old', 'off-recent', 'on-low']);
  });

  it('orders online points by lowest fuel or battery, unknown levels after known ones', () => {
    const sorted = sortByUrgency([
      point('full', { fuel: 95, soc: 90 }),
      point('unknown', { fuel: null }),
      point('battery-low', { fuel: 80, soc: 12 }),
      point('fuel-low', { fuel: 20, soc: 70 }),
      point('empty', { fuel: 0, soc: 50 }),
    ]);
    expect(ids(sorted)).toEqual(['empty', 'battery-low', 'fuel-low', 'full', 'unknown']);
  });

  it('breaks ties by number of alarms, then by name', () => {
    const sorted = sortByUrgency([
      point('b', { fuel: 50 }),
      point('a', { fuel: 50 }),
      point('c', { fuel: 50, alarms: ['fuel-sensor', 'door'] }),
    ]);
    expect(ids(sorted)).toEqual(['c', 'a', 'b']);
  });

  it('does not change the array it was given', () => {
    const input = [point('b', { fuel: 60 }), point('a', { fuel: 10 })];
    sortByUrgency(input);
    expect(ids(input)).toEqual(['b', 'a']);
  });
});
