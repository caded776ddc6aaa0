// The citizen-help and directory screens rendered to HTML: what a resident sees for a given state.
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../src/lib/i18n/i18n.js';
import { helpStrings } from '../../../src/lib/i18n/tables/help.js';
import { translate } from '../../../src/resident/help/texts.js';
import { HelpForm, HelpHub, RegisteredView, WithdrawScreen, type FormView } from '../../../src/resident/help/views.js';
import { DirectoryScreen } from '../../../src/resident/directory/DirectoryScreen.js';
import { HelpLinks } from '../../../src/resident/help/HelpLinks.js';
import { HELP_CATEGORIES, type Directory, type DirectoryPlace, type HelpSummary } from '../../../src/lib/api/help.js';

const nl = createI18n('nl');
const tNl = translate(helpStrings.nl);
const zero = { open: 0, matched: 0, inProgress: 0, done: 0 };
const summary: HelpSummary = {
  at: Date.UTC(2026, 10, 27, 20, 30),
  categories: HELP_CATEGORIES.map((category) => ({
    category,
    requests: category === 'water' ? { ...zero, open: 3 } : category === 'food' ? { ...zero, open: 1, matched: 1 } : zero,
    offers: category === 'food' ? { ...zero, open: 2, matched: 1 } : zero,
  })),
  totals: { requests: { ...zero, open: 4, matched: 1 }, offers: { ...zero, open: 2, matched: 1 } },
  mostNeeded: [
    { category: 'water', score: 24, openRequests: 3, people: 7 },
    { category: 'food', score: 2, openRequests: 1, people: 1 },
  ],
};
const form: FormView = { phase: 'form', values: {}, error: null, busy: false };

describe('help overview', () => {
  it('shows what is most needed now, the counts per category and the four ways on', () => {
    const html = renderToString(h(HelpHub, { i18n: nl, t: tNl, summary, failed: false }));
    expect(html).toContain('data-most-needed="water food"');
    expect(html).toMatch(/<strong>Drinkwater<\/strong><span>Open vragen: 3 · Aantal mensen: 7<\/span>/);
    expect(html).toMatch(/data-category="water" data-requests="3" data-offers="0">.*Meer aanbod nodig/);
    expect(html).toMatch(/data-stat="requests"><dt>Open vragen<\/dt><dd>4<\/dd>/);
    expect(html).toMatch(/data-stat="busy"><dt>Wordt aan gewerkt<\/dt><dd>1<\/dd>/);
    for (const a of ['offer', 'request', 'withdraw', 'places']) expect(html).toContain(`data-action="${a}"`);
    expect(html).toContain('nooit namen of adressen');
  });

  it('says so while loading and when the point does not answer', () => {
    expect(renderToString(h(HelpHub, { i18n: nl, t: tNl, summary: null, failed: false }))).toContain('ns-loading');
    expect(renderToString(h(HelpHub, { i18n: nl, t: tNl, summary: null, failed: true }))).toContain('Het punt geeft geen antwoord');
  });

  it('links from the start page in the reader\'s language', () => {
    const html = renderToString(h(HelpLinks, { i18n: createI18n('tr') }));
    expect(html).toContain('href="/?lang=tr#/help"');
    expect(html).toContain('Komşu yardımı: yardım isteyin veya önerin');
  });
});

describe('offer and request forms', () => {
  it('asks for the offer with minimal fields, no name or phone, and a privacy statement with the retention', () => {
    const html = renderToString(h(HelpForm, { i18n: nl, t: tNl, kind: 'offer', view: form, retention: { entryHours: 72, personalDays: 30 } }));
    expect(html.match(/type="radio" name="category"/g)).toHaveLength(8);
    expect(html).toContain('name="transport"');
    for (const f of ['what', 'when', 'where', 'note']) expect(html).toContain(`for="h-${f}"`);
    expect(html).not.toMatch(/name="(name|phone|tel|email)"/);
    expect(html).toContain('Na 72 uur vervalt uw vraag of aanbod. Na 30 dagen wissen we uw tekst, de plek en uw adres.');
    expect(html).toContain('Geen naam en geen telefoonnummer');
    expect(html).toMatch(/type="checkbox" name="consent" value="yes" required/);
    // "ask at the point" is the default contact, so the note is optional until "address" is chosen
    expect(html).toMatch(/name="contact" value="at-point" required checked/);
    expect(html).not.toMatch(/id="h-note"[^>]*required/);
  });

  it('asks a request for urgency and people, points to the emergency report, and keeps entered values on an error', () => {
    const view: FormView = { phase: 'form', values: { category: 'care', what: 'boodschappen', urgency: 'high', contact: 'address', note: 'nr 12' }, error: 'rate', busy: false };
    const html = renderToString(h(HelpForm, { i18n: nl, t: tNl, kind: 'request', view, retention: null }));
    expect(html.match(/type="radio" name="urgency"/g)).toHaveLength(4);
    expect(html).toContain('href="/report/emergency?lang=nl"');
    expect(html).toContain('role="alert"');
    expect(html).toContain('U hebt net al iets gestuurd');
    expect(html).toMatch(/value="care" required checked/);
    expect(html).toMatch(/value="high" required checked/);
    expect(html).toMatch(/id="h-note"[^>]*required/);
    expect(html).toContain('data-retention="unknown"');
  });

  it('shows the withdraw code once, in two groups, with when it expires', () => {
    const registered = { id: 'e1', code: 'K7M3QX', kind: 'offer' as const, category: 'food' as const, status: 'open' as const, createdAt: 0, expiresAt: Date.UTC(2026, 10, 30, 9, 0) };
    const html = renderToString(h(RegisteredView, { i18n: createI18n('en'), t: translate(helpStrings.en), registered }));
    expect(html).toContain('data-code="K7M3QX"');
    expect(html).toContain('K7M 3QX');
    expect(html).toContain('We show the code only once');
    expect(html).toMatch(/it expires on Monday 30 November/);
  });
});

describe('withdraw', () => {
  const entry = { id: 'e1', kind: 'request' as const, category: 'water' as const, status: 'matched' as const, createdAt: 0, expiresAt: 0 };
  it('asks for the code, then shows what it found and offers to withdraw it', () => {
    const ask = renderToString(h(WithdrawScreen, { i18n: nl, t: tNl, view: { phase: 'code', code: '', error: 'not-found', busy: false } }));
    expect(ask).toContain('for="h-code"');
    expect(ask).toContain('We vinden niets met deze code');
    const found = renderToString(h(WithdrawScreen, { i18n: nl, t: tNl, view: { phase: 'found', code: 'K7M3QX', entry, busy: false, error: null } }));
    expect(found).toContain('Gevonden: uw hulpvraag.');
    expect(found).toMatch(/<dd>Drinkwater<\/dd>.*<dd>Er is iemand gevonden<\/dd>/);
    expect(found).toContain('Ja, intrekken');
  });

  it('does not offer to withdraw what is already finished, and confirms a withdrawal', () => {
    const done = renderToString(h(WithdrawScreen, { i18n: nl, t: tNl, view: { phase: 'found', code: 'X', entry: { ...entry, status: 'done' }, busy: false, error: null } }));
    expect(done).not.toContain('Ja, intrekken');
    expect(done).toContain('Dit is al afgerond');
    const gone = renderToString(h(WithdrawScreen, { i18n: nl, t: tNl, view: { phase: 'done', entry: { ...entry, status: 'withdrawn' } } }));
    expect(gone).toContain('Ingetrokken. Het staat niet meer op de lijst.');
  });
});

describe('directory', () => {
  const place = (over: Partial<DirectoryPlace>): DirectoryPlace => ({
    id: 'x',
    kind: 'shelter',
    name: 'X',
    address: '',
    lat: 52,
    lon: 5,
    services: [],
    status: 'unknown',
    hours: '',
    note: '',
    source: 'local',
    seenAt: null,
    updatedAt: 0,
    distanceM: null,
    walkMinutes: null,
    ...over,
  });
  const dir: Directory = {
    origin: { lat: 52.0, lon: 5.0 },
    updatedAt: Date.UTC(2026, 10, 27, 20, 0),
    places: [
      place({ id: 'sporthal', name: 'Sporthal De Wissel', kind: 'shelter', status: 'open', lat: 52.004, lon: 5.002, distanceM: 470, walkMinutes: 6, services: ['shelter', 'toilets'], hours: '24 uur' }),
      place({ id: 'kerk', name: 'Noodsteunpunt Kerk', kind: 'point', status: 'closed', lat: 51.99, lon: 5.01, distanceM: 1320, walkMinutes: 16, source: 'coordinator', seenAt: Date.UTC(2026, 10, 27, 19, 45) }),
      place({ id: 'tap', name: 'Watertap', kind: 'water', status: 'limited', lat: 52.001, lon: 4.99, distanceM: null, walkMinutes: null }),
    ],
  };

  it('lists each place numbered, with kind, status in words, walking distance and services', () => {
    const html = renderToString(h(DirectoryScreen, { i18n: nl, t: tNl, directory: dir, failed: false }));
    expect(html.match(/class="nd-place"/g)).toHaveLength(3);
    expect(html).toMatch(/data-place="sporthal" data-status="open">.*>1<\/span>.*Sporthal De Wissel.*Opvang.*Open.*Tijden: <bdi>24 uur.*470 m, 6 min lopen.*Opvang en warmte, Wc/);
    expect(html).toMatch(/data-place="kerk".*Noodsteunpunt.*Dicht.*1,3 km, 16 min lopen.*Laatste bericht/);
    expect(html).toMatch(/data-place="tap".*Beperkt open.*Afstand onbekend/);
  });

  it('draws the sketch map: the point, one numbered mark per place, north and a scale, labelled for screen readers', () => {
    const html = renderToString(h(DirectoryScreen, { i18n: nl, t: tNl, directory: dir, failed: false }));
    expect(html).toMatch(/<svg[^>]*role="img"[^>]*aria-label="Schets van de buurt/);
    expect(html).toContain('data-mark="here"');
    for (const n of [1, 2, 3]) expect(html).toContain(`data-mark="${n}"`);
    expect(html).toContain('data-mark="north"');
    expect(html).toMatch(/data-mark="scale">.*(m|km)<\/text>/);
    expect(html).not.toMatch(/https?:\/\//); // no tiles, nothing from a network
  });

  it('says when no places are known', () => {
    expect(renderToString(h(DirectoryScreen, { i18n: nl, t: tNl, directory: { origin: null, updatedAt: null, places: [] }, failed: false }))).toContain('Er zijn nog geen plekken bekend');
  });
});
