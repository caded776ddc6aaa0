// Fuel node: an ultrasonic sensor over the tank. Median of a few pings against slosh and vibration,
// litres from the commissioned tank geometry, status for blind zone / no echo / out of range.
import type { FuelBody } from '../../../protocol/index.js';
import type { FuelSensorHw } from '../../world/sensors.js';
import type { NodeApp } from '../app.js';
import { DEFAULT_TELEMETRY_MS } from '../app.js';

/** What the technician entered at commissioning: a rectangular tank and the sensor's mounting. */
export interface TankCalibration {
  tankL: number;
  tankHeightMm: number;
  /** Sensor face to the tank top. */
  mountMm: number;
  blindMm: number;
}

export interface FuelAppOptions {
  sensor: FuelSensorHw;
  tank: TankCalibration;
  intervalMs?: number;
  /** Pings per reading (median). */
  samples?: number;
  /** A rise of at least this many litres between readings means someone is refuelling. */
  refuelRiseL?: number;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
}

export class FuelApp implements NodeApp<'fuel'> {
  readonly kind = 'fuel' as const;
  readonly intervalMs: number;
  readonly changeDebounceMs = 0;
  private lastLitres: number | null = null;

  constructor(private readonly opts: FuelAppOptions) {
    this.intervalMs = opts.intervalMs ?? DEFAULT_TELEMETRY_MS.fuel;
  }

  start(): void {}
  stop(): void {}
  reboot(): void {
    this.lastLitres = null;
  }

  read(): FuelBody {
    const { tank } = this.opts;
    const pings: number[] = [];
    for (let i = 0; i < (this.opts.samples ?? 5); i++) {
      const d = this.opts.sensor.readDistanceMm();
      if (d !== null) pings.push(d);
    }
    if (pings.length === 0) return { litres: null, pct: null, rawMm: null, status: 'unplugged', refuelling: false };
    const rawMm = Math.round(median(pings));
    if (rawMm <= tank.blindMm) return { litres: null, pct: null, rawMm, status: 'blind', refuelling: false };
    const levelMm = tank.mountMm + tank.tankHeightMm - rawMm;
    // Beyond the tank bottom by more than noise: the echo comes from something else.
    if (levelMm < -50 || levelMm > tank.tankHeightMm + 50) return { litres: null, pct: null, rawMm, status: 'fault', refuelling: false };
    const frac = Math.min(1, Math.max(0, levelMm / tank.tankHeightMm));
    const litres = Math.round(frac * tank.tankL * 10) / 10;
    const refuelling = this.lastLitres !== null && litres - this.lastLitres >= (this.opts.refuelRiseL ?? 1.5);
    this.lastLitres = litres;
    return { litres, pct: Math.round(frac * 1000) / 10, rawMm, status: 'ok', refuelling };
  }
}
