// LFP battery bank: SoC bookkeeping with one-way efficiencies, terminal voltage from a per-cell
// open-circuit curve plus IR drop. Power convention: positive = into the battery (charging).
import type { BatteryScenario } from './scenario.js';

/** LFP open-circuit voltage per cell by SoC (%): flat plateau around 3.3 V, steep at both ends. */
const LFP_OCV: readonly [number, number][] = [
  [0, 2.5],
  [5, 3.0],
  [10, 3.2],
  [20, 3.25],
  [30, 3.28],
  [50, 3.3],
  [70, 3.32],
  [90, 3.35],
  [98, 3.4],
  [100, 3.45],
];
const NOMINAL_CELL_V = 3.2;

export function lfpCellOcv(soc: number): number {
  const s = Math.min(100, Math.max(0, soc));
  for (let i = 1; i < LFP_OCV.length; i++) {
    const [s1, v1] = LFP_OCV[i]!;
    const [s0, v0] = LFP_OCV[i - 1]!;
    if (s <= s1) return v0 + ((v1 - v0) * (s - s0)) / (s1 - s0);
  }
  return LFP_OCV[LFP_OCV.length - 1]![1];
}

export class BatteryBank {
  soc: number;
  /** DC power at the terminals in the last step (W), positive when charging. */
  powerW = 0;
  chargedWh = 0;
  dischargedWh = 0;

  constructor(private readonly cfg: BatteryScenario) {
    this.soc = Math.min(100, Math.max(0, cfg.initialSoc));
  }

  get capacityWh(): number {
    return this.cfg.cells * NOMINAL_CELL_V * this.cfg.capacityAh;
  }
  get inverterEff(): number {
    return this.cfg.inverterEff;
  }
  get ocv(): number {
    return lfpCellOcv(this.soc) * this.cfg.cells;
  }
  get currentA(): number {
    return this.powerW / this.ocv;
  }
  get voltage(): number {
    return this.ocv + this.currentA * this.cfg.resistanceOhm;
  }

  /** Charge power the bank accepts now: full up to 95 %, tapering to 0 at 100 % (CV phase). */
  acceptanceW(offeredW: number): number {
    return this.soc < 95 ? offeredW : offeredW * Math.max(0, (100 - this.soc) / 5);
  }

  /** Applies DC power for dt seconds; returns the power actually delivered (discharge stops at 0 %). */
  apply(powerW: number, dt: number): number {
    const hours = dt / 3600;
    if (powerW >= 0) {
      const stored = powerW * this.cfg.chargeEff * hours;
      this.soc = Math.min(100, this.soc + (100 * stored) / this.capacityWh);
      this.chargedWh += powerW * hours;
      this.powerW = powerW;
      return powerW;
    }
    const availableWh = (this.soc / 100) * this.capacityWh * this.cfg.dischargeEff;
    const wantWh = -powerW * hours;
    const gotWh = Math.min(wantWh, availableWh);
    this.soc = Math.max(0, this.soc - (100 * gotWh) / this.cfg.dischargeEff / this.capacityWh);
    this.dischargedWh += gotWh;
    this.powerW = hours > 0 ? -gotWh / hours : 0;
    return this.powerW;
  }
}
