// Reading a phone from port current alone: plugged (current appears on an offered port), charging,
// full (current tapers below fullMa: the CV phase) and unplugged (current falls to idle straight from a
// high draw). A change must hold for `idleReadings` readings so one noisy sample never ends a session.
import type { ChargingConfig } from './config.js';

export type Detection = 'charging' | 'full' | 'unplugged';

export interface DetectorState {
  /** Consecutive readings below fullMa. */
  lowCount: number;
  /** Last reading at or above fullMa before the current low run (null: none in this session yet). */
  lastHighMa: number | null;
  /** Last reading of the current low run (to tell a trickle from nothing). */
  lastLowMa: number | null;
}

export function newDetector(): DetectorState {
  return { lowCount: 0, lastHighMa: null, lastLowMa: null };
}

/** Feeds one reading of a port that is on with a session; returns what the phone is doing now. */
export function detect(d: DetectorState, mA: number, cfg: ChargingConfig['detection']): Detection {
  if (mA >= cfg.fullMa) {
    d.lowCount = 0;
    d.lastHighMa = mA;
    d.lastLowMa = null;
    return 'charging';
  }
  d.lowCount++;
  d.lastLowMa = mA;
  if (d.lowCount < cfg.idleReadings) return 'charging';
  // Nothing drawn, and the last real draw was high: the cable was pulled mid-charge.
  if (mA <= cfg.idleMa && d.lastHighMa !== null && d.lastHighMa >= cfg.unplugFromMa) return 'unplugged';
  // Never drew (phone gone while paused, or plugged full) and nothing now: unplugged, not full.
  if (mA <= cfg.idleMa && d.lastHighMa === null) return 'unplugged';
  return 'full';
}
