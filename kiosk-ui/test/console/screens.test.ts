import { describe, expect, it } from 'vitest';
import { parseRoute, routeHref } from '../../src/console/router.js';
import { SCREENS, screensFor } from '../../src/console/screens.js';
import { createI18n } from '../../src/lib/i18n/i18n.js';

describe('console routes', () => {
  it('parses the screen and its sub-path from the hash, and builds hrefs back', () => {
    expect(parseRoute('')).toEqual({ screen: '', rest: '' });
    expect(parseRoute('#/')).toEqual({ screen: '', rest: '' });
    expect(parseRoute('#/charging')).toEqual({ screen: 'charging', rest: '' });
    expect(parseRoute('#/technician/wizard/step-2')).toEqual({ screen: 'technician', rest: 'wizard/step-2' });
    expect(parseRoute('#/board?x=1')).toEqual({ screen: 'board', rest: 'x=1' });
    expect(routeHref('')).toBe('#/');
    expect(routeHref('users')).toBe('#/users');
    expect(routeHref('technician', 'wizard')).toBe('#/technician/wizard');
    expect(parseRoute(routeHref('technician', 'wizard'))).toEqual({ screen: 'technician', rest: 'wizard' });
  });
});

describe('console screen registry', () => {
  it('has unique, hash-safe ids and a label in Dutch and English', () => {
    const ids = SCREENS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of SCREENS) {
      expect(s.id).toMatch(/^[\w-]+$/);
      expect(s.roles.length).toBeGreaterThan(0);
      for (const lang of ['nl', 'en'] as const) expect(s.label(createI18n(lang, ['nl', 'en'])).trim()).not.toBe('');
    }
  });

  it('shows each role only its screens, and only those for this kind of gateway', () => {
    const ids = (role: Parameters<typeof screensFor>[0], gw: Parameters<typeof screensFor>[1]) => screensFor(role, gw).map((s) => s.id);
    expect(ids(null, 'point')).toEqual([]);
    expect(ids('staff', 'point')).toEqual(expect.arrayContaining(['board', 'charging', 'reports']));
    expect(ids('staff', 'point')).not.toContain('users');
    expect(ids('staff', 'point')).not.toContain('technician');
    expect(ids('technician', 'point')).toEqual(expect.arrayContaining(['board', 'charging', 'reports', 'users', 'technician']));
    expect(ids('technician', 'point')).not.toContain('coordinator');
    expect(ids('coordinator', 'coordinator')).toContain('coordinator');
    expect(ids('coordinator', 'coordinator')).not.toContain('board');
    expect(ids('staff', 'coordinator')).not.toContain('board');
  });

  it('loads every registered screen to a component', async () => {
    for (const s of SCREENS) {
      const m = await s.load();
      expect(typeof m.default, s.id).toBe('function');
    }
  });
});
