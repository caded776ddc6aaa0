import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { ReportScreen, type ReportView } from '../../src/resident/ReportScreen.js';
import { createI18n } from '../../src/lib/i18n/i18n.js';
import { CORE_KEYS, STRINGS } from '../../src/lib/i18n/strings.js';
import { formToInput } from '../../src/lib/api/reports.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const form: ReportView = { phase: 'form', values: {}, error: null, busy: false };

describe('report screen strings', () => {
  it.each(['ar', 'uk', 'pl', 'tr'] as const)('%s has every core key, translated, with the same placeholders', (lang) => {
    for (const k of CORE_KEYS) {
      const s = STRINGS[lang][k];
      expect(s?.trim(), `${lang} ${k}`).toBeTruthy();
      expect(s, `${lang} ${k}`).not.toBe(STRINGS.nl[k]);
      expect(placeholders(s ?? ''), `${lang} ${k}`).toEqual(placeholders(STRINGS.nl[k]));
    }
  });
});

describe('ReportScreen', () => {
  it('renders a plain form that posts without JavaScript, every field labelled', () => {
    const html = renderToString(h(ReportScreen, { i18n: createI18n('nl'), kind: 'emergency', view: form, retentionDays: 30 }));
    expect(html).toContain('method="post"');
    expect(html).toContain('action="/report/emergency?lang=nl"');
    expect(html.match(/type="radio"/g)).toHaveLength(6);
    for (const id of ['f-where', 'f-people', 'f-details']) expect(html).toContain(`for="${id}"`);
  });

  it('shows the privacy statement with the retention on "I am safe", and a required consent box', () => {
    const html = renderToString(h(ReportScreen, { i18n: createI18n('en'), kind: 'safe', view: form, retentionDays: 14 }));
    expect(html).toContain('After 14 days your name and message are deleted automatically');
    expect(html).toMatch(/type="checkbox" name="consent" value="yes" required/);
  });

  it('shows sent and confirmed times on the receipt, and waiting lines before', () => {
    const i18n = createI18n('en');
    const base = { id: 'a', receipt: 'r1', kind: 'emergency' as const, createdAt: Date.UTC(2026, 0, 1, 10, 0) };
    const waiting = renderToString(
      h(ReportScreen, { i18n, kind: 'emergency', retentionDays: 30, view: { phase: 'receipt', receipt: { ...base, status: 'submitted', sentAt: null, confirmedAt: null } } }),
    );
    expect(waiting).toContain('data-status="submitted"');
    expect(waiting).toContain('Not sent yet');
    const done = renderToString(
      h(ReportScreen, {
        i18n,
        kind: 'emergency',
        retentionDays: 30,
        view: { phase: 'receipt', receipt: { ...base, status: 'confirmed', sentAt: base.createdAt + 60_000, confirmedAt: base.createdAt + 120_000 } },
      }),
    );
    expect(done).toContain('Sent to the coordination point at');
    expect(done).toContain('Confirmed by the coordination point at');
  });

  it('turns form fields into the API input', () => {
    expect(formToInput('emergency', { what: 'fire', where: 'Plein', people: '', details: '' })).toEqual({ what: 'fire', where: 'Plein', details: '', people: null });
    expect(formToInput('need', { category: 'food', people: '4' })).toEqual({ category: 'food', where: '', details: '', people: 4 });
    expect(formToInput('safe', { name: 'A', consent: 'yes' })).toEqual({ name: 'A', message: '', consent: true });
  });
});
