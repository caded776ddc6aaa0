import { describe, it, expect, beforeAll } from 'vitest';
import { a02Frame } from '../../src/drivers/a02yyuw/a02yyuw.js';
import { HostStorage } from '../../host/storage.js';
import { FakeSR04T } from '../../host/devices/sr04t.js';
import type { EspruinoHost } from '../../host/runtime.js';
import type { ManualClock } from '../../../edge-gateway/src/core/clock.js';
import { ensureBundles } from '../helpers/bundles.js';
import { bootNode } from '../helpers/gateway.js';
import { loadPinMap } from '../../../hardware/src/pins.js';

const FUEL_PINS = loadPinMap('fuel').pins;
const SENDER = FUEL_PINS.sender!.gpio;

/** The sensor streams a frame every 100 ms; `mm(t)` gives the distance at virtual time t (ms). */
function sonar(host: EspruinoHost, clock: ManualClock, ms: number, mm: (t: number) => number | null): void {
  for (let t = 0; t < ms; t += 100) {
    const d = mm(clock.now());
    if (d !== null) host.serial2.inject(a02Frame(d));
    clock.advance(100);
  }
}

describe('fuel node (real bundle, virtual time)', () => {
  beforeAll(async () => {
    await ensureBundles();
  }, 120_000);

  it('turns distance into litres through the tank table; slosh is filtered out', () => {
    const { host, clock, gw } = bootNode('fuel');
    expect(host.serial2.baud).toBe(9600);
    // Surface 360 mm below the sensor in a 600 mm deep tank: 240 mm of fuel = 100 L by the default table.
    // Slosh: ±40 mm waves plus an occasional wild echo.
    sonar(host, clock, 120_000, (t) => (t % 1700 < 100 ? 90 : 360 + Math.round(40 * Math.sin(t / 300))));
    const fuel = gw.of('fuel').slice(1);
    expect(fuel.length).toBeGreaterThanOrEqual(3);
    for (const m of fuel) {
      expect(m.body.status).toBe('ok');
      expect(m.body.litres).not.toBeNull();
      expect(Math.abs(m.body.litres! - 100)).toBeLessThan(12);
      expect(m.body.refuelling).toBe(false);
    }
    expect(gw.invalid).toEqual([]);
    expect(host.errors).toEqual([]);
    host.shutdown();
  });

  it('detects a refuel and reports the new level once it settles', () => {
    const { host, clock, gw } = bootNode('fuel');
    sonar(host, clock, 60_000, () => 480); // 120 mm = 40 L
    // Pouring: 120 mm → 360 mm of fuel over two minutes.
    const t0 = clock.now();
    sonar(host, clock, 120_000, (t) => 480 - Math.round(((t - t0) / 120_000) * 240));
    const during = gw.of('fuel').slice(-2);
    expect(during.some((m) => m.body.refuelling)).toBe(true);
    sonar(host, clock, 240_000, () => 240);
    const last = gw.of('fuel').at(-1)!;
    expect(last.body.refuelling).toBe(false);
    expect(last.body.litres).toBeCloseTo(160, 0);
    host.shutdown();
  });

  it('a silent sensor is "unplugged" and the blind zone "blind": litres null, never 0', () => {
    const { host, clock, gw } = bootNode('fuel');
    sonar(host, clock, 40_000, () => 400);
    expect(gw.of('fuel').at(-1)!.body.status).toBe('ok');
    sonar(host, clock, 40_000, () => null); // unplugged
    let last = gw.of('fuel').at(-1)!.body;
    expect(last).toMatchObject({ status: 'unplugged', litres: null, pct: null, rawMm: null });
    expect(gw.of('hb').at(-1)!.body.flags).toContain('SENSOR_FAULT');
    sonar(host, clock, 40_000, () => 20); // something on the sensor face
    last = gw.of('fuel').at(-1)!.body;
    expect(last).toMatchObject({ status: 'blind', litres: null, pct: null, rawMm: 20 });
    sonar(host, clock, 40_000, () => 400);
    expect(gw.of('fuel').at(-1)!.body.status).toBe('ok');
    host.shutdown();
  });

  it('with a resistive sender: open or shorted wiring is a fault, not a level', () => {
    const storage = new HostStorage();
    storage.writeJSON('ns.cfg', { sensor: 'sender' });
    const { host, clock, gw } = bootNode('fuel', { storage });
    host.pins.setAnalog(SENDER, 0.5); // half way between 0.1 and 0.9: 240 mm = 100 L
    clock.advance(65_000);
    expect(gw.of('fuel').at(-1)!.body).toMatchObject({ status: 'ok', litres: 100 });
    host.pins.setAnalog(SENDER, 0);
    clock.advance(31_000);
    expect(gw.of('fuel').at(-1)!.body).toMatchObject({ status: 'unplugged', litres: null });
    host.pins.setAnalog(SENDER, 1);
    clock.advance(31_000);
    expect(gw.of('fuel').at(-1)!.body).toMatchObject({ status: 'fault', litres: null });
    host.shutdown();
  });

  it('with a JSN-SR04T: echo time gives the level; no echo is unplugged; its 200 mm blind zone is blind', () => {
    const storage = new HostStorage();
    storage.writeJSON('ns.cfg', { sensor: 'sr04t' });
    let sonar: FakeSR04T | null = null;
    const { host, clock, gw } = bootNode('fuel', { storage }, (h) => {
      sonar = new FakeSR04T(h.clock, h.pins, FUEL_PINS.trig!.gpio, FUEL_PINS.echo!.gpio);
    });
    sonar!.distanceMm = 360; // 240 mm of fuel = 100 L
    clock.advance(65_000);
    expect(sonar!.pings).toBeGreaterThan(300);
    const ok = gw.of('fuel').at(-1)!.body;
    expect(ok.status).toBe('ok');
    expect(ok.litres!).toBeCloseTo(100, 0);
    sonar!.distanceMm = null;
    clock.advance(31_000);
    expect(gw.of('fuel').at(-1)!.body).toMatchObject({ status: 'unplugged', litres: null });
    sonar!.distanceMm = 150;
    clock.advance(31_000);
    expect(gw.of('fuel').at(-1)!.body).toMatchObject({ status: 'blind', litres: null });
    expect(host.errors).toEqual([]);
    host.shutdown();
  });
});
