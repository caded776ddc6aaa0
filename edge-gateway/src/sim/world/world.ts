// The simulated noodsteunpunt: generator + tank, battery bank, loads, visitors and phones, advanced in
// fixed steps of simulated time so a seed replays exactly whatever the timer jitter.
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../log/logger.js';
import { silentLogger } from '../../log/logger.js';
import { BatteryBank } from './battery.js';
import type { GeneratorMode } from './generator.js';
import { Generator } from './generator.js';
import { criticalLoadW } from './loads.js';
import { ChargingPorts } from './phones.js';
import type { ChargeSession, Phone } from './phones.js';
import { Prng } from './prng.js';
import type { Scenario, ScenarioInput } from './scenario.js';
import { resolveScenario } from './scenario.js';
import type { SensorName, WorldHardware } from './sensors.js';
import type { DoorCrossing, DoorDirection } from './visitors.js';
import { VisitorFlow } from './visitors.js';

export interface WorldOptions {
  seed?: number;
  scenario?: ScenarioInput;
  log?: Logger;
}

/** Ground truth at one instant, for tests and the bench (plain data, safe to keep). */
export interface WorldTruth {
  t: number;
  localHour: number;
  generator: {
    mode: GeneratorMode;
    running: boolean;
    outputW: number;
    fuelLph: number;
    fuelL: number;
    tankL: number;
    refuelling: boolean;
    runHours: number;
    starts: number;
    fuelUsedL: number;
    refuelledL: number;
    outOfFuel: boolean;
  };
  battery: { soc: number; v: number; a: number; powerW: number; capacityWh: number };
  loads: { criticalW: number; chargingW: number; totalW: number; unservedWh: number; blackout: boolean };
  visitors: { inside: number; entries: number; exits: number; sensedEntries: number; sensedExits: number; groups: number };
  ports: { p: number; relayOn: boolean; drawW: number; phone: Omit<Phone, never> | null }[];
  charging: { deliveredWh: number; sessions: number; turnedAway: number };
  sensors: Record<SensorName, boolean>;
  /** Fuel level surface distance from the sensor (mm) without noise. */
  fuelDistanceMm: number;
}

const HOUR = 3_600_000;

export class World {
  readonly scenario: Scenario;
  readonly generator: Generator;
  readonly battery: BatteryBank;
  readonly visitors: VisitorFlow;
  readonly charging: ChargingPorts;
  readonly hw: WorldHardware;
  private t: number;
  private readonly rng: Prng;
  private readonly noise: Prng;
  private readonly plugged: Record<SensorName, boolean> = { fuel: true, battery: true, doors: true, ports: true };
  private readonly doorListeners = new Set<(dir: DoorDirection, counted: number) => void>();
  private sensedEntries = 0;
  private sensedExits = 0;
  private criticalW = 0;
  private unservedWh = 0;
  private blackout = false;
  private refuelDueAt: number | null = null;
  /** When pouring last happened: slosh decays from there. */
  private lastPourAt = -Infinity;
  private sloshPhase = 0;
  private stopTimer: (() => void) | null = null;
  private readonly log: Logger;

  constructor(
    private readonly clock: Clock,
    opts: WorldOptions = {},
  ) {
    this.scenario = resolveScenario(opts.scenario);
    this.log = opts.log ?? silentLogger;
    const seed = opts.seed ?? 1;
    this.rng = new Prng(seed);
    // Separate streams: how often nodes read sensors must not change the course of the world.
    this.noise = new Prng(seed).fork(0x5e45);
    const phonesRng = new Prng(seed).fork(0xc4a7);
    this.t = clock.now();
    this.generator = new Generator(this.scenario.generator);
    this.battery = new BatteryBank(this.scenario.battery);
    this.charging = new ChargingPorts(this.scenario.phones, phonesRng);
    this.visitors = new VisitorFlow(this.scenario.visitors, this.rng, (c) => this.onCrossing(c));
    this.criticalW = criticalLoadW(this.scenario.loads, this.localHour(this.t));
    this.hw = this.makeHardware();
  }

  /** Steps the world on the clock (every stepMs of simulated time). */
  start(): void {
    if (this.stopTimer) return;
    this.stopTimer = this.clock.setInterval(() => this.sync(), this.scenario.stepMs);
  }

  stop(): void {
    this.stopTimer?.();
    this.stopTimer = null;
  }

  /** Brings the world up to the clock's now (sensor reads call this, so readings are never stale). */
  sync(): void {
    this.advanceTo(this.clock.now());
  }

  advanceTo(t: number): void {
    const step = this.scenario.stepMs;
    while (this.t + step <= t) {
      this.t += step;
      this.step(step / 1000);
    }
  }

  localHour(t = this.t): number {
    const h = (t / HOUR + this.scenario.utcOffsetHours) % 24;
    return h < 0 ? h + 24 : h;
  }

  // --- interventions (staff, technicians, tests) ---

  /** Staff pour `litres` into the tank (at the scenario's pour rate). */
  refuel(litres = this.scenario.staff.refuelLitres): void {
    this.generator.startRefuel(litres);
    this.refuelDueAt = null;
    this.log.info('refuel started', { litres });
  }

  setGeneratorMode(mode: GeneratorMode): void {
    this.generator.mode = mode;
  }

  setSensorPlugged(sensor: SensorName, plugged: boolean): void {
    this.plugged[sensor] = plugged;
  }

  /** A party of visitors walks in now (tests and scripted scenarios); they leave after dwellMin. */
  admitVisitors(size = 1, dwellMin?: number): void {
    this.sync();
    this.visitors.arrive(this.t, size, dwellMin);
  }

  /** A resident plugs in a phone (tests and scenarios); returns the port or null when all are taken. */
  plugPhone(opts: Parameters<ChargingPorts['plug']>[1] = {}): number | null {
    this.sync();
    return this.charging.plug(this.t, opts);
  }

  sessions(): readonly ChargeSession[] {
    return this.charging.sessions;
  }

  truth(): WorldTruth {
    this.sync();
    const g = this.generator;
    const b = this.battery;
    const chargingW = this.charging.inputW;
    return {
      t: this.t,
      localHour: this.localHour(),
      generator: {
        mode: g.mode,
        running: g.running,
        outputW: g.outputW,
        fuelLph: g.fuelLph,
        fuelL: g.fuelL,
        tankL: g.tankL,
        refuelling: g.refuelling,
        runHours: g.runSeconds / 3600,
        starts: g.starts,
        fuelUsedL: g.fuelUsedL,
        refuelledL: g.refuelledL,
        outOfFuel: g.outOfFuel,
      },
      battery: { soc: b.soc, v: b.voltage, a: b.currentA, powerW: b.powerW, capacityWh: b.capacityWh },
      loads: { criticalW: this.criticalW, chargingW, totalW: this.criticalW + chargingW, unservedWh: this.unservedWh, blackout: this.blackout },
      visitors: {
        inside: this.visitors.inside,
        entries: this.visitors.entries,
        exits: this.visitors.exits,
        sensedEntries: this.sensedEntries,
        sensedExits: this.sensedExits,
        groups: this.visitors.groups,
      },
      ports: this.charging.ports.map((p) => ({ p: p.p, relayOn: p.relayOn, drawW: p.drawW, phone: p.phone ? { ...p.phone } : null })),
      charging: { deliveredWh: this.charging.deliveredWh, sessions: this.charging.sessions.length, turnedAway: this.charging.turnedAway },
      sensors: { ...this.plugged },
      fuelDistanceMm: this.fuelDistanceMm(),
    };
  }

  // --- physics ---

  private step(dt: number): void {
    const t = this.t;
    const hour = this.localHour(t);
    const staff = this.scenario.staff;

    const arrivals = this.visitors.step(t, dt, hour);
    for (const size of arrivals) {
      for (let i = 0; i < size; i++) if (this.rng.chance(this.scenario.visitors.chargeShare)) this.charging.plug(t);
    }
    this.charging.step(t, dt);

    this.criticalW = criticalLoadW(this.scenario.loads, hour);
    const loadW = this.criticalW + this.charging.inputW;

    const g = this.generator;
    const b = this.battery;
    g.control(b.soc);
    if (g.running) {
      const chargeW = b.acceptanceW(g.chargeHeadroomW(loadW));
      g.run(Math.min(loadW, g.ratedW) + chargeW, dt);
      // Load above the rating is assisted from the battery through the inverter.
      const assistW = Math.max(0, loadW - g.ratedW) / b.inverterEff;
      b.apply(chargeW - assistW, dt);
      this.blackout = false;
    } else {
      g.run(0, dt);
      const wantW = loadW / b.inverterEff;
      const gotW = -b.apply(-wantW, dt);
      const shortW = Math.max(0, (wantW - gotW) * b.inverterEff);
      this.blackout = shortW > 1e-6;
      this.unservedWh += (shortW * dt) / 3600;
    }

    const wasPouring = g.refuelling;
    g.pour(dt, staff.pourLpm);
    if (wasPouring) this.lastPourAt = t;
    this.scheduleRefuel(t, hour);
  }

  private scheduleRefuel(t: number, hour: number): void {
    const g = this.generator;
    const staff = this.scenario.staff;
    const onDuty = hour >= staff.dayHours[0] && hour < staff.dayHours[1];
    if (this.refuelDueAt === null) {
      if (!g.refuelling && g.fuelL < staff.refuelBelowFrac * g.tankL && onDuty) {
        this.refuelDueAt = t + this.rng.uniform(staff.refuelDelayMin[0], staff.refuelDelayMin[1]) * 60_000;
      }
    } else if (t >= this.refuelDueAt) {
      this.refuelDueAt = null;
      this.refuel();
    }
  }

  private onCrossing(c: DoorCrossing): void {
    if (!this.plugged.doors) return;
    if (c.dir === 'in') this.sensedEntries += c.sensed;
    else this.sensedExits += c.sensed;
    for (const fn of this.doorListeners) fn(c.dir, c.sensed);
  }

  private fuelDistanceMm(): number {
    const s = this.scenario.sensors;
    const levelMm = (this.generator.fuelL / this.generator.tankL) * s.tankHeightMm;
    return s.mountMm + s.tankHeightMm - levelMm;
  }

  private makeHardware(): WorldHardware {
    const s = this.scenario.sensors;
    return {
      fuel: {
        readDistanceMm: () => {
          this.sync();
          if (!this.plugged.fuel) return null;
          let d = this.fuelDistanceMm() + this.noise.normal(0, s.noiseMm);
          if (this.generator.running) d += this.noise.normal(0, s.vibrationMm);
          const pouring = this.generator.refuelling;
          const since = pouring ? 0 : (this.t - this.lastPourAt) / 1000;
          if (since < s.sloshDecayS * 5) {
            this.sloshPhase += 1.3 + this.noise.next();
            d += s.sloshMm * Math.exp(-since / s.sloshDecayS) * Math.sin(this.sloshPhase);
          }
          // Inside the blind zone the echo returns too early: the sensor reports about its minimum range.
          if (d < s.blindMm) d = s.blindMm * this.noise.uniform(0.97, 1);
          return Math.round(d);
        },
      },
      battery: {
        read: () => {
          this.sync();
          if (!this.plugged.battery) return null;
          const b = this.battery;
          return {
            v: b.voltage + this.noise.normal(0, s.batteryNoiseV),
            a: b.currentA + this.noise.normal(0, s.batteryNoiseA),
            soc: b.soc,
          };
        },
      },
      doors: {
        onCrossing: (fn) => {
          this.doorListeners.add(fn);
          return () => this.doorListeners.delete(fn);
        },
      },
      charger: {
        portCount: this.charging.ports.length,
        setRelay: (p, on) => {
          this.sync();
          const port = this.charging.ports[p];
          if (port) port.relayOn = on;
        },
        relay: (p) => this.charging.ports[p]?.relayOn ?? false,
        readCurrentMa: (p) => {
          this.sync();
          if (!this.plugged.ports) return null;
          const port = this.charging.ports[p];
          if (!port) return null;
          return Math.max(0, (port.drawW / 5) * 1000 + this.noise.normal(0, s.portNoiseMa));
        },
      },
    };
  }
}
