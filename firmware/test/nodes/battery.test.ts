import { describe, it, expect, beforeAll } from 'vitest';
import { FakeINA226 } from '../../host/devices/ina226.js';
import { HostStorage } from '../../host/storage.js';
import { ensureBundles } from '../helpers/bundles.js';
import { bootNode } from '../helpers/gateway.js';

const SHUNT = 0.00075;

describe('battery node (real bundle, virtual time)', () => {
  beforeAll(async () => {
    await ensureBundles();
  }, 120_000);

  it('reports voltage, current and a coulomb-counted SoC', () => {
    const storage = new HostStorage();
    storage.write('ns.soc', '50.0');
    const chip = new FakeINA226(SHUNT);
    const { host, clock, gw } = bootNode('battery', { storage }, (h) => h.i2c.attach(0x40, chip));
    chip.volts = 12.3;
    chip.amps = -20; // 20 A discharge for one hour = 20 Ah of 200 Ah = 10 %
    clock.advance(3600_000);
    const last = gw.of('battery').at(-1)!.body;
    expect(last.status).toBe('ok');
    expect(last.v).toBeCloseTo(12.3, 1);
    expect(last.a).toBeCloseTo(-20, 0);
    expect(last.soc).toBeCloseTo(40, 0);
    // Charging 20 A for an hour stores 90 % of it.
    chip.amps = 20;
    clock.advance(3600_000);
    expect(gw.of('battery').at(-1)!.body.soc).toBeCloseTo(49, 0);
    expect(gw.invalid).toEqual([]);
    host.shutdown();
  });

  it('resyncs to 100 % when the bank is full (absorption voltage, tail current)', () => {
    const storage = new HostStorage();
    storage.write('ns.soc', '70');
    const chip = new FakeINA226(SHUNT);
    const { host, clock, gw } = bootNode('battery', { storage }, (h) => h.i2c.attach(0x40, chip));
    chip.volts = 14.3;
    chip.amps = 2;
    clock.advance(400_000);
    expect(gw.of('battery').at(-1)!.body.soc).toBe(100);
    host.shutdown();
  });

  it('an I2C fault reports invalid readings and a flag, then recovers', () => {
    const chip = new FakeINA226(SHUNT);
    const { host, clock, gw } = bootNode('battery', {}, (h) => h.i2c.attach(0x40, chip));
    chip.volts = 12.7;
    clock.advance(31_000);
    expect(gw.of('battery').at(-1)!.body).toMatchObject({ status: 'ok', v: 12.7, soc: 100 });
    host.i2c.failing.add(0x40);
    clock.advance(31_000);
    expect(gw.of('battery').at(-1)!.body).toEqual({ v: null, a: null, soc: null, status: 'fault' });
    expect(gw.of('hb').at(-1)!.body.flags).toContain('SENSOR_FAULT');
    host.i2c.failing.delete(0x40);
    clock.advance(31_000);
    expect(gw.of('battery').at(-1)!.body.status).toBe('ok');
    expect(host.errors).toEqual([]);
    host.shutdown();
  });
});
