// State of charge by coulomb counting. Charge going in is discounted by the charge efficiency
// (lead-acid loses some as heat and gassing); the count resyncs to 100 % when the bank is full:
// voltage at the absorption level while the charge current has tailed off, for a while.

export interface SocOptions {
  capacityAh: number;
  /** Fraction of charge current that ends up stored, e.g. 0.9. */
  chargeEfficiency: number;
  fullVolts: number;
  /** Charge current below which, at fullVolts, the bank counts as full (A). */
  tailAmps: number;
  fullSec: number;
}

export class CoulombCounter {
  /** 0–100. */
  soc: number;
  private fullSince = -1;

  constructor(
    readonly opts: SocOptions,
    initialSoc: number,
  ) {
    this.soc = initialSoc;
  }

  /** Integrates one sample: amps positive into the battery, over dtSec. Returns true on a full resync. */
  update(volts: number, amps: number, dtSec: number, nowSec: number): boolean {
    const ah = (amps * dtSec) / 3600;
    const stored = ah > 0 ? ah * this.opts.chargeEfficiency : ah;
    this.soc = Math.max(0, Math.min(100, this.soc + (stored / this.opts.capacityAh) * 100));
    if (volts >= this.opts.fullVolts && amps >= 0 && amps < this.opts.tailAmps) {
      if (this.fullSince < 0) this.fullSince = nowSec;
      if (nowSec - this.fullSince >= this.opts.fullSec) {
        const resynced = this.soc !== 100;
        this.soc = 100;
        return resynced;
      }
    } else {
      this.fullSince = -1;
    }
    return false;
  }
}

/** Rough SoC from a rested 12 V lead-acid bank's voltage, only used when nothing better is known. */
export function socFromRestVolts(v: number): number {
  const pct = ((v - 11.8) / (12.7 - 11.8)) * 100;
  return Math.max(0, Math.min(100, Math.round(pct)));
}
