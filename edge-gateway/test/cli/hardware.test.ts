import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/main.js';
import { EXAMPLE_POWER_CONFIG } from '../../../hardware/src/power-config.js';

let out = '';
let err = '';
beforeEach(() => {
  out = '';
  err = '';
  vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => ((out += String(chunk)), true));
  vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => ((err += String(chunk)), true));
});
afterEach(() => vi.restoreAllMocks());

const dir = mkdtempSync(join(tmpdir(), 'noodsteun-power-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('noodsteun hardware power-budget', () => {
  it('prints the critical load, charging headroom and runtimes of the example config', async () => {
    expect(await main(['hardware', 'power-budget'])).toBe(0);
    expect(out).toMatch(/total\s+72\.3 W/);
    expect(out).toMatch(/generator running\s+48\.0 W = 4 ports \(limited by ports\)/);
    expect(out).toMatch(/bus supply while it runs\s+420\.0 W \(limited by the charger\)/);
    expect(out).toMatch(/generator off\s+0\.0 W = 0 ports \(limited by battery-policy\)/);
    expect(out).toMatch(/total until the lights go out\s+139\.5 h/);
    expect(out).toMatch(/fuel use averaged over a cycle\s+0\.091 L\/h/);
  });

  it('--json gives the same figures, and a changed config changes them', async () => {
    expect(await main(['hardware', 'power-budget', '--json'])).toBe(0);
    const base = JSON.parse(out) as { critical: { totalW: number }; continuous: { totalH: number } };
    expect(base.critical.totalW).toBeCloseTo(72.3, 9);
    const cfg = JSON.parse(readFileSync(EXAMPLE_POWER_CONFIG, 'utf8')) as { tank: { fuelL: number } };
    cfg.tank.fuelL = 3; // only the reserve left: the battery alone
    const file = join(dir, 'empty-tank.json');
    writeFileSync(file, JSON.stringify(cfg));
    out = '';
    expect(await main(['hardware', 'power-budget', '--json', '--config', file])).toBe(0);
    const empty = JSON.parse(out) as { continuous: { fuelH: number; totalH: number } };
    expect(empty.continuous.fuelH).toBe(0);
    expect(empty.continuous.totalH).toBeCloseTo(2048 / 72.3, 6);
    expect(empty.continuous.totalH).toBeLessThan(base.continuous.totalH);
  });

  it('answers --help and rejects a bad config or sub-command', async () => {
    expect(await main(['hardware', 'power-budget', '--help'])).toBe(0);
    expect(out).toContain('power-budget [--config <file>]');
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, JSON.stringify({ name: 'x' }));
    expect(await main(['hardware', 'power-budget', '--config', bad])).toBe(1);
    expect(err).toMatch(/loads/);
    expect(await main(['hardware', 'frobnicate'])).toBe(2);
  });
});
