// Suite `firmware`: size of the node bundles and an estimate of the JsVars each node needs at run
// time on Espruino. See bench/README.md `## firmware`.
import { readFileSync } from 'node:fs';
import { ManualClock } from '../../edge-gateway/src/core/clock.js';
import { FakeINA226 } from '../../firmware/host/devices/ina226.js';
import { FakeINA3221 } from '../../firmware/host/devices/ina3221.js';
import { EspruinoHost } from '../../firmware/host/runtime.js';
import { a02Frame } from '../../firmware/src/drivers/a02yyuw/a02yyuw.js';
import { buildFirmware } from '../../firmware/tools/build.js';
import { loadPinMap } from '../../hardware/src/pins.js';

type Figure = { value: number; unit: string };

/** Virtual time each node runs with nobody acknowledging: its ring fills to capacity. */
const RUN_MS = 30 * 60_000;

/** The world each node sees while it runs (sensors that produce data, so every path allocates). */
function wire(node: string, host: EspruinoHost, clock: ManualClock): () => void {
  const pins = loadPinMap(node).pins;
  switch (node) {
    case 'battery': {
      const chip = new FakeINA226(0.00075);
      chip.amps = -12;
      host.i2c.attach(0x40, chip);
      return () => undefined;
    }
    case 'charger': {
      const chips = [new FakeINA3221(0.05), new FakeINA3221(0.05)];
      chips[0]!.milliamps.fill(1200);
      host.i2c.attach(0x40, chips[0]!);
      host.i2c.attach(0x41, chips[1]!);
      return () => undefined;
    }
    case 'fuel':
      return () => host.serial2.inject(a02Frame(300 + Math.round(20 * Math.sin(clock.now() / 700))));
    case 'visitors': {
      const a = pins.beamA!.gpio;
      const b = pins.beamB!.gpio;
      host.pins.setInput(a, false);
      host.pins.setInput(b, false);
      let step = 0;
      return () => {
        // One person every 10 s.
        const phase = step++ % 50;
        if (phase === 0) host.pins.setInput(a, true);
        if (phase === 1) host.pins.setInput(b, true);
        if (phase === 2) host.pins.setInput(a, false);
        if (phase === 3) host.pins.setInput(b, false);
      };
    }
    default:
      return () => undefined;
  }
}

export default async function run(): Promise<Record<string, Figure>> {
  const started = Date.now();
  const built = await buildFirmware();
  const buildMs = Date.now() - started;
  const out: Record<string, Figure> = {};
  let bytesMax = 0;
  let varsMax = 0;
  for (const b of built) {
    const clock = new ManualClock(0);
    const host = new EspruinoHost({ clock });
    const feed = wire(b.node, host, clock);
    host.load(readFileSync(b.file, 'utf8'));
    let peak = host.jsVarsInUse();
    for (let t = 0; t < RUN_MS; t += 200) {
      feed();
      clock.advance(200);
      if (t % 10_000 === 0) peak = Math.max(peak, host.jsVarsInUse());
    }
    if (host.errors.length > 0) throw new Error(`${b.node} threw: ${String(host.errors[0])}`);
    const ring = host.evaluate('node.uplink.ring.items.length') as number;
    const capacity = host.evaluate('node.uplink.ring.capacity') as number;
    if (ring !== capacity) throw new Error(`${b.node}: ring not full (${ring}/${capacity}), the estimate would be low`);
    host.shutdown();
    out[`bundle_bytes_${b.node}`] = { value: b.bytes, unit: 'bytes' };
    out[`jsvars_est_${b.node}`] = { value: peak, unit: 'JsVars' };
    bytesMax = Math.max(bytesMax, b.bytes);
    varsMax = Math.max(varsMax, peak);
  }
  return {
    bundle_bytes_max: { value: bytesMax, unit: 'bytes' },
    jsvars_est_max: { value: varsMax, unit: 'JsVars' },
    build_ms: { value: buildMs, unit: 'ms' },
    ...out,
  };
}
