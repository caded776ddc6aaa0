// Visitors node: counts people through the door and reports totals that survive reboots.
import { espruinoPlatform, expose } from '../../platform/board.js';
import type { Platform } from '../../platform/espruino.js';
import { NodeCore } from '../../core/node.js';
import { BeamCounter, NONE } from './counter.js';

export interface VisitorPins {
  beamA: { gpio: number };
  beamB: { gpio: number };
  led: { gpio: number };
}

const COUNTS_FILE = 'ns.visits';
/** Counts are written to flash at most this often (and before a commanded reboot): bounded wear. */
const PERSIST_SEC = 60;
/** A beam broken longer than this is blocked or faulty, not a person. */
const STUCK_SEC = 60;
/** Totals are reported at least this often even without traffic. */
const REPORT_SEC = 300;

export function run(p: Platform, pins: VisitorPins, fw: string): NodeCore {
  const core = new NodeCore(p, 'visitors', fw, { id: 'visitors', minDwellMs: 200, debounceMs: 20 });
  const counter = new BeamCounter({ minDwellMs: core.cfg.num('minDwellMs') });
  core.onConfig = () => {
    counter.opts.minDwellMs = core.cfg.num('minDwellMs');
  };
  const saved = p.storage.readJSON(COUNTS_FILE, true) as { entries?: number; exits?: number } | undefined;
  if (saved !== undefined && saved !== null && typeof saved.entries === 'number' && typeof saved.exits === 'number') {
    counter.entries = saved.entries;
    counter.exits = saved.exits;
  }
  let savedEntries = counter.entries;
  let savedExits = counter.exits;
  let savedAt = p.now();
  let reportedAt = -REPORT_SEC;
  let dirty = false;
  let brokenSince = -1;

  const persist = () => {
    if (counter.entries === savedEntries && counter.exits === savedExits) return;
    p.storage.writeJSON(COUNTS_FILE, { entries: counter.entries, exits: counter.exits });
    savedEntries = counter.entries;
    savedExits = counter.exits;
    savedAt = p.now();
  };
  const report = () => {
    const inside = counter.entries - counter.exits;
    core.report('visitors', { entries: counter.entries, exits: counter.exits, inside: inside > 0 ? inside : 0 });
    reportedAt = p.now();
    dirty = false;
  };

  const debounce = core.cfg.num('debounceMs');
  const watch = (beam: 'A' | 'B', pin: number) => {
    p.pinMode(pin, 'input_pullup');
    // Receivers pull low while they see the emitter; high = beam broken.
    p.setWatch(
      (e) => {
        const v = counter.update(beam, e.state, Math.round(e.time * 1000));
        if (v !== NONE) dirty = true;
        p.digitalWrite(pins.led.gpio, counter.active);
      },
      pin,
      { repeat: true, edge: 'both', debounce: debounce },
    );
  };
  p.pinMode(pins.led.gpio, 'output');
  watch('A', pins.beamA.gpio);
  watch('B', pins.beamB.gpio);

  // Before a commanded reboot, flush the counts.
  const reboot = core.handlers.reboot;
  core.handlers.reboot = (body) => {
    persist();
    return reboot === undefined ? null : reboot(body);
  };

  p.setInterval(() => {
    core.alive();
    const now = p.now();
    if (counter.active) {
      if (brokenSince < 0) brokenSince = now;
      else if (now - brokenSince > STUCK_SEC) {
        core.setCondition('BEAM_STUCK', true);
        counter.reset();
      }
    } else {
      brokenSince = -1;
      if (p.digitalRead(pins.beamA.gpio) === 0 && p.digitalRead(pins.beamB.gpio) === 0) core.setCondition('BEAM_STUCK', false);
    }
    if (dirty && now - reportedAt >= 5) report();
    else if (now - reportedAt >= REPORT_SEC) report();
    if (now - savedAt >= PERSIST_SEC) persist();
  }, 1000);
  core.start();
  return core;
}

/** Entry point used by the built bundle. */
export function start(pins: VisitorPins, fw: string): void {
  expose(run(espruinoPlatform(), pins, fw));
}
