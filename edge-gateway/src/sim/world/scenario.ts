// Scenario: every tunable of the simulated point as one plain object with defaults.
// Callers pass a partial per section (`{ generator: { tankL: 100 } }`); resolveScenario fills the rest.

export interface GeneratorScenario {
  /** Rated electrical output. An 8 kVA set at power factor 0.8 gives 6.4 kW. */
  ratedKw: number;
  /**
   * Linear fuel curve F [L/h] = f0·ratedKw + f1·outputKw, the form HOMER Pro uses for constant-speed
   * generators (homerenergy.com, "generator fuel curve intercept coefficient"). Assumed values for a small
   * diesel set: f0 = 0.08 L/h per rated kW (≈0.5 L/h at no load for 6.4 kW), f1 = 0.25 L/h per output kW,
   * so ≈2.1 L/h at full load — about 0.33 L/kWh, a typical specific consumption for 5–10 kVA diesels.
   */
  f0LphPerRatedKw: number;
  f1LphPerKw: number;
  tankL: number;
  initialFuelL: number;
  /** Auto start below this battery SoC (%), auto stop at or above stopSoc (Venus OS style start/stop by SoC). */
  startSoc: number;
  stopSoc: number;
  /** Battery charger limit while the generator runs. */
  chargerKw: number;
}

export interface StaffScenario {
  /** Staff refuel when the tank falls below this fraction … */
  refuelBelowFrac: number;
  /** … after a delay (minutes, uniform) … */
  refuelDelayMin: [number, number];
  /** … pouring this many litres (jerrycans) at this rate. */
  refuelLitres: number;
  pourLpm: number;
  /** Local hours [from, to) in which staff is around to refuel. */
  dayHours: [number, number];
}

export interface BatteryScenario {
  /** LFP cells in series: 8 → 24 V bank, 16 → 48 V bank. */
  cells: number;
  capacityAh: number;
  initialSoc: number;
  /** One-way efficiencies (LFP round trip ≈ 0.92–0.95). */
  chargeEff: number;
  dischargeEff: number;
  /** Inverter efficiency from DC bank to the loads. */
  inverterEff: number;
  /** Pack internal resistance (Ω) for the voltage sag/rise under current. */
  resistanceOhm: number;
}

export interface LoadScenario {
  /** Always-on critical loads (W): gateway Pi, network switch + Wi-Fi AP, radio. */
  gatewayW: number;
  networkW: number;
  radioW: number;
  /** LED lighting: day and night figures (W). */
  lightsDayW: number;
  lightsNightW: number;
}

export interface VisitorScenario {
  /** Arrivals per hour at the busiest time of day. */
  peakPerHour: number;
  /** Multiplier per local hour 0..23. */
  hourProfile: number[];
  /** Mean stay (minutes, exponential) and the shortest stay. */
  dwellMeanMin: number;
  dwellMinMin: number;
  /** Share of arrivals that are groups of 2–4 walking through together. */
  groupShare: number;
  /** Probability that a group passing the beams together counts as one person (groups undercount). */
  groupUndercount: number;
  /** Share of visitors who want a phone charged. */
  chargeShare: number;
}

export interface PhoneScenario {
  ports: number;
  /** USB energy for a full 0→100 % charge (Wh), uniform range (DESIGN: ~18–23 Wh). */
  fullChargeWh: [number, number];
  /** Battery level on arrival (fraction), uniform range. */
  arrivalLevel: [number, number];
  /** Power a phone draws in constant-current phase (W); a 5 V 2.4 A port gives at most 12 W. */
  maxDrawW: number;
  portMaxW: number;
  /** Level from which the draw tapers linearly to zero at full. */
  taperFrom: number;
  /** How long residents leave their phone (minutes, uniform). */
  leaveAfterMin: [number, number];
  /** USB charger board efficiency from AC to the ports. */
  boardEff: number;
}

export interface SensorScenario {
  /** Rectangular tank, ultrasonic sensor above the top looking down. */
  tankHeightMm: number;
  /** Distance from sensor face to the tank top (standpipe/bracket). */
  mountMm: number;
  /** Blind zone: JSN-SR04T 200 mm, A02YYUW 30 mm (DESIGN §Power). */
  blindMm: number;
  /** Sensor noise (mm, sd) always, and extra while the generator runs (vibration). */
  noiseMm: number;
  vibrationMm: number;
  /** Slosh after refuelling: amplitude (mm) and decay time (s). */
  sloshMm: number;
  sloshDecayS: number;
  /** Charger port current sense noise (mA, sd) and battery monitor noise. */
  portNoiseMa: number;
  batteryNoiseV: number;
  batteryNoiseA: number;
}

/** The nodes' firmware (real-firmware nodes only): which ones boot an older build, for the wizard to flash. */
export interface FirmwareScenario {
  /** Node ids (e.g. "fuel-1") that start reporting `outdatedVersion` instead of the build's version. */
  outdated: string[];
  outdatedVersion: string;
}

export interface Scenario {
  /** Offset of local time from UTC (hours) for day profiles. */
  utcOffsetHours: number;
  /** Physics step (ms of simulated time). */
  stepMs: number;
  generator: GeneratorScenario;
  staff: StaffScenario;
  battery: BatteryScenario;
  loads: LoadScenario;
  visitors: VisitorScenario;
  phones: PhoneScenario;
  sensors: SensorScenario;
  firmware: FirmwareScenario;
}

export type ScenarioInput = { [K in keyof Scenario]?: Scenario[K] extends object ? Partial<Scenario[K]> : Scenario[K] };

export const DEFAULT_SCENARIO: Scenario = {
  utcOffsetHours: 1,
  stepMs: 1000,
  generator: {
    ratedKw: 6.4,
    f0LphPerRatedKw: 0.08,
    f1LphPerKw: 0.25,
    tankL: 60,
    initialFuelL: 45,
    startSoc: 30,
    stopSoc: 90,
    chargerKw: 3,
  },
  staff: { refuelBelowFrac: 0.25, refuelDelayMin: [20, 90], refuelLitres: 40, pourLpm: 10, dayHours: [8, 21] },
  battery: {
    cells: 16,
    capacityAh: 100,
    initialSoc: 70,
    chargeEff: 0.96,
    dischargeEff: 0.96,
    inverterEff: 0.92,
    resistanceOhm: 0.02,
  },
  loads: { gatewayW: 7, networkW: 15, radioW: 12, lightsDayW: 20, lightsNightW: 80 },
  visitors: {
    peakPerHour: 40,
    hourProfile: [0.03, 0.02, 0.02, 0.02, 0.03, 0.05, 0.15, 0.35, 0.6, 0.85, 1, 1, 0.9, 0.85, 0.9, 1, 0.95, 0.8, 0.6, 0.45, 0.3, 0.15, 0.08, 0.05],
    dwellMeanMin: 25,
    dwellMinMin: 3,
    groupShare: 0.15,
    groupUndercount: 0.5,
    chargeShare: 0.3,
  },
  phones: {
    ports: 8,
    fullChargeWh: [18, 23],
    arrivalLevel: [0.03, 0.4],
    maxDrawW: 10,
    portMaxW: 12,
    taperFrom: 0.8,
    leaveAfterMin: [60, 180],
    boardEff: 0.88,
  },
  sensors: {
    tankHeightMm: 400,
    mountMm: 180,
    blindMm: 200,
    noiseMm: 1,
    vibrationMm: 3,
    sloshMm: 15,
    sloshDecayS: 60,
    portNoiseMa: 8,
    batteryNoiseV: 0.01,
    batteryNoiseA: 0.05,
  },
  firmware: { outdated: [], outdatedVersion: '0.0.1+outdated' },
};

export class ScenarioError extends Error {
  override name = 'ScenarioError';
}

export function resolveScenario(input: ScenarioInput = {}): Scenario {
  const s: Scenario = {
    utcOffsetHours: input.utcOffsetHours ?? DEFAULT_SCENARIO.utcOffsetHours,
    stepMs: input.stepMs ?? DEFAULT_SCENARIO.stepMs,
    generator: { ...DEFAULT_SCENARIO.generator, ...input.generator },
    staff: { ...DEFAULT_SCENARIO.staff, ...input.staff },
    battery: { ...DEFAULT_SCENARIO.battery, ...input.battery },
    loads: { ...DEFAULT_SCENARIO.loads, ...input.loads },
    visitors: { ...DEFAULT_SCENARIO.visitors, ...input.visitors },
    phones: { ...DEFAULT_SCENARIO.phones, ...input.phones },
    sensors: { ...DEFAULT_SCENARIO.sensors, ...input.sensors },
    firmware: { ...DEFAULT_SCENARIO.firmware, ...input.firmware },
  };
  if (s.visitors.hourProfile.length !== 24) throw new ScenarioError('visitors.hourProfile needs 24 entries');
  if (s.generator.initialFuelL > s.generator.tankL) throw new ScenarioError('generator.initialFuelL exceeds tankL');
  if (s.generator.startSoc >= s.generator.stopSoc) throw new ScenarioError('generator.startSoc must be below stopSoc');
  if (!(s.stepMs > 0)) throw new ScenarioError('stepMs must be > 0');
  if (s.phones.ports < 0 || s.phones.ports > 32) throw new ScenarioError('phones.ports must be 0..32');
  if (!Array.isArray(s.firmware.outdated) || !s.firmware.outdated.every((n) => typeof n === 'string')) throw new ScenarioError('firmware.outdated must be a list of node ids');
  if (!/^[\w.+-]{1,40}$/.test(s.firmware.outdatedVersion)) throw new ScenarioError('firmware.outdatedVersion must be a version string such as 0.0.1+old');
  return s;
}
