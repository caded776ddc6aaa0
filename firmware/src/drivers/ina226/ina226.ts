// TI INA226 current/power monitor over I2C. The bus is injected (Espruino's I2C1, or a fake).
// Current is computed from the shunt voltage, so no calibration register has to be right.
import type { I2CBus } from '../../platform/espruino.js';

export const INA226_REG = {
  CONFIG: 0x00,
  SHUNT: 0x01,
  BUS: 0x02,
  MANUFACTURER: 0xfe,
  DIE: 0xff,
};
/** 'TI' */
export const INA226_MANUFACTURER = 0x5449;
export const INA226_DIE = 0x2260;
/** 16-sample averaging, 1.1 ms conversions, shunt and bus continuous. */
export const INA226_CONFIG = 0x4527;
/** Shunt voltage LSB 2.5 µV, bus voltage LSB 1.25 mV. */
const SHUNT_LSB_V = 2.5e-6;
const BUS_LSB_V = 1.25e-3;

export class INA226 {
  constructor(
    private readonly bus: I2CBus,
    readonly address: number,
    private readonly shuntOhms: number,
  ) {}

  readRegister(reg: number): number {
    this.bus.writeTo(this.address, reg);
    const d = this.bus.readFrom(this.address, 2);
    return ((d[0] as number) << 8) | (d[1] as number);
  }

  writeRegister(reg: number, value: number): void {
    this.bus.writeTo(this.address, [reg, (value >> 8) & 255, value & 255]);
  }

  /** Checks the chip answers as an INA226 and configures averaging. Throws on a bus error. */
  init(): boolean {
    if (this.readRegister(INA226_REG.MANUFACTURER) !== INA226_MANUFACTURER) return false;
    if (this.readRegister(INA226_REG.DIE) !== INA226_DIE) return false;
    this.writeRegister(INA226_REG.CONFIG, INA226_CONFIG);
    return true;
  }

  busVolts(): number {
    return this.readRegister(INA226_REG.BUS) * BUS_LSB_V;
  }

  /** Signed shunt voltage in V. */
  shuntVolts(): number {
    const raw = this.readRegister(INA226_REG.SHUNT);
    return (raw > 0x7fff ? raw - 0x10000 : raw) * SHUNT_LSB_V;
  }

  /** Current in A; the sign follows the shunt wiring (positive = into the battery). */
  amps(): number {
    return this.shuntVolts() / this.shuntOhms;
  }
}
