import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/lib/i18n/i18n.js';
import { nodeValues, pointBattery, pointCharging, pointFuel } from '../../src/console/values.js';
import { parseRoute, routeHref } from '../../src/console/router.js';
import { SCREENS } from '../../src/console/screens.js';
import { pointsFixture, statusFixture } from '../../mock/fixtures.js';

const en = createI18n('en');

describe('console raw values', () => {
  it('shows exact values with units for each node kind', () => {
    const r = statusFixture(0).readings;
    expect(nodeValues(en, 'fuel', r)).toEqual(['61.5 L', '41 %', 'status=ok', 'refuelling=false']);
    expect(nodeValues(en, 'battery', r)).toEqual(['25.60 V', '-3.2 A', 'SoC 78 %', 'status=ok']);
    expect(nodeValues(en, 'vedirect', r)).toEqual(nodeValues(en, 'battery', r));
    expect(nodeValues(en, 'visitors', r)).toEqual(['in 143', 'out 121', 'inside 22']);
    expect(nodeValues(en, 'charger', r)).toEqual(['#0 on 1,830 mA', '#1 off 0 mA', '#2 off Unknown fault=sensor', 'failsafe=false']);
  });

  it('says unknown for missing readings, in the reader\'s language', () => {
    const none = { fuel: null, battery: null, visitors: null, charger: null };
    expect(nodeValues(createI18n('nl'), 'fuel', none)).toEqual(['Onbekend']);
    expect(nodeValues(en, 'charger', none)).toEqual(['Unknown']);
  });

  it('summarises a point status for the coordinator', () => {
    const [linde, kerk, school, tent] = pointsFixture(0).points;
    expect(pointFuel(en, linde!.status)).toBe('41 % · 61.5 L');
    expect(pointBattery(en, kerk!.status)).toBe('35 % · 24.10 V · -8.5 A');
    expect(pointFuel(en, school!.status)).toBe('Unknown · Unknown (fault)');
    expect(pointBattery(en, school!.status)).toBe('Unknown');
    expect(pointCharging(en, linde!.status)).toBe('2/8 · 18 W');
    expect(pointFuel(en, tent!.status)).toBe('Unknown');
  });
});

describe('console routes', () => {
  // the router names a screen of the registry (screens.ts) and its sub-path; '' is the start page, which
  // App also shows for an id no registered screen has
  it('parses hashes, defaulting to the start page', () => {
    expect(parseRoute('#/technician').screen).toBe('technician');
    expect(parseRoute('#/coordinator?x=1').screen).toBe('coordinator');
    expect(parseRoute('').screen).toBe('');
    expect(SCREENS.some((s) => s.id === parseRoute('#/nope').screen)).toBe(false);
    expect(routeHref('')).toBe('#/');
    expect(parseRoute(routeHref('coordinator')).screen).toBe('coordinator');
  });
});
