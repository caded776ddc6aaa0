// The simulated world on the emulated board's pins and buses: each node kind gets the chips and
// signals its firmware expects, fed from the world's hardware interfaces (sim/world/sensors.ts), and
// the calibration a technician would enter at commissioning, so the firmware's figures match the world.
import { repoPaths } from '../../paths.js';
import { loadPinMap } from '../../../../hardware/src/pins.js';
import { FakeINA226 } from '../../../../firmware/host/devices/ina226.js';
import { FakeINA3221 } from '../../../../firmware/host/devices/ina3221.js';
import type { EspruinoHost } from '../../../../firmware/host/runtime.js';
import type { Clock } from '../../core/clock.js';
import { mulberry32 } from '../../core/prng.js';
import type { SimNodeKind } from '../nodes/app.js';
import type { DoorDirection } from '../world/visitors.js';
import type { World } from '../world/world.js';

/** What wiring a node's board returns: config keys to seed, and how to unplug it all again. */
export interface BoardWiring {
  config: Record<string, string | number | boolean>;
  /** Extra Storage files (e.g. the SoC a running node would have kept in flash). */
  files: Record<string, string>;
  dispose(): void;
}

function gpio(kind: SimNodeKind, name: string): number {
  const pin = loadPinMap(kind, repoPaths.pinsDir).pins[name];
  if (pin === undefined) throw new Error(`hardware/pins/${kind}.json has no pin '${name}'`);
  return pin.gpio;
}

/** INA226 on the battery shunt: every register read sees the world's bank at that moment. */
class WorldINA226 extends FakeINA226 {
  constructor(
    shuntOhms: number,
    private readonly sample: () => { v: number; a: number } | null,
  ) {
    super(shuntOhms);
  }

  protected override register(reg: number): number {
    if (reg === 0x01 || reg === 0x02) {
      const r = this.sample();
      if (r !== null) {
        this.volts = r.v;
        this.amps = r.a;
      }
    }
    return super.register(reg);
  }
}

/** INA3221 whose three channels are world charging ports `first`, `first+1`, `first+2`. */
class WorldINA3221 extends FakeINA3221 {
  constructor(
    shuntOhms: number,
    private readonly current: (ch: number) => number | null,
  ) {
    super(shuntOhms);
  }

  protected override register(reg: number): number {
    if (reg >= 0x01 && reg <= 0x06 && (reg & 1) === 1) {
      const ch = (reg - 1) >> 1;
      this.milliamps[ch] = this.current(ch) ?? 0;
    }
    return super.register(reg);
  }
}

const BATTERY_SHUNT_OHMS = 0.00075;
const CHARGER_SHUNT_OHMS = 0.05;

function wireBattery(host: EspruinoHost, world: World, clock: Clock): BoardWiring {
  const hw = world.hw.battery;
  const dev = new WorldINA226(BATTERY_SHUNT_OHMS, () => hw.read());
  host.i2c.attach(0x40, dev);
  // A monitor that stops answering NACKs on the bus, as an unplugged INA226 does.
  const syncPresence = () => {
    if (hw.read() === null) host.i2c.failing.add(0x40);
    else host.i2c.failing.delete(0x40);
  };
  syncPresence();
  const cancel = clock.setInterval(syncPresence, 1000);
  const s = world.scenario.battery;
  const truth = world.truth().battery;
  return {
    // LFP absorption is about 3.55 V per cell; the firmware's default (14.2 V) is for a 12 V bank.
    config: { capacityAh: s.capacityAh, fullVolts: Math.round(3.55 * s.cells * 100) / 100, shuntOhms: BATTERY_SHUNT_OHMS },
    // A node that has run before knows its state of charge (ns.soc); the world's is the truth.
    files: { 'ns.soc': truth.soc.toFixed(1) },
    dispose: () => {
      cancel();
      host.i2c.devices.delete(0x40);
    },
  };
}

function wireCharger(host: EspruinoHost, world: World, clock: Clock): BoardWiring {
  const hw = world.hw.charger;
  const gpios: number[] = [];
  const pins = loadPinMap('charger', repoPaths.pinsDir).pins;
  for (let i = 0; pins[`port${i}`] !== undefined; i++) gpios.push(pins[`port${i}`]!.gpio);
  const chips = Math.ceil(gpios.length / 3);
  const addrs: number[] = [];
  for (let c = 0; c < chips; c++) {
    const addr = 0x40 + c;
    addrs.push(addr);
    host.i2c.attach(
      addr,
      new WorldINA3221(CHARGER_SHUNT_OHMS, (ch) => {
        const port = c * 3 + ch;
        return port < gpios.length && port < hw.portCount ? hw.readCurrentMa(port) : 0;
      }),
    );
  }
  const syncPresence = () => {
    const present = hw.portCount === 0 || hw.readCurrentMa(0) !== null;
    for (const a of addrs) {
      if (present) host.i2c.failing.delete(a);
      else host.i2c.failing.add(a);
    }
  };
  syncPresence();
  const cancel = clock.setInterval(syncPresence, 1000);
  // The MOSFET gates: the firmware's outputs switch the world's port relays.
  let live = true;
  host.pins.onOutput((pin, level) => {
    const port = gpios.indexOf(pin);
    if (live && port >= 0 && port < hw.portCount) hw.setRelay(port, level);
  });
  for (let p = 0; p < Math.min(gpios.length, hw.portCount); p++) hw.setRelay(p, false);
  return {
    config: { shuntOhms: CHARGER_SHUNT_OHMS },
    files: {},
    dispose: () => {
      live = false;
      cancel();
      for (const a of addrs) host.i2c.devices.delete(a);
    },
  };
}

/** A02YYUW in processed mode sends a frame about every 100–300 ms; 300 ms keeps host timers few. */
const A02_FRAME_MS = 300;

function a02Frame(mm: number): string {
  const h = (mm >> 8) & 255;
  const l = mm & 255;
  return String.fromCharCode(0xff, h, l, (0xff + h + l) & 255);
}

function wireFuel(host: EspruinoHost, world: World, clock: Clock): BoardWiring {
  const hw = world.hw.fuel;
  const cancel = clock.setInterval(() => {
    const d = hw.readDistanceMm();
    // No echo (unplugged): the sensor stays silent and the firmware notices after a few seconds.
    if (d !== null) host.serial2.inject(a02Frame(Math.max(0, Math.min(0xffff, Math.round(d)))));
  }, A02_FRAME_MS);
  const s = world.scenario;
  return {
    config: {
      sensor: 'a02',
      depthMm: s.sensors.mountMm + s.sensors.tankHeightMm,
      blindMm: s.sensors.blindMm,
      // The simulated tank is a box: litres grow linearly with height.
      table: `0:0,${s.sensors.tankHeightMm}:${s.generator.tankL}`,
    },
    files: {},
    dispose: cancel,
  };
}

/** How long one person takes through the two beams, ms (scaled per crossing for walking pace). */
const BEAM_LEAD_MS = 250;
const BEAM_HOLD_MS = 500;
const BETWEEN_PEOPLE_MS = 900;

function wireVisitors(host: EspruinoHost, world: World, clock: Clock, seed: number): BoardWiring {
  const a = gpio('visitors', 'beamA');
  const b = gpio('visitors', 'beamB');
  // Receivers pull low while they see their emitter: low = beam intact.
  host.pins.setInput(a, false);
  host.pins.setInput(b, false);
  const rand = mulberry32(seed);
  const queue: DoorDirection[] = [];
  let busyUntil = -1;
  const timers: Array<() => void> = [];
  const at = (ms: number, fn: () => void) => {
    const cancel = clock.setTimeout(() => {
      const i = timers.indexOf(cancel);
      if (i >= 0) timers.splice(i, 1);
      fn();
    }, ms);
    timers.push(cancel);
  };
  const pump = () => {
    if (busyUntil >= 0 || queue.length === 0) return;
    const dir = queue.shift()!;
    const [first, second] = dir === 'in' ? [a, b] : [b, a];
    const pace = 0.8 + rand() * 0.6;
    const lead = BEAM_LEAD_MS * pace;
    const hold = BEAM_HOLD_MS * pace;
    busyUntil = clock.now() + lead + hold + lead;
    host.pins.setInput(first, true);
    at(lead, () => host.pins.setInput(second, true));
    at(hold, () => host.pins.setInput(first, false));
    at(lead + hold, () => host.pins.setInput(second, false));
    at(lead + hold + BETWEEN_PEOPLE_MS * pace, () => {
      busyUntil = -1;
      pump();
    });
  };
  const off = world.hw.doors.onCrossing((dir, counted) => {
    for (let i = 0; i < counted; i++) queue.push(dir);
    pump();
  });
  return {
    config: {},
    files: {},
    dispose: () => {
      off();
      for (const t of timers.splice(0)) t();
      queue.length = 0;
    },
  };
}

/** Attaches the world to a host before its firmware boots. */
export function wireBoard(kind: SimNodeKind, host: EspruinoHost, world: World, clock: Clock, seed = 1): BoardWiring {
  switch (kind) {
    case 'battery':
      return wireBattery(host, world, clock);
    case 'charger':
      return wireCharger(host, world, clock);
    case 'fuel':
      return wireFuel(host, world, clock);
    case 'visitors':
      return wireVisitors(host, world, clock, seed);
  }
}
