import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { checkEspruinoSubset } from '../../tools/espruino-subset.js';
import { DIST, listNodes } from '../../tools/paths.js';
import { ensureBundles } from '../helpers/bundles.js';

describe('built bundles', () => {
  beforeAll(async () => {
    await ensureBundles();
  }, 120_000);

  it('there is one bundle per node', () => {
    const files = readdirSync(DIST).filter((f) => f.endsWith('.js')).sort();
    expect(files).toEqual(listNodes().map((n) => `${n}.js`));
    expect(files.length).toBeGreaterThan(0);
  });

  it('every bundle in firmware/dist uses only what Espruino runs', () => {
    for (const f of readdirSync(DIST).filter((x) => x.endsWith('.js'))) {
      const code = readFileSync(join(DIST, f), 'utf8');
      expect({ file: f, violations: checkEspruinoSubset(code) }).toEqual({ file: f, violations: [] });
      // Every module the bundle requires is either inlined or built into Espruino's ESP32 firmware.
      expect(code).toMatch(/^Modules\.addCached\("/);
      expect(code).not.toMatch(/require\("\.{1,2}\//);
    }
  });
});
