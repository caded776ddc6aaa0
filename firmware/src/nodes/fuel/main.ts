// Fuel node: generator tank level from an A02YYUW ultrasonic sensor (UART) or a resistive sender
// (ADC). A sensor that cannot be trusted reports null litres with a status — never an empty tank.
import { espruinoPlatform, expose } from '../../platform/board.js';
import type { Platform } from '../../platform/espruino.js';
import { NodeCore } from '../../core/node.js';
import { A02Parser } from '../../drivers/a02yyuw/a02yyuw.js';
import { litresAt, Median, parseTable, RefuelDetector } from './level.js';

export interface FuelPins {
  trig: { gpio: number };
  echo: { gpio: number };
  sonarRx: { gpio: number };
  sonarTx: { gpio: number };
  sender: { gpio: number };
  led: { gpio: number };
}

/** A02YYUW blind zone is 30 mm; anything closer is not a real surface. */
const A02_BLIND_MM = 30;
/** JSN-SR04T cannot see closer than about 200 mm. */
const SR04T_BLIND_MM = 200;
/** Speed of sound (20 °C) halved for the round trip, in mm per second. */
const ECHO_MM_PER_SEC = 171500;
/** No frame for this long: the sensor is unplugged or dead. */
const SILENT_SEC = 3;

export function run(p: Platform, pins: FuelPins, fw: string): NodeCore {
  const core = new NodeCore(p, 'fuel', fw, {
    id: 'fuel',
    /** 'a02' (ultrasonic on UART), 'sr04t' (ultrasonic, trigger/echo) or 'sender' (resistive, ADC). */
    sensor: 'a02',
    /** Sensor to tank bottom, mm. */
    depthMm: 600,
    blindMm: A02_BLIND_MM,
    /** Fuel height mm : litres, for a 200 L horizontal drum. */
    table: '0:0,60:15,120:40,180:70,240:100,300:130,360:160,420:185,480:200',
    /** Sender ADC fraction at empty and full. */
    senderEmpty: 0.1,
    senderFull: 0.9,
    reportSec: 30,
  });
  const median = new Median(7);
  const refuel = new RefuelDetector(8, 600, 120);
  let lastFrameAt = -1;
  let status = 'unplugged';
  let rawMm: number | null = null;
  let table = parseTable(core.cfg.str('table'));
  core.onConfig = () => {
    table = parseTable(core.cfg.str('table'));
  };

  const sensor = core.cfg.str('sensor');
  const distance = (mm: number) => {
    lastFrameAt = p.now();
    rawMm = mm;
    const blind = sensor === 'sr04t' ? Math.max(SR04T_BLIND_MM, core.cfg.num('blindMm')) : core.cfg.num('blindMm');
    if (mm < blind || mm > core.cfg.num('depthMm') + 50) {
      // Too close (blind zone, or foam/condensation on the sensor) or beyond the tank bottom.
      status = 'blind';
      return;
    }
    status = 'ok';
    median.push(core.cfg.num('depthMm') - mm);
  };
  if (sensor === 'a02') {
    const parser = new A02Parser(distance);
    p.serial2.setup(9600, { rx: pins.sonarRx.gpio, tx: pins.sonarTx.gpio });
    p.serial2.on('data', (d: string) => parser.push(d));
  } else if (sensor === 'sr04t') {
    p.pinMode(pins.trig.gpio, 'output');
    p.pinMode(pins.echo.gpio, 'input');
    // The echo pin is high for the sound's round trip.
    p.setWatch(
      (e) => {
        if (!e.state && e.lastTime !== undefined) distance(Math.round((e.time - e.lastTime) * ECHO_MM_PER_SEC));
      },
      pins.echo.gpio,
      { repeat: true, edge: 'both' },
    );
    p.setInterval(() => p.digitalPulse(pins.trig.gpio, 1, 0.01), 200);
  } else {
    p.pinMode(pins.sender.gpio, 'analog');
  }

  // Per-second medians averaged over the report period: the median rejects echoes and spikes,
  // the average smooths slosh waves that are slower than the median window.
  let sum = 0;
  let n = 0;
  const accumulate = () => {
    const m = median.value();
    if (status === 'ok' && m !== null && median.count >= 3) {
      sum += m;
      n++;
    }
  };
  const sample = () => {
    core.alive();
    if (sensor !== 'sender') {
      if (lastFrameAt < 0 || p.now() - lastFrameAt > SILENT_SEC) {
        status = 'unplugged';
        rawMm = null;
        median.clear();
      }
      accumulate();
      return;
    }
    const f = p.analogRead(pins.sender.gpio);
    const empty = core.cfg.num('senderEmpty');
    const full = core.cfg.num('senderFull');
    // An open sender reads near 0, a shorted one near 1: both are faults, not levels.
    if (f < 0.02) status = 'unplugged';
    else if (f > 0.98) status = 'fault';
    else {
      status = 'ok';
      const frac = Math.max(0, Math.min(1, (f - empty) / (full - empty)));
      const last = table === null ? null : table[table.length - 1];
      median.push(frac * (last === undefined || last === null ? 0 : (last[0] as number)));
    }
    if (status !== 'ok') median.clear();
    accumulate();
  };

  const report = () => {
    const h = n > 0 ? sum / n : null;
    sum = 0;
    n = 0;
    const last = table === null ? undefined : table[table.length - 1];
    const valid = status === 'ok' && h !== null && table !== null && last !== undefined;
    core.setCondition('SENSOR_FAULT', status === 'fault' || status === 'unplugged');
    core.setCondition('BAD_TABLE', table === null);
    let litres: number | null = null;
    let pct: number | null = null;
    if (valid && table !== null && h !== null && last !== undefined) {
      litres = Math.round(litresAt(table, h) * 10) / 10;
      pct = Math.round((litres / (last[1] as number)) * 1000) / 10;
      refuel.update(litres, p.now());
    }
    core.report('fuel', { litres: litres, pct: pct, rawMm: rawMm, status: status, refuelling: refuel.refuelling });
  };

  p.setInterval(sample, 1000);
  p.setInterval(report, core.cfg.num('reportSec') * 1000);
  core.start();
  return core;
}

export function start(pins: FuelPins, fw: string): void {
  expose(run(espruinoPlatform(), pins, fw));
}
