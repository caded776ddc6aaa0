// Fake INA226 for tests and the simulator: the world sets bus volts and current.
import { RegisterDevice, toU16 } from './register-device.js';

export class FakeINA226 extends RegisterDevice {
  volts = 12.6;
  /** Positive into the battery. */
  amps = 0;
  config = 0x4127;

  constructor(private readonly shuntOhms: number) {
    super();
  }

  protected register(reg: number): number {
    switch (reg) {
      case 0x00:
        return this.config;
      case 0x01:
        return toU16((this.amps * this.shuntOhms) / 2.5e-6);
      case 0x02:
        return Math.round(this.volts / 1.25e-3);
      case 0xfe:
        return 0x5449;
      case 0xff:
        return 0x2260;
      default:
        return 0;
    }
  }

  protected override setRegister(reg: number, value: number): void {
    super.setRegister(reg, value);
    if (reg === 0x00) this.config = value;
  }
}
