import { describe, it, expect } from 'vitest';
import {
  PowerModelError,
  batteryRuntimeH,
  batteryUsableWh,
  busSupplyW,
  chargingBudget,
  continuousRun,
  criticalLoad,
  cycledRun,
  fuelRateLph,
  hoursToEmpty,
  loadFraction,
  type PowerSystem,
} from '../src/power-model.js';

// A small system whose figures are easy to check by hand.
function system(over: Partial<PowerSystem> = {}): PowerSystem {
  return {
    loads: [
      { id: 'lights', category: 'lights', watts: 40, dutyCycle: 1 },
      { id: 'pi', category: 'gateway', watts: 10, dutyCycle: 1 },
      { id: 'radio', category: 'radio', watts: 20, dutyCycle: 0.5 },
    ],
    generator: { ratedW: 4000, maxContinuousFraction: 0.8, fuelCurve: { idleLph: 0.5, fullLoadLph: 2.5 } },
    tank: { fuelL: 23, reserveL: 3 },
    battery: { nominalV: 12, capacityAh: 100, usableFraction: 0.5, soc: 1 },
    conversion: { chargerEfficiency: 0.8, chargerMaxW: 400, portEfficiency: 0.8 },
    charging: { ports: 10, portW: 12, batteryRechargeW: 100, allowOnBattery: false },
    ...over,
  };
}

describe('power model', () => {
  it('sums the critical load per category, weighting each load by its duty cycle', () => {
    const c = criticalLoad(system().loads);
    expect(c.totalW).toBe(60);
    expect(c.byCategory).toMatchObject({ lights: 40, gateway: 10, radio: 10, board: 0, network: 0 });
  });

  it('fuel curve is idle + slope × load fraction and refuses an overload', () => {
    const g = system().generator;
    expect(fuelRateLph(g, 0)).toBe(0.5);
    expect(fuelRateLph(g, 2000)).toBeCloseTo(1.5, 12);
    expect(fuelRateLph(g, 4000)).toBeCloseTo(2.5, 12);
    expect(loadFraction(g, 1000)).toBe(0.25);
    expect(() => fuelRateLph(g, 4001)).toThrow(PowerModelError);
    expect(() => loadFraction(g, -1)).toThrow(PowerModelError);
  });

  it('battery: only the usable part of the charge counts', () => {
    const b = system().battery; // 1200 Wh, half usable
    expect(batteryUsableWh(b)).toBe(600);
    expect(batteryUsableWh({ ...b, soc: 0.75 })).toBe(300);
    expect(batteryUsableWh({ ...b, soc: 0.4 })).toBe(0);
    expect(batteryRuntimeH(b, 60)).toBe(10);
    expect(batteryRuntimeH(b, 0)).toBe(Infinity);
  });

  it('bus supply is the smaller of the derated generator and the charger', () => {
    expect(busSupplyW(system())).toBe(400); // 4000 × 0.8 × 0.8 = 2560 > 400
    expect(busSupplyW(system({ generator: { ratedW: 500, maxContinuousFraction: 0.8, fuelCurve: { idleLph: 0.2, fullLoadLph: 0.6 } } }))).toBeCloseTo(320, 9);
  });

  it('charging gets what is left after the critical load and the battery refill, capped by the ports', () => {
    // (400 − 60 − 100) × 0.8 = 192 W ≥ 10 × 12 = 120 W → all ports.
    expect(chargingBudget(system(), true)).toEqual({ portsW: 120, ports: 10, limitedBy: 'ports' });
    // A 200 W charger: (200 − 60 − 100) × 0.8 = 32 W → 2 ports.
    const small = system({ conversion: { chargerEfficiency: 0.8, chargerMaxW: 200, portEfficiency: 0.8 } });
    const b = chargingBudget(small, true);
    expect(b.portsW).toBeCloseTo(32, 9);
    expect(b.ports).toBe(2);
    expect(b.limitedBy).toBe('charger');
  });

  it('charging never takes power from the critical load', () => {
    const heavy = system({ loads: [{ id: 'lights', category: 'lights', watts: 350, dutyCycle: 1 }] });
    expect(chargingBudget(heavy, true)).toEqual({ portsW: 0, ports: 0, limitedBy: 'critical-load' });
    expect(chargingBudget(system(), false)).toEqual({ portsW: 0, ports: 0, limitedBy: 'battery-policy' });
    const allowed = system({ charging: { ports: 4, portW: 12, batteryRechargeW: 100, allowOnBattery: true } });
    expect(chargingBudget(allowed, false)).toEqual({ portsW: 48, ports: 4, limitedBy: 'ports' });
    expect(chargingBudget({ ...allowed, battery: { ...allowed.battery, soc: 0.5 } }, false).limitedBy).toBe('battery-empty');
  });

  it('continuous run: fuel at the bus load through the charger, then the battery', () => {
    const r = continuousRun(system());
    // Generator load 60 / 0.8 = 75 W → 0.5 + 2 × 75/4000 = 0.5375 L/h; 20 L usable.
    expect(r.generatorW).toBeCloseTo(75, 9);
    expect(r.fuelLph).toBeCloseTo(0.5375, 9);
    expect(r.fuelH).toBeCloseTo(20 / 0.5375, 9);
    expect(r.batteryH).toBe(10);
    expect(r.totalH).toBeCloseTo(20 / 0.5375 + 10, 9);
    expect(() => continuousRun(system(), 1000)).toThrow(/exceeds what the charger supplies/);
  });

  it('cycled run: the generator refills the battery at full charger output, then rests', () => {
    const r = cycledRun(system());
    // Running: 400 / 0.8 = 500 W → 0.5 + 2 × 0.125 = 0.75 L/h. On: 600 Wh / (400 − 60) W; off: 600 / 60 = 10 h.
    const on = 600 / 340;
    expect(r.generatorW).toBeCloseTo(500, 9);
    expect(r.fuelLph).toBeCloseTo(0.75, 9);
    expect(r.onH).toBeCloseTo(on, 9);
    expect(r.offH).toBeCloseTo(10, 9);
    expect(r.averageLph).toBeCloseTo((0.75 * on) / (on + 10), 9);
    expect(r.fuelH).toBeCloseTo(20 / ((0.75 * on) / (on + 10)), 6);
    // Cycling a big generator lasts longer than idling it for a small load.
    expect(r.totalH).toBeGreaterThan(continuousRun(system()).totalH);
  });

  it('hours to empty starts from the state now', () => {
    const s = system();
    expect(hoursToEmpty(s)).toBeCloseTo(continuousRun(s).totalH, 9);
    // No usable fuel: only the battery's present charge counts (0.75 SoC → 300 Wh / 60 W).
    expect(hoursToEmpty({ ...s, tank: { fuelL: 2, reserveL: 3 }, battery: { ...s.battery, soc: 0.75 } })).toBe(5);
    // With fuel, a half-empty battery is refilled by the running generator.
    expect(hoursToEmpty({ ...s, battery: { ...s.battery, soc: 0.75 } })).toBeCloseTo(continuousRun(s).totalH, 9);
  });
});
