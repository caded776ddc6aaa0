// The staff help screen's logic: which buttons an entry gets (the gateway's transitions), the order of the
// lists, which offers fit a request, and the directory editor's form → PlaceInput.
import { describe, expect, it } from 'vitest';
import type { HelpEntry, HelpState } from '../../../src/lib/api/help.js';
import { EMPTY_PLACE, actionsFor, formFromPlace, offersFor, placeFromForm, sortEntries } from '../../../src/console/routes/help/staff-logic.js';

let n = 0;
function entry(over: Partial<HelpEntry>): HelpEntry {
  n++;
  return {
    id: `e${n}`,
    kind: 'request',
    category: 'food',
    status: 'open',
    origin: 'resident',
    transport: false,
    urgency: 'normal',
    people: null,
    personal: { what: 'x', where: '', when: '', contact: { method: 'at-point', note: '' } },
    matchedWith: null,
    escalation: null,
    createdAt: n * 1000,
    updatedAt: n * 1000,
    expiresAt: n * 1000 + 72 * 3_600_000,
    purgedAt: null,
    ...over,
  };
}

describe('actionsFor', () => {
  it('offers exactly the transitions the gateway allows', () => {
    const of = (kind: 'offer' | 'request', status: HelpState) => actionsFor(entry({ kind, status }));
    expect(of('request', 'open')).toEqual(['in-progress', 'done', 'withdrawn', 'escalate']);
    expect(of('request', 'matched')).toEqual(['in-progress', 'done', 'open', 'withdrawn', 'escalate']);
    expect(of('request', 'in-progress')).toEqual(['done', 'open', 'withdrawn']);
    expect(of('offer', 'open')).toEqual(['in-progress', 'done', 'withdrawn']);
    for (const s of ['done', 'withdrawn', 'expired'] as const) expect(of('request', s)).toEqual([]);
  });

  it('escalates a request only once', () => {
    expect(actionsFor(entry({ escalation: { reportId: 'r1', at: 1 } }))).not.toContain('escalate');
  });
});

describe('sortEntries and offersFor', () => {
  it('puts urgent requests first, then older ones; finished entries last', () => {
    const low = entry({ urgency: 'low' });
    const urgent = entry({ urgency: 'urgent' });
    const doneUrgent = entry({ urgency: 'urgent', status: 'done' });
    const normalOld = entry({ urgency: 'normal', createdAt: 0 });
    const offer = entry({ kind: 'offer', urgency: null });
    const { requests, offers } = sortEntries([low, doneUrgent, offer, urgent, normalOld]);
    expect(requests.map((e) => e.id)).toEqual([urgent.id, normalOld.id, low.id, doneUrgent.id]);
    expect(offers).toEqual([offer]);
  });

  it('lists open offers for an open request, the same category (or transport for transport) first', () => {
    const req = entry({ category: 'transport' });
    const food = entry({ kind: 'offer', category: 'food' });
    const car = entry({ kind: 'offer', category: 'other', transport: true });
    const van = entry({ kind: 'offer', category: 'transport' });
    const taken = entry({ kind: 'offer', category: 'transport', status: 'matched' });
    expect(offersFor(req, [food, car, van, taken, req]).map((e) => e.id)).toEqual([car.id, van.id, food.id]);
    expect(offersFor(entry({ status: 'matched' }), [food])).toEqual([]);
    expect(offersFor(food, [van])).toEqual([]);
  });
});

describe('directory editor form', () => {
  it('turns the fields into a PlaceInput (decimal comma accepted, services in the gateway\'s order)', () => {
    expect(
      placeFromForm({ ...EMPTY_PLACE, name: ' Sporthal ', lat: '52,0921', lon: '5.1189', services: ['toilets', 'shelter'], hours: ' dag en nacht ', status: 'open' }),
    ).toEqual({ kind: 'shelter', name: 'Sporthal', address: '', lat: 52.0921, lon: 5.1189, services: ['shelter', 'toilets'], status: 'open', hours: 'dag en nacht', note: '' });
  });

  it('keeps the id of an edited place and round-trips a place', () => {
    const place = { id: 'tap', kind: 'water' as const, name: 'Tap', address: 'Markt', lat: 52.09, lon: 5.12, services: ['water' as const], status: 'closed' as const, hours: '', note: 'na 18 uur', source: 'local' as const, seenAt: null, updatedAt: 0 };
    const { source: _s, seenAt: _a, updatedAt: _u, ...input } = place;
    expect(placeFromForm(formFromPlace(place))).toEqual(input);
  });

  it('refuses an empty name or a position out of range', () => {
    expect(placeFromForm({ ...EMPTY_PLACE, lat: '52', lon: '5' })).toBeNull();
    expect(placeFromForm({ ...EMPTY_PLACE, name: 'x', lat: '', lon: '5' })).toBeNull();
    expect(placeFromForm({ ...EMPTY_PLACE, name: 'x', lat: '91', lon: '5' })).toBeNull();
    expect(placeFromForm({ ...EMPTY_PLACE, name: 'x', lat: '52', lon: 'oost' })).toBeNull();
    expect(placeFromForm({ ...EMPTY_PLACE, name: 'x', lat: '52', lon: '5', kind: 'castle' })).toBeNull();
  });
});
