import { describe, it, expect } from 'vitest';
import { HostStorage } from '../../host/storage.js';
import { Config, nextBoot } from '../../src/core/config.js';

describe('Config', () => {
  it('starts from defaults, overlays what Storage holds, ignores unknown or mistyped keys there', () => {
    const s = new HostStorage();
    s.writeJSON('ns.cfg', { id: 'tank-2', hbSec: 'x', bogus: 1 });
    const c = new Config(s, { id: 'fuel', hbSec: 30 });
    expect(c.values).toEqual({ id: 'tank-2', hbSec: 30 });
  });

  it('applies a set atomically: one bad key rejects all of it', () => {
    const s = new HostStorage();
    const c = new Config(s, { id: 'fuel', hbSec: 30, emptyMm: 1200 });
    expect(c.apply({ hbSec: 60, nope: 1 })).toBe('nope');
    expect(c.values.hbSec).toBe(30);
    expect(c.apply({ hbSec: 60, emptyMm: 1180 })).toBeNull();
    expect(s.readJSON('ns.cfg')).toEqual({ hbSec: 60, emptyMm: 1180 });
  });

  it('boot counter increments across boots', () => {
    const s = new HostStorage();
    expect([nextBoot(s), nextBoot(s), nextBoot(s)]).toEqual([1, 2, 3]);
    s.write('ns.boot', 'garbage');
    expect(nextBoot(s)).toBe(1);
  });
});
