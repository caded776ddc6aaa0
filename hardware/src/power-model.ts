// Power model of one noodsteunpunt: pure functions, no I/O. The CLI (`noodsteun hardware power-budget`),
// the charging service (how many ports may run) and the coordinator's forecast (hours to empty) all use it,
// so a figure printed at commissioning is the figure the point acts on.
//
// Power path (hardware/README.md, "Power path"): generator (AC) → mains battery charger → battery bus (DC)
// → critical loads; phone-charging ports hang off the same bus through 5 V buck converters. The battery
// buffers the bus, so the critical loads never see the generator start or stop.
//
// Units: watts (W), watt-hours (Wh), litres (L), hours (h); fractions are 0..1.

/** Critical-load categories; 'board' is the information board and resident screens, 'other' what a point adds. */
export const LOAD_CATEGORIES = ['lights', 'gateway', 'nodes', 'radio', 'board', 'network', 'other'] as const;
export type LoadCategory = (typeof LOAD_CATEGORIES)[number];

export interface CriticalLoad {
  id: string;
  category: LoadCategory;
  /** Power drawn from the battery bus while on. */
  watts: number;
  /** Fraction of the time the load is on (1 = always): the e-ink board draws only while refreshing. */
  dutyCycle: number;
}

/**
 * Generator fuel curve as a straight line (the affine model HOMER uses, see README "Assumptions"):
 * L/h = idleLph + (fullLoadLph − idleLph) · loadFraction. Two datasheet figures define it.
 */
export interface FuelCurve {
  /** Consumption running at no load. */
  idleLph: number;
  /** Consumption at rated output. */
  fullLoadLph: number;
}

export interface Generator {
  /** Rated active power (kVA × power factor). */
  ratedW: number;
  /** Highest load fraction to plan for continuously (diesels are derated to ~0.8 for long runs). */
  maxContinuousFraction: number;
  fuelCurve: FuelCurve;
}

export interface Tank {
  /** Fuel in the tank now. */
  fuelL: number;
  /** Fuel kept back: the sensor's blind zone, sediment, and a margin to refuel before the engine starves. */
  reserveL: number;
}

export interface BatteryBank {
  nominalV: number;
  capacityAh: number;
  /** Fraction of the capacity that may be used (0.8 for LiFePO4, ~0.5 for lead-acid). */
  usableFraction: number;
  /** State of charge now, 0..1. */
  soc: number;
}

export interface Conversion {
  /** Mains charger: AC in → DC out efficiency. */
  chargerEfficiency: number;
  /** Mains charger: largest DC output it can deliver. */
  chargerMaxW: number;
  /** 5 V buck converters that feed the phone ports: DC bus → USB efficiency. */
  portEfficiency: number;
}

export interface ChargingPorts {
  ports: number;
  /** USB power per port (5 V × 2.4 A = 12 W). */
  portW: number;
  /** Power the mains charger keeps back to refill the battery while the generator runs. */
  batteryRechargeW: number;
  /** Phones may charge from the battery when the generator is off (the pilot's open debate: off by default). */
  allowOnBattery: boolean;
}

export interface PowerSystem {
  loads: CriticalLoad[];
  generator: Generator;
  tank: Tank;
  battery: BatteryBank;
  conversion: Conversion;
  charging: ChargingPorts;
}

export class PowerModelError extends Error {
  override name = 'PowerModelError';
}

function assertFinite(value: number, what: string): void {
  if (!Number.isFinite(value)) throw new PowerModelError(`${what} is not a finite number (${value})`);
}

/** Average power of the critical loads, per category and in total (W on the battery bus). */
export function criticalLoad(loads: readonly CriticalLoad[]): { totalW: number; byCategory: Record<LoadCategory, number> } {
  const byCategory = Object.fromEntries(LOAD_CATEGORIES.map((c) => [c, 0])) as Record<LoadCategory, number>;
  let totalW = 0;
  for (const l of loads) {
    const w = l.watts * l.dutyCycle;
    assertFinite(w, `load ${l.id}`);
    byCategory[l.category] += w;
    totalW += w;
  }
  return { totalW, byCategory };
}

/** Load on the generator as a fraction of its rating; throws above 1 (the generator would stall or trip). */
export function loadFraction(gen: Generator, loadW: number): number {
  if (loadW < 0) throw new PowerModelError(`negative generator load ${loadW} W`);
  const f = loadW / gen.ratedW;
  if (f > 1) throw new PowerModelError(`generator load ${loadW.toFixed(0)} W exceeds its rating ${gen.ratedW} W`);
  return f;
}

/** Fuel consumption in L/h at a given electrical load on the generator. */
export function fuelRateLph(gen: Generator, loadW: number): number {
  const { idleLph, fullLoadLph } = gen.fuelCurve;
  return idleLph + (fullLoadLph - idleLph) * loadFraction(gen, loadW);
}

/** Energy the battery can still deliver before reaching its lowest allowed charge (Wh). */
export function batteryUsableWh(b: BatteryBank): number {
  const floor = 1 - b.usableFraction;
  const usableSoc = Math.max(0, Math.min(1, b.soc) - floor);
  return b.nominalV * b.capacityAh * usableSoc;
}

/** Energy of a full battery between full and its lowest allowed charge (Wh): one generator cycle refills this. */
export function batteryCycleWh(b: BatteryBank): number {
  return b.nominalV * b.capacityAh * b.usableFraction;
}

/** Hours a battery carries a DC load; Infinity for no load. */
export function batteryRuntimeH(b: BatteryBank, loadW: number): number {
  return loadW <= 0 ? Infinity : batteryUsableWh(b) / loadW;
}

/** Fuel above the reserve (L). */
export function usableFuelL(t: Tank): number {
  return Math.max(0, t.fuelL - t.reserveL);
}

/** DC power the mains charger can put on the battery bus while the generator runs. */
export function busSupplyW(s: Pick<PowerSystem, 'generator' | 'conversion'>): number {
  const fromGenerator = s.generator.ratedW * s.generator.maxContinuousFraction * s.conversion.chargerEfficiency;
  return Math.min(fromGenerator, s.conversion.chargerMaxW);
}

/** AC load on the generator when the DC bus draws `busW` through the charger. */
export function generatorLoadW(s: Pick<PowerSystem, 'conversion'>, busW: number): number {
  return busW / s.conversion.chargerEfficiency;
}

export interface ChargingBudget {
  /** USB power phones may take now (W at the ports). */
  portsW: number;
  /** Whole ports that fit in it. */
  ports: number;
  /** Why it is what it is, for logs and the technician console. */
  limitedBy: 'generator' | 'charger' | 'ports' | 'battery-policy' | 'battery-empty' | 'critical-load';
}

/**
 * Power left for phone charging after the critical loads and the battery refill. Charging never takes
 * power from the critical loads: with the generator off it is zero unless `allowOnBattery` is set.
 */
export function chargingBudget(s: PowerSystem, generatorRunning: boolean): ChargingBudget {
  const critical = criticalLoad(s.loads).totalW;
  const maxPortsW = s.charging.ports * s.charging.portW;
  let busLeftW: number;
  let limitedBy: ChargingBudget['limitedBy'];
  if (generatorRunning) {
    const supply = busSupplyW(s);
    busLeftW = supply - critical - s.charging.batteryRechargeW;
    const chargerBound = s.conversion.chargerMaxW < s.generator.ratedW * s.generator.maxContinuousFraction * s.conversion.chargerEfficiency;
    limitedBy = chargerBound ? 'charger' : 'generator';
  } else if (!s.charging.allowOnBattery) {
    return { portsW: 0, ports: 0, limitedBy: 'battery-policy' };
  } else if (batteryUsableWh(s.battery) <= 0) {
    return { portsW: 0, ports: 0, limitedBy: 'battery-empty' };
  } else {
    // On battery the only limit is the bus (the battery can deliver far more than a few ports draw).
    busLeftW = Infinity;
    limitedBy = 'ports';
  }
  if (busLeftW <= 0) return { portsW: 0, ports: 0, limitedBy: 'critical-load' };
  let portsW = busLeftW * s.conversion.portEfficiency;
  if (portsW >= maxPortsW) {
    portsW = maxPortsW;
    limitedBy = 'ports';
  }
  return { portsW, ports: Math.floor(portsW / s.charging.portW + 1e-9), limitedBy };
}

/** DC bus power drawn by `portsW` of phone charging. */
export function portsBusW(s: Pick<PowerSystem, 'conversion'>, portsW: number): number {
  return portsW / s.conversion.portEfficiency;
}

export interface ContinuousRun {
  strategy: 'continuous';
  /** AC load on the generator. */
  generatorW: number;
  loadFraction: number;
  fuelLph: number;
  /** Hours until the tank reaches its reserve. */
  fuelH: number;
  /** Hours the battery then carries the critical load. */
  batteryH: number;
  totalH: number;
}

/**
 * Generator runs all the time and carries the bus (critical load + `extraBusW`, e.g. charging); the battery
 * stays full and carries the critical load once the fuel is gone.
 */
export function continuousRun(s: PowerSystem, extraBusW = 0): ContinuousRun {
  const critical = criticalLoad(s.loads).totalW;
  const busW = critical + extraBusW;
  if (busW > busSupplyW(s) + 1e-9) throw new PowerModelError(`bus load ${busW.toFixed(0)} W exceeds what the charger supplies (${busSupplyW(s).toFixed(0)} W)`);
  const generatorW = generatorLoadW(s, busW);
  const fuelLph = fuelRateLph(s.generator, generatorW);
  const fuelH = usableFuelL(s.tank) / fuelLph;
  const batteryH = batteryRuntimeH({ ...s.battery, soc: 1 }, critical);
  return { strategy: 'continuous', generatorW, loadFraction: loadFraction(s.generator, generatorW), fuelLph, fuelH, batteryH, totalH: fuelH + batteryH };
}

export interface CycledRun {
  strategy: 'cycled';
  /** AC load on the generator while it runs (the charger at full output). */
  generatorW: number;
  loadFraction: number;
  /** Consumption while running. */
  fuelLph: number;
  /** Hours the generator runs to refill one battery cycle while also carrying the load. */
  onH: number;
  /** Hours the battery then carries the load alone. */
  offH: number;
  /** Fuel per hour averaged over a whole on/off cycle. */
  averageLph: number;
  fuelH: number;
  batteryH: number;
  totalH: number;
}

/**
 * Generator runs only to recharge the battery at the charger's full output, then stops while the battery
 * carries the bus: far less fuel than idling a 6 kVA set for a 100 W load. `extraBusW` is drawn all the time.
 */
export function cycledRun(s: PowerSystem, extraBusW = 0): CycledRun {
  const critical = criticalLoad(s.loads).totalW;
  const busW = critical + extraBusW;
  const supply = busSupplyW(s);
  const surplus = supply - busW;
  if (surplus <= 0) throw new PowerModelError(`bus load ${busW.toFixed(0)} W leaves nothing to recharge the battery (${supply.toFixed(0)} W)`);
  const cycleWh = batteryCycleWh(s.battery);
  if (cycleWh <= 0) throw new PowerModelError('the battery has no usable capacity to cycle');
  const generatorW = generatorLoadW(s, supply);
  const fuelLph = fuelRateLph(s.generator, generatorW);
  const onH = cycleWh / surplus;
  const offH = busW > 0 ? cycleWh / busW : Infinity;
  const averageLph = Number.isFinite(offH) ? (fuelLph * onH) / (onH + offH) : 0;
  const fuelH = averageLph > 0 ? usableFuelL(s.tank) / averageLph : Infinity;
  const batteryH = batteryRuntimeH({ ...s.battery, soc: 1 }, busW);
  return { strategy: 'cycled', generatorW, loadFraction: loadFraction(s.generator, generatorW), fuelLph, onH, offH, averageLph, fuelH, batteryH, totalH: fuelH + batteryH };
}

/**
 * Hours until the critical loads go dark, from the state now (tank level, battery charge), generator running
 * continuously while there is fuel. A running generator refills the battery, so with fuel left the battery
 * counts as full when the fuel runs out; without fuel only its present charge counts.
 */
export function hoursToEmpty(s: PowerSystem, extraBusW = 0): number {
  const critical = criticalLoad(s.loads).totalW;
  const fuel = usableFuelL(s.tank);
  if (fuel <= 0) return batteryRuntimeH(s.battery, critical);
  const fuelLph = fuelRateLph(s.generator, generatorLoadW(s, critical + extraBusW));
  return fuel / fuelLph + batteryRuntimeH({ ...s.battery, soc: 1 }, critical);
}
