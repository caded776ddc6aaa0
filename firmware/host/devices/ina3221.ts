// Fake INA3221: three channels whose current (mA) and bus voltage the world sets.
import { RegisterDevice, toU16 } from './register-device.js';

export class FakeINA3221 extends RegisterDevice {
  readonly milliamps = [0, 0, 0];
  readonly volts = [5.1, 5.1, 5.1];
  config = 0x7127;

  constructor(private readonly shuntOhms: number) {
    super();
  }

  protected register(reg: number): number {
    if (reg === 0x00) return this.config;
    if (reg === 0xfe) return 0x5449;
    if (reg === 0xff) return 0x3220;
    if (reg >= 0x01 && reg <= 0x06) {
      const ch = (reg - 1) >> 1;
      if ((reg & 1) === 1) return toU16(Math.round(((this.milliamps[ch]! / 1000) * this.shuntOhms) / 40e-6) << 3);
      return toU16(Math.round(this.volts[ch]! / 8e-3) << 3);
    }
    return 0;
  }

  protected override setRegister(reg: number, value: number): void {
    super.setRegister(reg, value);
    if (reg === 0x00) this.config = value;
  }
}
