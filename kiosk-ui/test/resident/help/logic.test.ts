// View logic of the citizen-help and directory screens: routes, form → API input, the at-a-glance rows, the
// sketch map's projection and scale, distances.
import { describe, expect, it } from 'vitest';
import { parseHelpRoute, helpHref, HELP_SCREENS } from '../../../src/resident/help/route.js';
import { formToHelpInput } from '../../../src/resident/help/input.js';
import { glanceRows, glanceTotals } from '../../../src/resident/help/glance.js';
import { formatDistance, layoutMap, offsetM } from '../../../src/resident/directory/geo.js';
import { groupCode, normalizeCode, HELP_CATEGORIES, type Counts, type HelpSummary } from '../../../src/lib/api/help.js';

const zero: Counts = { open: 0, matched: 0, inProgress: 0, done: 0 };
function summary(over: Partial<Record<string, { requests?: Partial<Counts>; offers?: Partial<Counts> }>>): HelpSummary {
  const categories = HELP_CATEGORIES.map((category) => ({
    category,
    requests: { ...zero, ...over[category]?.requests },
    offers: { ...zero, ...over[category]?.offers },
  }));
  const sum = (k: 'requests' | 'offers') =>
    categories.reduce((a, c) => ({ open: a.open + c[k].open, matched: a.matched + c[k].matched, inProgress: a.inProgress + c[k].inProgress, done: a.done + c[k].done }), { ...zero });
  return { at: 0, categories, totals: { requests: sum('requests'), offers: sum('offers') }, mostNeeded: [] };
}

describe('help routes', () => {
  it('parses every screen from its own link and nothing else', () => {
    for (const s of HELP_SCREENS) expect(parseHelpRoute(helpHref(s))).toBe(s);
    expect(parseHelpRoute('#/help/')).toBe('help');
    expect(parseHelpRoute('#/help/offer?x=1')).toBe('offer');
    for (const h of ['', '#', '#/', '#/helpdesk', '#/help/other', '#/technician', '#/placesx']) expect(parseHelpRoute(h), h).toBeNull();
  });
});

describe('withdraw codes', () => {
  it('accepts any case, spaces and dashes, and shows the code in two groups', () => {
    expect(normalizeCode(' k7m-3qx ')).toBe('K7M3QX');
    expect(normalizeCode('K7M 3QX')).toBe('K7M3QX');
    expect(groupCode('K7M3QX')).toBe('K7M 3QX');
    expect(groupCode('ABC')).toBe('ABC');
  });
});

describe('formToHelpInput', () => {
  it('builds an offer with transport and an "ask at the point" contact', () => {
    expect(formToHelpInput('offer', { category: 'food', what: ' koken voor 30 ', transport: 'yes', when: 'ochtend', where: 'Dorpsstraat', contact: 'at-point', note: 'Anna' })).toEqual({
      category: 'food',
      what: 'koken voor 30',
      transport: true,
      when: 'ochtend',
      where: 'Dorpsstraat',
      contact: { method: 'at-point', note: 'Anna' },
    });
    expect(formToHelpInput('offer', { category: 'care', what: 'oppas' })?.transport).toBe(false);
  });

  it('builds a request with urgency and people; an empty people field is "unknown"', () => {
    expect(formToHelpInput('request', { category: 'care', what: 'boodschappen', urgency: 'high', people: '2', contact: 'address', note: 'nr 12' })).toEqual({
      category: 'care',
      what: 'boodschappen',
      where: '',
      urgency: 'high',
      people: 2,
      contact: { method: 'address', note: 'nr 12' },
    });
    expect(formToHelpInput('request', { category: 'care', what: 'boodschappen', urgency: 'low', people: ' ' })?.people).toBeNull();
  });

  it('refuses what the gateway would refuse: no category, short text, address without a note, bad people, no urgency', () => {
    expect(formToHelpInput('offer', { what: 'koken' })).toBeNull();
    expect(formToHelpInput('offer', { category: 'nonsense', what: 'koken' })).toBeNull();
    expect(formToHelpInput('offer', { category: 'food', what: 'ab' })).toBeNull();
    expect(formToHelpInput('offer', { category: 'food', what: 'koken', contact: 'address', note: '  ' })).toBeNull();
    expect(formToHelpInput('request', { category: 'food', what: 'eten', people: '2' })).toBeNull();
    expect(formToHelpInput('request', { category: 'food', what: 'eten', urgency: 'high', people: '0' })).toBeNull();
    expect(formToHelpInput('request', { category: 'food', what: 'eten', urgency: 'high', people: '1.5' })).toBeNull();
  });
});

describe('at a glance', () => {
  it('lists only categories with activity, most open requests first, and flags where requests outnumber offers', () => {
    const s = summary({
      food: { requests: { open: 1 }, offers: { open: 3 } },
      water: { requests: { open: 4, matched: 1 }, offers: { open: 1, matched: 1 } },
      care: { requests: { done: 2 }, offers: { done: 2 } },
    });
    const rows = glanceRows(s);
    expect(rows.map((r) => r.category)).toEqual(['water', 'food', 'care']);
    expect(rows[0]).toEqual({ category: 'water', requests: 4, offers: 1, busy: 2, done: 0, short: true });
    expect(rows[1]!.short).toBe(false);
    expect(rows[2]).toMatchObject({ requests: 0, offers: 0, done: 4, short: false });
    expect(glanceTotals(s)).toEqual({ requests: 5, offers: 4, busy: 1, done: 2 });
  });

  it('is empty when nothing was registered', () => {
    expect(glanceRows(summary({}))).toEqual([]);
  });
});

describe('sketch map', () => {
  const origin = { lat: 52.0, lon: 5.0 };
  it('puts the point in the middle, north up and east right, every mark inside the frame', () => {
    const north = { lat: 52.01, lon: 5.0 };
    const east = { lat: 52.0, lon: 5.01 };
    const sw = { lat: 51.995, lon: 4.995 };
    const map = layoutMap(origin, [north, east, sw], 320, 28);
    expect(map.centre).toEqual({ x: 160, y: 160 });
    const [n, e, s] = map.marks;
    expect(n!.x).toBeCloseTo(160, 1);
    expect(n!.y).toBeLessThan(160);
    expect(e!.x).toBeGreaterThan(160);
    expect(e!.y).toBeCloseTo(160, 1);
    expect(s!.x).toBeLessThan(160);
    expect(s!.y).toBeGreaterThan(160);
    for (const m of map.marks) {
      expect(m.x).toBeGreaterThanOrEqual(28);
      expect(m.x).toBeLessThanOrEqual(292);
      expect(m.y).toBeGreaterThanOrEqual(28);
      expect(m.y).toBeLessThanOrEqual(292);
    }
    // the farthest place (1.11 km north) sets the scale: it sits on the inner edge
    expect(n!.y).toBeCloseTo(28, 0);
    expect(map.marks.map((m) => m.n)).toEqual([1, 2, 3]);
  });

  it('keeps east-west distances true at this latitude (cos φ)', () => {
    const o = offsetM(origin, { lat: 52.0, lon: 5.01 });
    expect(o.e).toBeCloseTo(685.4, 0); // 0.01° × 111,320 m × cos 52°
    expect(o.n).toBe(0);
  });

  it('chooses a round scale bar no longer than a third of the map that matches the projection', () => {
    const map = layoutMap(origin, [{ lat: 52.01, lon: 5.0 }], 320, 28);
    const pxPerM = (160 - 28) / 1113.2;
    expect(map.scale!.metres).toBe(500);
    expect(map.scale!.px).toBeCloseTo(500 * pxPerM, 0);
    expect(map.scale!.px).toBeLessThanOrEqual(320 / 3);
  });

  it('without the point\'s location it centres on the places and draws no "here"', () => {
    const map = layoutMap(null, [origin, { lat: 52.01, lon: 5.01 }]);
    expect(map.centre).toBeNull();
    expect(map.marks[0]!.x + map.marks[1]!.x).toBeCloseTo(320, 0);
    expect(layoutMap(null, []).marks).toEqual([]);
  });

  it('formats distances in metres below 1 km and km above, in the reader\'s number format', () => {
    expect(formatDistance(843, 'nl-NL')).toBe('840 m');
    expect(formatDistance(1234, 'nl-NL')).toBe('1,2 km');
    expect(formatDistance(1234, 'en-GB')).toBe('1.2 km');
    expect(formatDistance(2000, 'ar-u-nu-latn')).toBe('2 km');
  });
});
