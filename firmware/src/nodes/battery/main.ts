// Battery node: bank voltage and current from an INA226, state of charge by coulomb counting.
import { espruinoPlatform, expose } from '../../platform/board.js';
import type { Platform } from '../../platform/espruino.js';
import { NodeCore } from '../../core/node.js';
import { INA226 } from '../../drivers/ina226/ina226.js';
import { CoulombCounter, socFromRestVolts } from './soc.js';

export interface BatteryPins {
  sda: { gpio: number };
  scl: { gpio: number };
  led: { gpio: number };
}

const SOC_FILE = 'ns.soc';
/** SoC is written to flash at most this often. */
const PERSIST_SEC = 600;

export function run(p: Platform, pins: BatteryPins, fw: string): NodeCore {
  const core = new NodeCore(p, 'battery', fw, {
    id: 'battery',
    capacityAh: 200,
    chargeEff: 0.9,
    fullVolts: 14.2,
    tailAmps: 4,
    shuntOhms: 0.00075,
    reportSec: 30,
  });
  p.i2c.setup({ sda: pins.sda.gpio, scl: pins.scl.gpio, bitrate: 100000 });
  const ina = new INA226(p.i2c, 0x40, core.cfg.num('shuntOhms'));
  let ready = false;
  const saved = Number(p.storage.read(SOC_FILE));
  const counter = new CoulombCounter(
    {
      capacityAh: core.cfg.num('capacityAh'),
      chargeEfficiency: core.cfg.num('chargeEff'),
      fullVolts: core.cfg.num('fullVolts'),
      tailAmps: core.cfg.num('tailAmps'),
      fullSec: 300,
    },
    saved >= 0 && saved <= 100 ? saved : -1,
  );
  let v: number | null = null;
  let a: number | null = null;
  let lastAt = p.now();
  let savedAt = p.now();
  let savedSoc = counter.soc;

  const sample = () => {
    core.alive();
    const now = p.now();
    const dt = now - lastAt;
    lastAt = now;
    try {
      if (!ready) ready = ina.init();
      if (!ready) throw new Error('no INA226');
      v = ina.busVolts();
      a = ina.amps();
    } catch {
      ready = false;
      v = null;
      a = null;
    }
    core.setCondition('SENSOR_FAULT', v === null);
    if (v === null || a === null) return;
    if (counter.soc < 0) counter.soc = socFromRestVolts(v);
    else counter.update(v, a, dt, now);
    if (now - savedAt >= PERSIST_SEC && Math.abs(counter.soc - savedSoc) >= 0.5) {
      p.storage.write(SOC_FILE, counter.soc.toFixed(1));
      savedAt = now;
      savedSoc = counter.soc;
    }
  };
  const report = () => {
    const ok = v !== null && a !== null && counter.soc >= 0;
    core.report('battery', {
      v: v === null ? null : Math.round(v * 100) / 100,
      a: a === null ? null : Math.round(a * 100) / 100,
      soc: ok ? Math.round(counter.soc * 10) / 10 : null,
      status: ok ? 'ok' : 'fault',
    });
  };
  p.setInterval(sample, 1000);
  p.setInterval(report, core.cfg.num('reportSec') * 1000);
  core.start();
  return core;
}

export function start(pins: BatteryPins, fw: string): void {
  expose(run(espruinoPlatform(), pins, fw));
}
