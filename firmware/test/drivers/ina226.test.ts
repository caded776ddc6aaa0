import { describe, it, expect } from 'vitest';
import { FakeINA226 } from '../../host/devices/ina226.js';
import { HostI2C } from '../../host/i2c.js';
import { INA226, INA226_CONFIG } from '../../src/drivers/ina226/ina226.js';

function setup() {
  const bus = new HostI2C();
  const chip = new FakeINA226(0.001);
  bus.attach(0x40, chip);
  return { bus, chip, ina: new INA226(bus, 0x40, 0.001) };
}

describe('INA226 driver (fake bus)', () => {
  it('identifies the chip and writes the averaging config', () => {
    const { ina, chip } = setup();
    expect(ina.init()).toBe(true);
    expect(chip.writes).toEqual([[0x00, INA226_CONFIG]]);
  });

  it('reads bus voltage and signed current from the shunt', () => {
    const { ina, chip } = setup();
    chip.volts = 12.84;
    chip.amps = -23.5;
    expect(ina.busVolts()).toBeCloseTo(12.84, 2);
    expect(ina.amps()).toBeCloseTo(-23.5, 2);
    chip.amps = 40;
    expect(ina.amps()).toBeCloseTo(40, 2);
  });

  it('rejects another chip at the address and surfaces bus errors', () => {
    const { ina, bus } = setup();
    const other = new INA226(bus, 0x41, 0.001);
    bus.attach(0x41, { write: () => undefined, read: () => [0x12, 0x34] });
    expect(other.init()).toBe(false);
    bus.failing.add(0x40);
    expect(() => ina.busVolts()).toThrow(/no ACK from 0x40/);
  });
});
