// ChargingSimulation: the charging service (or the naive baseline) on the simulated point of sim/world —
// generator, tank, LFP bank, critical loads, phones with a taper — in virtual time. Residents arrive, take a
// number, walk to the port they are offered, plug in, and collect when told their phone is done or when
// they come back anyway. The charger node is played here (telemetry every 30 s and right after a command,
// failsafe after 120 s without the gateway), so the service sees exactly the bus traffic it sees on a Pi.
// Used by test/charging/ (72 h outage) and bench/suites/charging.ts. See bench/README.md `## charging`.
import type { PowerSystem } from '../../../hardware/src/power-model.js';
import { hoursToEmpty } from '../../../hardware/src/power-model.js';
import { EventBus } from '../core/bus.js';
import { ManualClock } from '../core/clock.js';
import type { GatewayEvents } from '../core/events.js';
import type { ChargerBody } from '../protocol/index.js';
import { criticalLoadW } from '../sim/world/loads.js';
import type { Phone } from '../sim/world/index.js';
import { DEFAULT_SCENARIO, Prng, World, resolveScenario } from '../sim/world/index.js';
import type { Scenario, ScenarioInput } from '../sim/world/index.js';
import type { ChargingConfig, ChargingConfigInput } from './config.js';
import { chargingConfig } from './config.js';
import { percentile } from './evidence.js';
import type { ShedStage } from './policy.js';
import { SERVED_WH } from './policy.js';
import type { PowerInputs } from './power.js';
import { systemNow } from './power.js';
import type { PortCommand } from './service.js';
import { ChargingService } from './service.js';
import type { ChargingAlert, ChargingPersistence, PortFault } from './types.js';
import { MemoryChargingPersistence } from './types.js';

const MIN = 60_000;
const HOUR = 3_600_000;
const FULL_LEVEL = 0.995;

export interface Demand {
  /** Residents wanting a charge per hour at the busiest hour; the day follows the world's visitor profile. */
  peakPerHour: number;
  /** Minutes a resident waits for a port before giving up. */
  patienceMin: [number, number];
  /** Minutes from "your port is ready" to plugged in. */
  walkMin: [number, number];
  /** Share of residents who take a number and never come to the port. */
  noShowShare: number;
  /** Minutes after plugging in when residents come back for the phone whatever its state. */
  returnAfterMin: [number, number];
  /** Minutes from "your phone is done" (full or time box) to collecting it. */
  collectMin: [number, number];
}

export const DEFAULT_DEMAND: Demand = {
  peakPerHour: 14,
  patienceMin: [60, 240],
  walkMin: [1, 8],
  noShowShare: 0.03,
  returnAfterMin: [90, 240],
  collectMin: [2, 12],
};

export type SimPolicy = 'budget' | 'naive';

/** A scripted event at an hour of the run (tests: faults, generator failure, charger offline, refuel). */
export interface SimEvent {
  atH: number;
  run: (sim: ChargingSimulation) => void;
}

export interface ChargingSimOptions {
  policy: SimPolicy;
  hours: number;
  seed?: number;
  demand?: Partial<Demand>;
  scenario?: ScenarioInput;
  config?: ChargingConfigInput;
  persistence?: ChargingPersistence;
  events?: SimEvent[];
  telemetryMs?: number;
}

export interface Resident {
  id: number;
  arrivedAt: number;
  patienceMs: number;
  walkMs: number;
  noShow: boolean;
  returnAfterMs: number;
  collectMs: number;
  level: number;
  fullWh: number;
  token: string | null;
  number: number | null;
  outcome: 'waiting' | 'refused' | 'gave-up' | 'missed' | 'plugged' | 'collected';
  port: number | null;
  plugAt: number | null;
  pluggedAt: number | null;
  /** When the phone left the port (collected, or taken on the resident's own return). */
  unpluggedAt: number | null;
  collectAt: number | null;
  phone: Phone | null;
}

export interface ChargingSimResult {
  policy: SimPolicy;
  hours: number;
  arrived: number;
  served: number;
  refused: number;
  gaveUp: number;
  missed: number;
  /** Energy into phones at the ports, and at the battery bus (after the USB board's losses). */
  portWh: number;
  busWh: number;
  servedPerKwh: number;
  waitP50Min: number | null;
  waitP95Min: number | null;
  /** Minutes in which charging drew power while stored energy covered fewer than reserveHours of critical load (beyond one tick of reaction time). */
  reserveViolationMin: number;
  /** Critical load not served (Wh): a blackout. */
  unservedWh: number;
  stages: { at: number; stage: ShedStage; allowed: number }[];
  alerts: ChargingAlert[];
  ends: Record<string, number>;
  residents: Resident[];
}

/** The world's hardware as the one power model sees it (critical load at its night-time worst). */
export function worldPowerSystem(s: Scenario, cfg: Pick<ChargingConfig, 'ports' | 'portW'>): PowerSystem {
  const g = s.generator;
  const idle = g.f0LphPerRatedKw * g.ratedKw;
  return {
    loads: [
      { id: 'gateway', category: 'gateway', watts: s.loads.gatewayW, dutyCycle: 1 },
      { id: 'network', category: 'network', watts: s.loads.networkW, dutyCycle: 1 },
      { id: 'radio', category: 'radio', watts: s.loads.radioW, dutyCycle: 1 },
      { id: 'lights', category: 'lights', watts: Math.max(s.loads.lightsDayW, s.loads.lightsNightW), dutyCycle: 1 },
    ],
    generator: { ratedW: g.ratedKw * 1000, maxContinuousFraction: 0.8, fuelCurve: { idleLph: idle, fullLoadLph: idle + g.f1LphPerKw * g.ratedKw } },
    tank: { fuelL: g.initialFuelL, reserveL: 1 },
    battery: { nominalV: s.battery.cells * 3.2, capacityAh: s.battery.capacityAh, usableFraction: 0.9, soc: s.battery.initialSoc / 100 },
    conversion: { chargerEfficiency: s.battery.chargeEff, chargerMaxW: g.chargerKw * 1000, portEfficiency: s.phones.boardEff },
    charging: { ports: cfg.ports, portW: cfg.portW, batteryRechargeW: 1000, allowOnBattery: false },
  };
}

export class ChargingSimulation {
  readonly clock = new ManualClock(Date.UTC(2026, 0, 12, 6));
  readonly bus = new EventBus<GatewayEvents>();
  readonly world: World;
  readonly config: ChargingConfig;
  readonly power: PowerSystem;
  readonly service: ChargingService | null;
  readonly persistence: ChargingPersistence;
  readonly residents: Resident[] = [];
  readonly alerts: ChargingAlert[] = [];
  readonly demand: Demand;
  /** Port → what the simulated charger hardware does wrong. */
  readonly portFaults = new Map<number, PortFault>();
  private readonly rng: Prng;
  private readonly t0: number;
  private online = true;
  private lastHeard: number;
  private seq = 0;
  private telemetryPending = false;
  private line: Resident[] = [];
  private violationMin = 0;
  private belowReserveSince: number | null = null;

  constructor(readonly opts: ChargingSimOptions) {
    const scenario = resolveScenario({ ...opts.scenario, visitors: { ...opts.scenario?.visitors, chargeShare: 0 } });
    this.config = chargingConfig({ enabled: true, ...opts.config, ports: scenario.phones.ports, node: 'charger-1' });
    this.demand = { ...DEFAULT_DEMAND, ...opts.demand };
    this.world = new World(this.clock, { seed: opts.seed ?? 1, scenario });
    this.power = worldPowerSystem(this.world.scenario, this.config);
    this.rng = new Prng(opts.seed ?? 1).fork(0xd3a0);
    this.t0 = this.clock.now();
    this.lastHeard = this.t0;
    this.persistence = opts.persistence ?? new MemoryChargingPersistence();
    this.service =
      opts.policy === 'budget'
        ? new ChargingService({
            config: this.config,
            bus: this.bus,
            clock: this.clock,
            sendCommand: (node, cmd) => this.command(node, cmd),
            persistence: this.persistence,
            power: { system: this.power, inputs: () => this.powerInputs() },
            onAlert: (a) => this.alerts.push(a),
          })
        : null;
  }

  /** What the gateway's sensors report (the simulated sensors are exact here; port current carries noise). */
  powerInputs(): PowerInputs {
    const w = this.world;
    return { generatorRunning: w.generator.running, fuelL: w.generator.fuelL, soc: w.battery.soc };
  }

  run(): ChargingSimResult {
    const { clock, world } = this;
    world.start();
    const telemetryMs = this.opts.telemetryMs ?? 30_000;
    clock.setInterval(() => this.telemetry(), telemetryMs);
    clock.setInterval(() => this.minute(), MIN);
    clock.setInterval(() => this.failsafe(), 1000);
    for (const e of this.opts.events ?? []) clock.setTimeout(() => e.run(this), e.atH * HOUR);
    if (this.opts.policy === 'naive') for (let p = 0; p < this.config.ports; p++) world.hw.charger.setRelay(p, true);
    this.service?.start();
    this.telemetry();
    clock.advance(this.opts.hours * HOUR);
    this.service?.stop();
    world.stop();
    return this.result();
  }

  // --- scripted interventions ---

  /** The charger node goes silent (cable, crash) or comes back. */
  setChargerOnline(online: boolean): void {
    if (online === this.online) return;
    this.online = online;
    const now = this.clock.now();
    if (online) this.lastHeard = now;
    this.bus.emit('availability', { node: this.config.node, online, kind: 'charger', lastSeen: now, at: now });
    if (online) this.telemetry();
  }

  injectFault(port: number, fault: PortFault): void {
    this.portFaults.set(port, fault);
    if (fault === 'stuck-on') this.world.hw.charger.setRelay(port, true);
    this.requestTelemetry();
  }

  // --- the charger node ---

  private command(node: string, cmd: PortCommand): boolean {
    if (node !== this.config.node || !this.online) return false;
    this.lastHeard = this.clock.now();
    // A stuck relay ignores "off".
    if (!(this.portFaults.get(cmd.port) === 'stuck-on' && !cmd.on)) this.world.hw.charger.setRelay(cmd.port, cmd.on);
    this.requestTelemetry();
    return true;
  }

  private requestTelemetry(): void {
    if (this.telemetryPending) return;
    this.telemetryPending = true;
    this.clock.setTimeout(() => {
      this.telemetryPending = false;
      this.telemetry();
    }, 1000);
  }

  private telemetry(): void {
    if (!this.online) return;
    const hw = this.world.hw.charger;
    const ports: ChargerBody['ports'] = [];
    for (let p = 0; p < hw.portCount; p++) {
      const raw = hw.readCurrentMa(p);
      let mA = raw === null ? null : Math.round(raw);
      let fault: PortFault | null = mA === null ? 'sensor' : null;
      const f = this.portFaults.get(p);
      if (f === 'overcurrent' && hw.relay(p)) mA = 3300;
      if (f === 'sensor') {
        mA = null;
        fault = 'sensor';
      }
      ports.push({ p, on: hw.relay(p), mA, fault });
    }
    const now = this.clock.now();
    const body: ChargerBody = { ports, failsafe: false };
    this.bus.emit('reading', { msg: { v: 1, node: this.config.node, boot: 1, seq: ++this.seq, ts: now, type: 'charger', body }, link: 'sim', receivedAt: now });
  }

  /** The node's own failsafe: without the gateway for 120 s every relay goes off. */
  private failsafe(): void {
    if (this.opts.policy !== 'budget' || this.online) return;
    if (this.clock.now() - this.lastHeard < 120_000) return;
    for (let p = 0; p < this.config.ports; p++) if (this.portFaults.get(p) !== 'stuck-on') this.world.hw.charger.setRelay(p, false);
  }

  // --- residents ---

  private minute(): void {
    const now = this.clock.now();
    const world = this.world;
    world.sync();
    const hour = Math.floor(world.localHour());
    const rate = (this.demand.peakPerHour * (DEFAULT_SCENARIO.visitors.hourProfile[hour] ?? 0)) / 60;
    for (let i = this.rng.poisson(rate); i > 0; i--) this.arrive(now);
    if (this.service) this.residentsWithNumbers(now);
    else this.residentsInLine(now);
    this.collect(now);
    this.checkReserve(now);
  }

  private arrive(now: number): void {
    const d = this.demand;
    const ph = this.world.scenario.phones;
    const r: Resident = {
      id: this.residents.length + 1,
      arrivedAt: now,
      patienceMs: this.rng.uniform(...d.patienceMin) * MIN,
      walkMs: this.rng.uniform(...d.walkMin) * MIN,
      noShow: this.rng.chance(d.noShowShare),
      returnAfterMs: this.rng.uniform(...d.returnAfterMin) * MIN,
      collectMs: this.rng.uniform(...d.collectMin) * MIN,
      level: this.rng.uniform(...ph.arrivalLevel),
      fullWh: this.rng.uniform(...ph.fullChargeWh),
      token: null,
      number: null,
      outcome: 'waiting',
      port: null,
      plugAt: null,
      pluggedAt: null,
      unpluggedAt: null,
      collectAt: null,
      phone: null,
    };
    this.residents.push(r);
    if (this.service) {
      const res = this.service.takeNumber({ holder: `resident-${r.id}` });
      if (res.ok) {
        r.token = res.token;
        r.number = res.number;
      } else r.outcome = 'refused';
    } else this.line.push(r);
  }

  private plug(r: Resident, port: number, now: number): void {
    const p = this.world.plugPhone({ port, level: r.level, fullWh: r.fullWh, stayMin: r.returnAfterMs / MIN });
    if (p === null) return;
    r.port = p;
    r.pluggedAt = now;
    r.outcome = 'plugged';
    r.phone = this.world.charging.ports[p]?.phone ?? null;
  }

  private residentsWithNumbers(now: number): void {
    const service = this.service;
    if (!service) return;
    for (const r of this.residents) {
      if (r.outcome !== 'waiting' && r.outcome !== 'plugged') continue;
      const st = r.token ? service.ticketStatus(r.token) : null;
      if (!st) continue;
      if (r.outcome === 'waiting') {
        if (st.state === 'offered' && st.port !== null) {
          if (r.noShow) continue;
          r.plugAt ??= now + r.walkMs;
          if (now >= r.plugAt) this.plug(r, st.port, now);
        } else if (st.state === 'missed') {
          r.outcome = 'missed';
        } else if (st.state === 'waiting' && now - r.arrivedAt > r.patienceMs && r.token) {
          service.cancel(r.token);
          r.outcome = 'gave-up';
        }
      } else if (st.state === 'ended' && r.collectAt === null) {
        r.collectAt = now + r.collectMs;
      }
    }
  }

  /** Naive baseline: every relay on, a physical line, first come first served, phones stay until full. */
  private residentsInLine(now: number): void {
    this.line = this.line.filter((r) => {
      if (now - r.arrivedAt > r.patienceMs) {
        r.outcome = 'gave-up';
        return false;
      }
      return true;
    });
    for (const port of this.world.charging.ports) {
      if (port.phone || !this.line.length) continue;
      const r = this.line.shift();
      if (r) this.plug(r, port.p, now);
    }
    for (const r of this.residents) {
      if (r.outcome === 'plugged' && r.collectAt === null && r.phone && r.phone.level >= FULL_LEVEL) r.collectAt = now + r.collectMs;
    }
  }

  private collect(now: number): void {
    for (const r of this.residents) {
      if (r.outcome !== 'plugged' || r.port === null || !r.phone) continue;
      const port = this.world.charging.ports[r.port];
      const stillThere = port?.phone === r.phone;
      if (!stillThere) {
        // Came back on their own (returnAfter): the world unplugged the phone during its step.
        r.outcome = 'collected';
        r.unpluggedAt = this.world.sessions().find((s) => s.port === r.port && s.pluggedAt === r.pluggedAt)?.unpluggedAt ?? now;
        continue;
      }
      if (r.collectAt !== null && now >= r.collectAt) {
        this.world.charging.unplug(r.port, now);
        r.outcome = 'collected';
        r.unpluggedAt = now;
      }
    }
  }

  /** Ground truth: did phone charging draw power while the stored energy was below the critical reserve? */
  private checkReserve(now: number): void {
    const w = this.world;
    const drawing = w.charging.ports.some((p) => p.drawW > 0);
    const sys = systemNow(this.power, this.powerInputs(), this.config, false);
    const below = hoursToEmpty(sys) < this.config.reserveHours;
    if (!below) {
      this.belowReserveSince = null;
      return;
    }
    this.belowReserveSince ??= now;
    // One tick of reaction time is the control loop, not a violation.
    if (drawing && now - this.belowReserveSince > this.config.tickS * 1000) this.violationMin++;
  }

  private result(): ChargingSimResult {
    const served = (r: Resident) => r.phone !== null && (r.phone.receivedWh >= SERVED_WH || r.phone.level >= FULL_LEVEL);
    const waits = this.residents.filter((r) => r.pluggedAt !== null).map((r) => ((r.pluggedAt ?? 0) - r.arrivedAt) / MIN);
    const truth = this.world.truth();
    const portWh = truth.charging.deliveredWh;
    const busWh = portWh / this.world.scenario.phones.boardEff;
    const nServed = this.residents.filter(served).length;
    const ends: Record<string, number> = {};
    const stages: ChargingSimResult['stages'] = [];
    for (const rec of this.persistence.records(this.t0, Infinity)) {
      if (rec.kind === 'ended') ends[rec.end] = (ends[rec.end] ?? 0) + 1;
      if (rec.kind === 'stage') stages.push({ at: rec.at, stage: rec.stage, allowed: rec.allowed });
    }
    return {
      policy: this.opts.policy,
      hours: this.opts.hours,
      arrived: this.residents.length,
      served: nServed,
      refused: this.residents.filter((r) => r.outcome === 'refused').length,
      gaveUp: this.residents.filter((r) => r.outcome === 'gave-up').length,
      missed: this.residents.filter((r) => r.outcome === 'missed').length,
      portWh,
      busWh,
      servedPerKwh: busWh > 0 ? nServed / (busWh / 1000) : 0,
      waitP50Min: percentile(waits, 0.5),
      waitP95Min: percentile(waits, 0.95),
      reserveViolationMin: this.violationMin,
      unservedWh: truth.loads.unservedWh,
      stages,
      alerts: this.alerts,
      ends,
      residents: this.residents,
    };
  }
}

/** Critical load of the world now (W), for tests that check the reserve directly. */
export function worldCriticalW(world: World): number {
  return criticalLoadW(world.scenario.loads, world.localHour());
}
