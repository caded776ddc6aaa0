// TI INA3221 three-channel shunt/bus monitor over I2C (bus injected).
import type { I2CBus } from '../../platform/espruino.js';

export const INA3221_MANUFACTURER = 0x5449;
export const INA3221_DIE = 0x3220;
export const INA3221_REG = { CONFIG: 0x00, MANUFACTURER: 0xfe, DIE: 0xff };
/** All channels on, 16-sample averaging, 1.1 ms conversions, shunt+bus continuous. */
export const INA3221_CONFIG = 0x7527;
/** Values sit in bits 15..3: shunt LSB 40 µV, bus LSB 8 mV. */
const SHUNT_LSB_V = 40e-6;
const BUS_LSB_V = 8e-3;

function signed13(raw: number): number {
  const v = raw > 0x7fff ? raw - 0x10000 : raw;
  return v >> 3;
}

export class INA3221 {
  constructor(
    private readonly bus: I2CBus,
    readonly address: number,
    private readonly shuntOhms: number,
  ) {}

  private read(reg: number): number {
    this.bus.writeTo(this.address, reg);
    const d = this.bus.readFrom(this.address, 2);
    return ((d[0] as number) << 8) | (d[1] as number);
  }

  init(): boolean {
    if (this.read(INA3221_REG.MANUFACTURER) !== INA3221_MANUFACTURER || this.read(INA3221_REG.DIE) !== INA3221_DIE) return false;
    this.bus.writeTo(this.address, [INA3221_REG.CONFIG, INA3221_CONFIG >> 8, INA3221_CONFIG & 255]);
    return true;
  }

  /** Channel 0–2: shunt register 0x01 + 2·ch. */
  shuntVolts(ch: number): number {
    return signed13(this.read(0x01 + 2 * ch)) * SHUNT_LSB_V;
  }

  busVolts(ch: number): number {
    return signed13(this.read(0x02 + 2 * ch)) * BUS_LSB_V;
  }

  milliamps(ch: number): number {
    return (this.shuntVolts(ch) / this.shuntOhms) * 1000;
  }
}
