// Simulated fuel-level traces for the forecast tests and the `coordinator` bench: the true drain
// follows the shared power model's fuel curve at a varying load; the sensor adds Gaussian noise,
// slosh spikes (the tank shakes while the generator runs) and refuels.
import { loadPowerConfig, toPowerSystem } from '../../../hardware/src/power-config.js';
import { fuelRateLph, type Generator } from '../../../hardware/src/power-model.js';
import type { LevelReading } from './forecast.js';
import { mulberry32 } from '../core/prng.js';

/** The reference point's generator (hardware/power-budget.example.json: 6 kVA diesel, 0.4–1.75 L/h). */
export const SIM_GENERATOR: Generator = toPowerSystem(loadPowerConfig()).generator;

export interface TraceOptions {
  /** Deterministic random source (see `mulberry32`). */
  rand: () => number;
  startL: number;
  /** Mean electrical load on the generator. */
  loadW: number;
  /** Load wanders ± this fraction around the mean (slow sine, fridges and charging). */
  loadWander?: number;
  intervalMs: number;
  durationMs: number;
  noiseSdL: number;
  /** Probability that a reading is a slosh spike, and its size. */
  sloshP?: number;
  sloshL?: number;
  /** Refuels: at `atMs` after the start, `litres` added over `overMs`. */
  refuels?: { atMs: number; litres: number; overMs?: number }[];
  t0?: number;
}

export interface Trace {
  readings: LevelReading[];
  /** True fuel (without sensor effects) at each reading. */
  truth: number[];
  /** True consumption at the end (L/h). */
  rateLphAtEnd: number;
}

/** Traces use the project's seeded PRNG so they are the same on every run. */
export { mulberry32 };

function gaussian(rand: () => number): number {
  return Math.sqrt(-2 * Math.log(1 - rand())) * Math.cos(2 * Math.PI * rand());
}

export function simulateFuelTrace(o: TraceOptions): Trace {
  const t0 = o.t0 ?? 0;
  const wander = o.loadWander ?? 0.1;
  const readings: LevelReading[] = [];
  const truth: number[] = [];
  let fuel = o.startL;
  let rate = 0;
  for (let dt = 0; dt <= o.durationMs; dt += o.intervalMs) {
    if (dt > 0) {
      const loadW = o.loadW * (1 + wander * Math.sin((2 * Math.PI * dt) / (6 * 3_600_000)));
      rate = fuelRateLph(SIM_GENERATOR, loadW);
      fuel = Math.max(0, fuel - (rate * o.intervalMs) / 3_600_000);
      for (const r of o.refuels ?? []) {
        const over = r.overMs ?? 5 * 60_000;
        const overlap = Math.min(dt, r.atMs + over) - Math.max(dt - o.intervalMs, r.atMs);
        if (overlap > 0) fuel += (r.litres * overlap) / over;
      }
    }
    let level = fuel + o.noiseSdL * gaussian(o.rand);
    if (o.rand() < (o.sloshP ?? 0)) level += (o.rand() < 0.5 ? -1 : 1) * (o.sloshL ?? 0) * (0.5 + o.rand());
    readings.push({ t: t0 + dt, level });
    truth.push(fuel);
  }
  return { readings, truth, rateLphAtEnd: rate };
}
