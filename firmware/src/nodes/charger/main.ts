// Charger node: N USB ports switched by MOSFETs, current per port from INA3221s. It executes the
// gateway's port commands but keeps its own safety: over-current cut-off, a port that draws while
// switched off (stuck MOSFET), all ports off when the gateway stays silent, and after a reboot the
// ports start off and that true state is reported at once.
import { espruinoPlatform, expose } from '../../platform/board.js';
import type { Platform } from '../../platform/espruino.js';
import { NodeCore } from '../../core/node.js';
import { INA3221 } from '../../drivers/ina3221/ina3221.js';

export interface ChargerPins {
  sda: { gpio: number };
  scl: { gpio: number };
  led: { gpio: number };
  [port: string]: { gpio: number };
}

interface Port {
  p: number;
  gpio: number;
  on: boolean;
  mA: number | null;
  fault: string | null;
  /** Consecutive samples over the limit. */
  over: number;
  /** Samples since the port was switched off (its current needs one to decay). */
  offFor: number;
}

export function run(p: Platform, pins: ChargerPins, fw: string): NodeCore {
  const core = new NodeCore(p, 'charger', fw, {
    id: 'charger',
    maxMa: 2600,
    /** Current through a port that is switched off above which its MOSFET is stuck. */
    leakMa: 150,
    /** All ports off after this long without hearing the gateway. */
    silentSec: 120,
    shuntOhms: 0.05,
    reportSec: 30,
  });
  p.i2c.setup({ sda: pins.sda.gpio, scl: pins.scl.gpio, bitrate: 100000 });
  const ports: Port[] = [];
  for (let i = 0; i < 32; i++) {
    const pin = pins['port' + i];
    if (pin === undefined) break;
    p.pinMode(pin.gpio, 'output');
    p.digitalWrite(pin.gpio, 0);
    ports.push({ p: i, gpio: pin.gpio, on: false, mA: null, fault: null, over: 0, offFor: 0 });
  }
  // Three ports per INA3221, addresses 0x40, 0x41 …
  const sensors: INA3221[] = [];
  const ready: boolean[] = [];
  for (let i = 0; i * 3 < ports.length; i++) {
    sensors.push(new INA3221(p.i2c, 0x40 + i, core.cfg.num('shuntOhms')));
    ready.push(false);
  }
  let failsafe = false;
  let changed = true;
  let reportedAt = -1000;

  const set = (port: Port, on: boolean) => {
    if (port.on !== on) changed = true;
    if (on) port.offFor = 0;
    port.on = on;
    p.digitalWrite(port.gpio, on ? 1 : 0);
  };
  const fault = (port: Port, why: string) => {
    if (port.fault !== why) changed = true;
    port.fault = why;
    set(port, false);
  };

  core.handlers.port = (body) => {
    const port = ports[Number(body.port)];
    if (port === undefined) return 'no such port';
    if (body.on === true) {
      if (port.fault === 'stuck-on') return 'port stuck on';
      // A new command to switch on is the gateway's decision to retry after a fault.
      port.fault = null;
      port.over = 0;
    }
    set(port, body.on === true);
    return null;
  };

  const measure = () => {
    core.alive();
    for (const port of ports) {
      const s = sensors[Math.floor(port.p / 3)];
      const idx = Math.floor(port.p / 3);
      let mA: number | null = null;
      try {
        if (s !== undefined && !ready[idx]) ready[idx] = s.init();
        if (s !== undefined && ready[idx]) mA = Math.round(s.milliamps(port.p % 3));
      } catch {
        ready[idx] = false;
      }
      port.mA = mA;
      if (mA === null) {
        // Without a measurement there is no protection: off.
        if (port.on || port.fault !== 'sensor') fault(port, 'sensor');
        continue;
      }
      if (port.fault === 'sensor') {
        port.fault = null;
        changed = true;
      }
      if (port.on) {
        // Two samples in a row, so an inrush spike does not trip it.
        if (mA <= core.cfg.num('maxMa')) port.over = 0;
        else if (++port.over >= 2) fault(port, 'overcurrent');
        continue;
      }
      port.offFor++;
      if (port.offFor >= 2 && mA > core.cfg.num('leakMa')) fault(port, 'stuck-on');
      else if (!port.on && port.fault === 'stuck-on' && mA < core.cfg.num('leakMa') / 2) {
        port.fault = null;
        changed = true;
      }
    }
    const silent = p.now() - core.uplink.heardAt > core.cfg.num('silentSec');
    if (silent && !failsafe) {
      failsafe = true;
      changed = true;
      for (const port of ports) set(port, false);
    } else if (!silent && failsafe) {
      // Ports stay off: the gateway switches on again what it wants on.
      failsafe = false;
      changed = true;
    }
    if (failsafe) for (const port of ports) if (port.on) set(port, false);
    const now = p.now();
    if ((changed && now - reportedAt >= 1) || now - reportedAt >= core.cfg.num('reportSec')) {
      changed = false;
      reportedAt = now;
      const out: unknown[] = [];
      for (const port of ports) out.push({ p: port.p, on: port.on, mA: port.mA, fault: port.fault });
      core.report('charger', { ports: out, failsafe: failsafe });
    }
  };
  p.setInterval(measure, 500);
  core.start();
  measure();
  return core;
}

export function start(pins: ChargerPins, fw: string): void {
  expose(run(espruinoPlatform(), pins, fw));
}
