import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import { EXAMPLE_POWER_CONFIG, PowerConfigError, loadPowerConfig, parsePowerConfig, toPowerSystem } from '../src/power-config.js';
import { criticalLoad } from '../src/power-model.js';

const example = JSON.parse(readFileSync(EXAMPLE_POWER_CONFIG, 'utf8')) as Record<string, unknown>;

describe('power budget config', () => {
  it('the example config is valid and resolves the generator rating', () => {
    const c = loadPowerConfig();
    const s = toPowerSystem(c);
    expect(s.generator.ratedW).toBe(4800);
    expect(criticalLoad(s.loads).totalW).toBeCloseTo(72.3, 9);
  });

  it('reports every problem with its path', () => {
    const bad = {
      ...example,
      tank: { capacityL: 10, fuelL: 20, reserveL: 1 },
      battery: { ...(example.battery as object), soc: 1.5 },
      extra: true,
    };
    let message = '';
    try {
      parsePowerConfig(bad);
    } catch (err) {
      expect(err).toBeInstanceOf(PowerConfigError);
      message = (err as Error).message;
    }
    expect(message).toMatch(/tank: fuelL cannot exceed capacityL/);
    expect(message).toMatch(/battery\.soc/);
    expect(message).toMatch(/extra/);
  });

  it('rejects an inverted fuel curve and an unknown load category', () => {
    const gen = example.generator as Record<string, unknown>;
    expect(() => parsePowerConfig({ ...example, generator: { ...gen, fuelCurve: { idleLph: 2, fullLoadLph: 1 } } })).toThrow(/fullLoadLph must exceed idleLph/);
    const loads = [{ id: 'x', category: 'heater', label: 'x', watts: 1 }];
    expect(() => parsePowerConfig({ ...example, loads })).toThrow(/loads\.0\.category/);
  });

  it('a missing file is a PowerConfigError naming the file', () => {
    expect(() => loadPowerConfig('/nonexistent/power.json')).toThrow(/cannot read \/nonexistent\/power\.json/);
  });
});
