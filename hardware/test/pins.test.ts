import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { listPinMaps, loadPinMap, validatePinMap, wiringDocument, wiringTable, PinMapError, PINS_DIR } from '../src/pins.js';

const base = { node: 'demo', board: 'ESP32', wifi: true };

function problemsOf(pins: Record<string, unknown>, extra: Record<string, unknown> = {}): string[] {
  try {
    validatePinMap({ ...base, ...extra, pins });
  } catch (err) {
    if (err instanceof PinMapError) return err.problems;
    throw err;
  }
  return [];
}

describe('pin maps', () => {
  it('every shipped map is valid and has a wiring table', () => {
    const nodes = listPinMaps();
    expect(nodes).toEqual(['battery', 'charger', 'fuel', 'visitors']);
    for (const node of nodes) {
      const map = loadPinMap(node);
      const table = wiringTable(map);
      for (const [name, p] of Object.entries(map.pins)) expect(table).toContain(`| GPIO${p.gpio} | ${name} |`);
    }
  });

  it('hardware/pins/WIRING.md is the generated document (regenerate: npx noodsteun firmware wiring --all)', () => {
    expect(readFileSync(join(PINS_DIR, 'WIRING.md'), 'utf8')).toBe(wiringDocument());
  });

  it('rejects the same pin twice', () => {
    const p = problemsOf({ a: { gpio: 32, mode: 'input', wire: 'x' }, b: { gpio: 32, mode: 'input', wire: 'y' } });
    expect(p).toEqual(['pins.b: GPIO32 already used by a']);
  });

  it('rejects an ADC2 pin while Wi-Fi is on, accepts it with Wi-Fi off', () => {
    const pins = { s: { gpio: 25, mode: 'adc', wire: 'x' } };
    expect(problemsOf(pins)).toEqual(['pins.s: GPIO25 is ADC2, unusable while Wi-Fi is on']);
    expect(problemsOf(pins, { wifi: false })).toEqual([]);
  });

  it('rejects an input-only pin used as output or with a pull', () => {
    expect(problemsOf({ o: { gpio: 34, mode: 'output', wire: 'x' } })).toEqual(['pins.o: GPIO34 is input-only but used as output']);
    expect(problemsOf({ i: { gpio: 39, mode: 'input', pull: 'up', wire: 'x' } })).toEqual(['pins.i: GPIO39 has no internal pull resistor']);
  });

  it('rejects flash pins, the USB UART, missing GPIOs and missing wiring notes', () => {
    expect(problemsOf({ f: { gpio: 6, mode: 'input', wire: 'x' } })).toEqual(['pins.f: GPIO6 is wired to the SPI flash']);
    expect(problemsOf({ u: { gpio: 1, mode: 'output', wire: 'x' } })).toEqual(['pins.u: GPIO1 carries the USB serial link']);
    expect(problemsOf({ n: { gpio: 24, mode: 'input', wire: 'x' } })).toEqual(['pins.n.gpio: 24 is not an ESP32 GPIO']);
    expect(problemsOf({ w: { gpio: 32, mode: 'input', wire: '' } })).toEqual(['pins.w.wire: describe what the pin connects to']);
  });
});
