import { describe, it, expect } from 'vitest';
import { FakeINA3221 } from '../../host/devices/ina3221.js';
import { HostI2C } from '../../host/i2c.js';
import { INA3221, INA3221_CONFIG } from '../../src/drivers/ina3221/ina3221.js';

describe('INA3221 driver (fake bus)', () => {
  it('identifies, configures and reads each channel', () => {
    const bus = new HostI2C();
    const chip = new FakeINA3221(0.05);
    bus.attach(0x41, chip);
    const ina = new INA3221(bus, 0x41, 0.05);
    expect(ina.init()).toBe(true);
    expect(chip.writes).toEqual([[0x00, INA3221_CONFIG]]);
    chip.milliamps[0] = 2400;
    chip.milliamps[1] = 0;
    chip.milliamps[2] = 512;
    chip.volts[2] = 4.96;
    // 40 µV LSB over 50 mΩ: 0.8 mA resolution.
    expect(ina.milliamps(0)).toBeCloseTo(2400, 0);
    expect(ina.milliamps(1)).toBe(0);
    expect(ina.milliamps(2)).toBeCloseTo(512, 0);
    expect(ina.busVolts(2)).toBeCloseTo(4.96, 2);
  });

  it('handles negative shunt voltage (reverse current)', () => {
    const bus = new HostI2C();
    const chip = new FakeINA3221(0.05);
    bus.attach(0x40, chip);
    chip.milliamps[1] = -100;
    expect(new INA3221(bus, 0x40, 0.05).milliamps(1)).toBeCloseTo(-100, 0);
  });
});
