import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BomSchema, loadBom } from '../src/bom.js';
import { HARDWARE_DIR, generatedFiles } from '../src/generate.js';
import { listPinMaps, loadPinMap, PinMapError } from '../src/pins.js';
import { wiringDiagramSvg } from '../src/wiring-diagram.js';

const FIXTURES = join(HARDWARE_DIR, 'test/fixtures');

/** Checks that tags open and close in order (what a generator bug would break first). */
function balancedTags(svg: string): boolean {
  const stack: string[] = [];
  for (const m of svg.matchAll(/<(\/?)([a-zA-Z]+)[^>]*?(\/?)>/g)) {
    const [, close, name, selfClose] = m;
    if (selfClose) continue;
    if (close) {
      if (stack.pop() !== name) return false;
    } else stack.push(name ?? '');
  }
  return stack.length === 0;
}

describe('generated hardware documents', () => {
  it('BOM.md and every wiring table and diagram are up to date (run `npm run -w hardware generate`)', () => {
    const files = generatedFiles();
    expect(files.size).toBe(2 + 2 * listPinMaps().length);
    for (const [rel, content] of files) expect(readFileSync(join(HARDWARE_DIR, rel), 'utf8'), `hardware/${rel} is stale`).toBe(content);
  });

  it('each diagram is well-formed SVG showing every pin of its map', () => {
    for (const node of listPinMaps()) {
      const map = loadPinMap(node);
      const svg = wiringDiagramSvg(map);
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(balancedTags(svg), node).toBe(true);
      for (const [name, p] of Object.entries(map.pins)) {
        expect(svg).toContain(`>GPIO${p.gpio}<`);
        expect(svg).toContain(`>${name} <tspan`);
      }
    }
    expect(balancedTags('<svg><g></svg></g>')).toBe(false);
  });

  it('escapes text from the pin map', () => {
    const svg = wiringDiagramSvg({ node: 'x', board: 'ESP32', wifi: true, pins: { a: { gpio: 32, mode: 'input', wire: 'R1 <10k> & "C2"' } } });
    expect(svg).toContain('R1 &lt;10k&gt; &amp; &quot;C2&quot;');
    expect(balancedTags(svg)).toBe(true);
  });

  it('the BOM covers every part the issue names, with quantities', () => {
    const bom = loadBom();
    const parts = bom.items.map((i) => i.part).join('\n');
    for (const word of ['Raspberry Pi', 'e-Paper', 'ESP32', 'ultrasonic', 'INA226', 'beam', 'INA3221', 'MOSFET', 'RAK3172', 'antenna', 'USB hub', 'enclosure', 'generator', 'LiFePO4', 'charger']) {
      expect(parts, word).toMatch(new RegExp(word, 'i'));
    }
    expect(() => BomSchema.parse({ ...bom, items: [...bom.items, bom.items[0]] })).toThrow(/unique/);
  });
});

describe('pin-map check on a map file with deliberate conflicts', () => {
  it('fails, naming each conflict', () => {
    let problems: string[] = [];
    try {
      loadPinMap('conflicting', FIXTURES);
    } catch (err) {
      expect(err).toBeInstanceOf(PinMapError);
      problems = (err as PinMapError).problems;
    }
    expect(problems).toEqual([
      'pins.relay: GPIO21 already used by sda',
      'pins.level: GPIO26 is ADC2, unusable while Wi-Fi is on',
      'pins.buzzer: GPIO35 is input-only but used as output',
    ]);
  });
});
