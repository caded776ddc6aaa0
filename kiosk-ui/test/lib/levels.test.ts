import { describe, expect, it } from 'vitest';
import { batteryLevel, crowdLevel, DEFAULT_CAPACITY, fuelLevel, levelTone } from '../../src/lib/levels.js';

describe('resident levels', () => {
  it('maps fuel % to plain levels', () => {
    const f = (pct: number | null) => fuelLevel({ litres: null, pct, status: 'ok', refuelling: false });
    expect([f(90), f(50), f(49), f(20), f(19), f(0)]).toEqual(['plenty', 'plenty', 'some', 'some', 'low', 'low']);
    expect(f(null)).toBe('unknown');
  });

  it('calls fuel unknown when the sensor is not ok, whatever number it last gave', () => {
    for (const status of ['blind', 'fault', 'unplugged'] as const) {
      expect(fuelLevel({ litres: 80, pct: 80, status, refuelling: false })).toBe('unknown');
    }
    expect(fuelLevel(null)).toBe('unknown');
  });

  it('maps battery SoC, unknown on a fault or missing value', () => {
    const b = (soc: number | null, status: 'ok' | 'fault' = 'ok') => batteryLevel({ v: 25, a: 0, soc, status });
    expect([b(60), b(59), b(30), b(29)]).toEqual(['plenty', 'some', 'some', 'low']);
    expect(b(null)).toBe('unknown');
    expect(b(90, 'fault')).toBe('unknown');
    expect(batteryLevel(null)).toBe('unknown');
  });

  it('maps people inside to crowding', () => {
    const c = (inside: number) => crowdLevel({ entries: inside, exits: 0, inside });
    expect(c(0)).toBe('quiet');
    expect(c(DEFAULT_CAPACITY / 2 - 1)).toBe('quiet');
    expect(c(DEFAULT_CAPACITY / 2)).toBe('busy');
    expect(c(DEFAULT_CAPACITY)).toBe('full');
    expect(crowdLevel({ entries: 5, exits: 0, inside: 5 }, 8)).toBe('busy');
    expect(crowdLevel(null)).toBe('unknown');
  });

  it('gives each level a tone', () => {
    expect(['plenty', 'some', 'low', 'unknown', 'quiet', 'busy', 'full'].map((l) => levelTone(l as never))).toEqual([
      'ok',
      'warn',
      'bad',
      'unknown',
      'ok',
      'warn',
      'bad',
    ]);
  });
});
