import { describe, expect, it } from 'vitest';
import { batteryTrend, forecastFuel, lastRefuelStart, medianFilter, theilSen } from '../../src/coordinator/forecast.js';
import { mulberry32, simulateFuelTrace } from '../../src/coordinator/fuel-trace.js';

const HOUR = 3_600_000;
const MIN = 60_000;

describe('forecast building blocks', () => {
  it('median filter removes a single spike', () => {
    expect(medianFilter([10, 10, 30, 10, 10])).toEqual([10, 10, 10, 10, 10]);
  });
  it('Theil–Sen ignores outliers that pull least squares off', () => {
    const xs = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9];
    const ys = xs.map((x) => 100 - 2 * x);
    ys[3] = 200;
    ys[7] = -50;
    const { slope, intercept } = theilSen(xs, ys);
    expect(slope).toBeCloseTo(-2, 6);
    expect(intercept).toBeCloseTo(100, 6);
  });
  it('finds the last refuel and starts after the level stopped rising', () => {
    const levels = [50, 49, 48, 47, 46, 55, 65, 75, 76, 75, 74, 73];
    expect(lastRefuelStart(levels, 5)).toBeGreaterThanOrEqual(7);
    expect(lastRefuelStart([50, 49, 60, 48, 47, 46], 5)).toBe(0); // one slosh spike is no refuel
  });
});

describe('forecastFuel', () => {
  it('never gives a number from too little data', () => {
    expect(forecastFuel([])).toMatchObject({ kind: 'unknown', reason: 'no-data' });
    const few = [0, 1, 2, 3].map((i) => ({ t: i * MIN, level: 20 - i * 0.1 }));
    expect(forecastFuel(few)).toMatchObject({ kind: 'unknown', reason: 'too-few-readings' });
    const short = Array.from({ length: 20 }, (_, i) => ({ t: i * MIN, level: 20 - i * 0.1 }));
    expect(forecastFuel(short)).toMatchObject({ kind: 'unknown', reason: 'too-short' });
  });

  it('a flat level is steady, not hours-to-empty', () => {
    const rand = mulberry32(1);
    const flat = Array.from({ length: 61 }, (_, i) => ({ t: i * MIN, level: 20 + 0.2 * (rand() - 0.5) }));
    expect(forecastFuel(flat).kind).toBe('steady');
  });

  it('pure noise with no trend does not become a confident estimate', () => {
    const rand = mulberry32(2);
    const noisy = Array.from({ length: 61 }, (_, i) => ({ t: i * MIN, level: 20 + 8 * (rand() - 0.5) }));
    const f = forecastFuel(noisy);
    expect(f.kind === 'estimate' && f.confidence === 'high').toBe(false);
  });

  it('is accurate after one hour of noisy, sloshing readings (20 traces, MAPE ≤ 10 %)', () => {
    const errors: number[] = [];
    for (let seed = 1; seed <= 20; seed++) {
      const rand = mulberry32(seed);
      const tr = simulateFuelTrace({ rand, startL: 15 + 10 * rand(), loadW: 1000 + 2000 * rand(), intervalMs: MIN, durationMs: HOUR, noiseSdL: 0.1, sloshP: 0.1, sloshL: 1.5 });
      const f = forecastFuel(tr.readings);
      expect(f.kind).toBe('estimate');
      if (f.kind !== 'estimate') continue;
      const truth = tr.truth.at(-1)! / tr.rateLphAtEnd;
      errors.push(Math.abs(f.hoursToEmpty - truth) / truth);
      expect(f.hoursLow).toBeLessThanOrEqual(f.hoursToEmpty);
      expect(f.hoursHigh).toBeGreaterThanOrEqual(f.hoursToEmpty);
    }
    const mape = (100 * errors.reduce((a, b) => a + b, 0)) / errors.length;
    expect(mape).toBeLessThanOrEqual(10);
  });

  it('uses only the readings after a refuel', () => {
    const rand = mulberry32(7);
    const tr = simulateFuelTrace({ rand, startL: 12, loadW: 2000, intervalMs: MIN, durationMs: 3 * HOUR, noiseSdL: 0.1, sloshP: 0.05, sloshL: 1.5, refuels: [{ atMs: 1.5 * HOUR, litres: 15 }] });
    const f = forecastFuel(tr.readings);
    expect(f.kind).toBe('estimate');
    if (f.kind !== 'estimate') return;
    expect(f.refuelAt).not.toBeNull();
    expect(f.refuelAt!).toBeGreaterThanOrEqual(1.5 * HOUR);
    const truth = tr.truth.at(-1)! / tr.rateLphAtEnd;
    expect(Math.abs(f.hoursToEmpty - truth) / truth).toBeLessThan(0.15);
    // Without refuel detection a fit across the step would see a rising level.
    const naive = forecastFuel(tr.readings, { refuelStep: 1e9 });
    expect(naive.kind === 'estimate' && Math.abs(naive.hoursToEmpty - truth) / truth < 0.15).toBe(false);
  });

  it('a refuel in progress gives no estimate until enough readings follow it', () => {
    const rand = mulberry32(9);
    const tr = simulateFuelTrace({ rand, startL: 10, loadW: 2000, intervalMs: MIN, durationMs: 2 * HOUR + 10 * MIN, noiseSdL: 0.1, refuels: [{ atMs: 2 * HOUR, litres: 15 }] });
    expect(forecastFuel(tr.readings)).toMatchObject({ kind: 'unknown' });
  });

  it('subtracts the reserve', () => {
    const readings = Array.from({ length: 61 }, (_, i) => ({ t: i * MIN, level: 20 - (2 * i) / 60 }));
    const f = forecastFuel(readings, { reserve: 2 });
    expect(f).toMatchObject({ kind: 'estimate', confidence: 'high' });
    if (f.kind === 'estimate') expect(f.hoursToEmpty).toBeCloseTo((18 - 2) / 2, 6);
  });
});

describe('batteryTrend', () => {
  const series = (f: (h: number) => number, n = 31) => Array.from({ length: n }, (_, i) => ({ t: i * 2 * MIN, level: f((i * 2) / 60) }));
  it('discharging with hours to the floor, charging, steady, unknown', () => {
    const d = batteryTrend(series((h) => 80 - 10 * h));
    expect(d).toMatchObject({ kind: 'discharging' });
    if (d.kind === 'discharging') {
      expect(d.socPerHour).toBeCloseTo(-10, 6);
      expect(d.hoursToFloor).toBeCloseTo((70 - 20) / 10, 6);
    }
    expect(batteryTrend(series((h) => 40 + 15 * h))).toMatchObject({ kind: 'charging', hoursToFloor: null });
    expect(batteryTrend(series(() => 55))).toMatchObject({ kind: 'steady' });
    expect(batteryTrend(series((h) => 50 - h, 3))).toMatchObject({ kind: 'unknown', reason: 'too-few-readings' });
  });
  it('ignores a few spikes', () => {
    const s = series((h) => 80 - 10 * h);
    s[5]!.level = 0;
    s[20]!.level = 100;
    const d = batteryTrend(s);
    expect(d.kind === 'discharging' && d.socPerHour).toBeCloseTo(-10, 6);
  });
});
