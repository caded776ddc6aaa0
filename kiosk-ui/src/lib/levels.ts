// Plain-language levels for residents: a word and a tone instead of raw numbers.
// Thresholds are deliberately coarse; staff see the exact values in the console.
import type { BatteryReading, FuelReading, VisitorsReading } from './api/types.js';

export type Level = 'plenty' | 'some' | 'low' | 'unknown';
export type Crowd = 'quiet' | 'busy' | 'full' | 'unknown';
/** Colour family used by the CSS (`data-tone`); every tone is also said in words. */
export type Tone = 'ok' | 'warn' | 'bad' | 'unknown';

/** Below this the generator tank is "almost gone" (Venus OS warns at 10 %; residents get earlier notice). */
export const FUEL_LOW_PCT = 20;
export const FUEL_PLENTY_PCT = 50;
export const BATTERY_LOW_PCT = 30;
export const BATTERY_PLENTY_PCT = 60;
/**
 * People inside at which the point counts as "very busy". A placeholder until the gateway reports the
 * point's own capacity; busy starts at half of it.
 */
export const DEFAULT_CAPACITY = 60;

function pctLevel(pct: number | null, low: number, plenty: number): Level {
  if (pct == null || !Number.isFinite(pct)) return 'unknown';
  if (pct < low) return 'low';
  if (pct < plenty) return 'some';
  return 'plenty';
}

/** A sensor that is blind, faulty or unplugged makes the level unknown, whatever number it last gave. */
export function fuelLevel(fuel: FuelReading | null): Level {
  if (!fuel || fuel.status !== 'ok') return 'unknown';
  return pctLevel(fuel.pct, FUEL_LOW_PCT, FUEL_PLENTY_PCT);
}

export function batteryLevel(battery: BatteryReading | null): Level {
  if (!battery || battery.status !== 'ok') return 'unknown';
  return pctLevel(battery.soc, BATTERY_LOW_PCT, BATTERY_PLENTY_PCT);
}

export function crowdLevel(visitors: VisitorsReading | null, capacity = DEFAULT_CAPACITY): Crowd {
  if (!visitors || !Number.isFinite(visitors.inside)) return 'unknown';
  if (visitors.inside >= capacity) return 'full';
  if (visitors.inside >= capacity / 2) return 'busy';
  return 'quiet';
}

export function levelTone(level: Level | Crowd): Tone {
  switch (level) {
    case 'plenty':
    case 'quiet':
      return 'ok';
    case 'some':
    case 'busy':
      return 'warn';
    case 'low':
    case 'full':
      return 'bad';
    default:
      return 'unknown';
  }
}
