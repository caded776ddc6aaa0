import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { lfpCellOcv, World } from '../../src/sim/world/index.js';
import type { ScenarioInput } from '../../src/sim/world/index.js';

const MIN = 60_000;
const HOUR = 60 * MIN;
/** 2026-01-01 10:00 local (UTC+1): staff on duty, visitors arriving. */
const MORNING = Date.UTC(2026, 0, 1, 9);

function world(scenario: ScenarioInput = {}, seed = 1, start = MORNING) {
  const clock = new ManualClock(start);
  const w = new World(clock, { seed, scenario });
  w.start();
  return { clock, w };
}

describe('world: determinism', () => {
  it('replays exactly with the same seed and differs with another', () => {
    const run = (seed: number) => {
      const { clock, w } = world({}, seed);
      clock.advance(6 * HOUR);
      const t = w.truth();
      return [t.visitors.entries, t.visitors.exits, t.charging.deliveredWh, t.battery.soc, t.generator.fuelL];
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });

  it('does not change course when sensors are read more often', () => {
    const a = world({}, 9);
    const b = world({}, 9);
    for (let i = 0; i < 360; i++) {
      a.clock.advance(MIN);
      b.clock.advance(MIN);
      for (let k = 0; k < 5; k++) b.w.hw.fuel.readDistanceMm();
      b.w.hw.battery.read();
    }
    expect(b.w.truth().visitors).toEqual(a.w.truth().visitors);
    expect(b.w.truth().battery.soc).toBe(a.w.truth().battery.soc);
  });
});

describe('world: generator and fuel', () => {
  it('burns fuel along the linear fuel curve, more at higher load', () => {
    // Same running generator: one battery nearly full (output ≈ critical load), one at 40 % (charger at 3 kW).
    const light = world({ battery: { initialSoc: 99.9 }, visitors: { peakPerHour: 0 } });
    const heavy = world({ battery: { initialSoc: 40 }, visitors: { peakPerHour: 0 } });
    for (const x of [light, heavy]) x.w.setGeneratorMode('on');
    light.clock.advance(30 * MIN);
    heavy.clock.advance(30 * MIN);
    const l = light.w.truth().generator;
    const h = heavy.w.truth().generator;
    expect(h.outputW).toBeGreaterThan(2900);
    expect(l.outputW).toBeLessThan(300);
    expect(h.fuelUsedL).toBeGreaterThan(l.fuelUsedL * 2);
    // F = 0.08 L/h/kW·6.4 kW + 0.25 L/kWh·P
    expect(h.fuelLph).toBeCloseTo(0.512 + 0.25 * (h.outputW / 1000), 6);
    expect(h.fuelUsedL).toBeCloseTo(h.fuelLph * 0.5, 1);
    expect(l.fuelL).toBeCloseTo(45 - l.fuelUsedL, 9);
  });

  it('rises when staff refuel, at the pour rate, never above the tank', () => {
    const { clock, w } = world({ generator: { initialFuelL: 20 }, visitors: { peakPerHour: 0 } });
    w.refuel(20);
    clock.advance(1 * MIN);
    const during = w.truth().generator;
    expect(during.refuelling).toBe(true);
    expect(during.fuelL).toBeCloseTo(30, 5);
    clock.advance(2 * MIN);
    expect(w.truth().generator.fuelL).toBeCloseTo(40, 5);
    expect(w.truth().generator.refuelling).toBe(false);
    w.refuel(100);
    clock.advance(10 * MIN);
    const g = w.truth().generator;
    expect(g.fuelL).toBe(60);
    expect(g.refuelledL).toBeCloseTo(40, 5);
  });

  it('staff refuel a low tank during the day on their own', () => {
    const { clock, w } = world({ generator: { initialFuelL: 10 } });
    clock.advance(3 * HOUR);
    expect(w.truth().generator.refuelledL).toBeGreaterThan(30);
  });

  it('starts by low SoC, stops at the stop SoC, and stops when the tank runs dry', () => {
    const { clock, w } = world({ battery: { initialSoc: 31 }, visitors: { peakPerHour: 0 } });
    expect(w.truth().generator.running).toBe(false);
    let sawRunning = false;
    for (let i = 0; i < 24 * 60; i++) {
      clock.advance(MIN);
      const t = w.truth();
      if (t.generator.running) sawRunning = true;
      if (sawRunning && !t.generator.running) break;
    }
    const t = w.truth();
    expect(sawRunning).toBe(true);
    expect(t.generator.starts).toBe(1);
    expect(t.battery.soc).toBeGreaterThanOrEqual(90);

    const dry = world({ generator: { initialFuelL: 0.2 }, battery: { initialSoc: 20 }, staff: { refuelBelowFrac: 0 } });
    dry.clock.advance(2 * HOUR);
    const g = dry.w.truth().generator;
    expect(g.outOfFuel).toBe(true);
    expect(g.running).toBe(false);
    expect(g.fuelL).toBe(0);
  });
});

describe('world: battery', () => {
  it('keeps SoC within 0..100 and records unserved energy in a blackout', () => {
    const empty = world({ generator: { initialFuelL: 0 }, staff: { refuelBelowFrac: 0 }, battery: { initialSoc: 5 } });
    let minSoc = 100;
    for (let i = 0; i < 48; i++) {
      empty.clock.advance(HOUR);
      minSoc = Math.min(minSoc, empty.w.truth().battery.soc);
    }
    const t = empty.w.truth();
    expect(minSoc).toBe(0);
    expect(t.loads.blackout).toBe(true);
    expect(t.loads.unservedWh).toBeGreaterThan(1000);

    const full = world({ battery: { initialSoc: 99 } });
    full.w.setGeneratorMode('on');
    let maxSoc = 0;
    for (let i = 0; i < 10; i++) {
      full.clock.advance(HOUR);
      maxSoc = Math.max(maxSoc, full.w.truth().battery.soc);
    }
    expect(maxSoc).toBeLessThanOrEqual(100);
    expect(maxSoc).toBeGreaterThan(99.5);
  });

  it('gives LFP bank voltages for 24 V and 48 V banks and signs current by direction', () => {
    expect(lfpCellOcv(50) * 16).toBeCloseTo(52.8, 1);
    expect(lfpCellOcv(50) * 8).toBeCloseTo(26.4, 1);
    expect(lfpCellOcv(0)).toBeLessThan(lfpCellOcv(10));
    expect(lfpCellOcv(100)).toBeGreaterThan(lfpCellOcv(90));
    const { clock, w } = world({ battery: { cells: 8, initialSoc: 60 } });
    clock.advance(MIN);
    const discharging = w.truth().battery;
    expect(discharging.a).toBeLessThan(0);
    expect(discharging.v).toBeGreaterThan(25);
    expect(discharging.v).toBeLessThan(28);
    w.setGeneratorMode('on');
    clock.advance(MIN);
    expect(w.truth().battery.a).toBeGreaterThan(0);
  });
});

describe('world: visitors', () => {
  it('keeps counts consistent over three days: inside = entries − exits, never negative', () => {
    const { clock, w } = world({}, 3, Date.UTC(2026, 0, 1, 0));
    const byHour = new Array<number>(24).fill(0);
    let last = 0;
    for (let i = 0; i < 3 * 24 * 6; i++) {
      clock.advance(10 * MIN);
      const v = w.truth().visitors;
      expect(v.inside).toBeGreaterThanOrEqual(0);
      expect(v.inside).toBe(v.entries - v.exits);
      expect(v.sensedEntries).toBeLessThanOrEqual(v.entries);
      byHour[Math.floor(w.truth().localHour)]! += v.entries - last;
      last = v.entries;
    }
    const v = w.truth().visitors;
    expect(v.groups).toBeGreaterThan(0);
    // Groups passing together undercount.
    expect(v.sensedEntries).toBeLessThan(v.entries);
    const day = byHour.slice(10, 16).reduce((a, b) => a + b, 0);
    const night = byHour.slice(0, 6).reduce((a, b) => a + b, 0);
    expect(day).toBeGreaterThan(night * 5);
  });

  it('reports crossings on the door beams, and none while they are unplugged', () => {
    const { w } = world({ visitors: { peakPerHour: 0 } });
    const seen: string[] = [];
    w.hw.doors.onCrossing((dir, n) => seen.push(`${dir}${n}`));
    w.admitVisitors(1, 5);
    w.setSensorPlugged('doors', false);
    w.admitVisitors(1, 5);
    expect(seen).toEqual(['in1']);
    expect(w.truth().visitors.inside).toBe(2);
  });
});

describe('world: phones on charging ports', () => {
  it('draws only with the relay on, tapers near full and stops drawing when full', () => {
    const { clock, w } = world({ visitors: { peakPerHour: 0 } });
    const port = w.plugPhone({ level: 0.5, fullWh: 20, stayMin: 600 });
    expect(port).toBe(0);
    clock.advance(10 * MIN);
    expect(w.truth().ports[0]!.drawW).toBe(0);
    w.hw.charger.setRelay(0, true);
    clock.advance(MIN);
    expect(w.truth().ports[0]!.drawW).toBe(10);
    expect(w.hw.charger.readCurrentMa(0)).toBeGreaterThan(1900);
    // Up to 80 % at 10 W: 0.3 × 20 Wh = 6 Wh → 36 min; then the taper.
    clock.advance(45 * MIN);
    const tapering = w.truth().ports[0]!;
    expect(tapering.phone!.level).toBeGreaterThan(0.8);
    expect(tapering.drawW).toBeLessThan(10);
    expect(tapering.drawW).toBeGreaterThan(0);
    clock.advance(5 * HOUR);
    const full = w.truth().ports[0]!;
    expect(full.phone!.level).toBe(1);
    expect(full.drawW).toBe(0);
    expect(full.phone!.receivedWh).toBeCloseTo(10, 0);
    expect(w.hw.charger.readCurrentMa(0)).toBeLessThan(50);
    const chargingW = w.truth().loads.chargingW;
    expect(chargingW).toBe(0);
  });

  it('residents unplug and leave; sessions record the energy', () => {
    const { clock, w } = world({ visitors: { peakPerHour: 0 } });
    w.plugPhone({ level: 0.2, fullWh: 20, stayMin: 30 });
    w.hw.charger.setRelay(0, true);
    clock.advance(31 * MIN);
    const t = w.truth();
    expect(t.ports[0]!.phone).toBeNull();
    expect(t.charging.sessions).toBe(1);
    const s = w.sessions()[0]!;
    expect(s.receivedWh).toBeCloseTo(5, 1);
    expect(s.endLevel).toBeCloseTo(0.45, 2);
  });
});

describe('world: sensor effects', () => {
  it('fuel sensor: distance follows the level, blind when full, null when unplugged', () => {
    const { clock, w } = world({ generator: { initialFuelL: 30 }, visitors: { peakPerHour: 0 } });
    const truthMm = w.truth().fuelDistanceMm;
    expect(truthMm).toBe(180 + 400 - 200);
    expect(Math.abs(w.hw.fuel.readDistanceMm()! - truthMm)).toBeLessThan(10);
    w.refuel(30);
    clock.advance(4 * MIN);
    expect(w.hw.fuel.readDistanceMm()!).toBeLessThanOrEqual(200);
    w.setSensorPlugged('fuel', false);
    expect(w.hw.fuel.readDistanceMm()).toBeNull();
  });

  it('fuel readings slosh while refuelling and settle afterwards', () => {
    const { clock, w } = world({ generator: { initialFuelL: 10 }, visitors: { peakPerHour: 0 } });
    const spread = () => {
      const xs = Array.from({ length: 40 }, () => w.hw.fuel.readDistanceMm()!);
      return Math.max(...xs) - Math.min(...xs);
    };
    const calm = spread();
    w.refuel(20);
    clock.advance(30_000);
    const pouring = spread();
    clock.advance(15 * MIN);
    const settled = spread();
    expect(pouring).toBeGreaterThan(calm + 10);
    expect(settled).toBeLessThan(pouring / 3);
  });
});
