import { describe, expect, it } from 'vitest';
import { CORE_KEYS, LANGS, STRINGS, type Key } from '../../src/lib/i18n/strings.js';
import { createI18n, interpolate, pickLang, translate } from '../../src/lib/i18n/i18n.js';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();
const nlKeys = Object.keys(STRINGS.nl) as Key[];

describe('i18n completeness', () => {
  it('has every Dutch key in English, non-empty, with the same placeholders', () => {
    expect(Object.keys(STRINGS.en).sort()).toEqual([...nlKeys].sort());
    for (const k of nlKeys) {
      expect(STRINGS.en[k].trim(), `en ${k}`).not.toBe('');
      expect(placeholders(STRINGS.en[k]), `en ${k}`).toEqual(placeholders(STRINGS.nl[k]));
    }
  });

  it('has every core key in Arabic, non-empty, with the same placeholders, and no keys Dutch lacks', () => {
    for (const k of CORE_KEYS) {
      const s = STRINGS.ar[k];
      expect(s?.trim(), `ar ${k}`).toBeTruthy();
      expect(placeholders(s ?? ''), `ar ${k}`).toEqual(placeholders(STRINGS.nl[k]));
    }
    for (const k of Object.keys(STRINGS.ar)) expect(nlKeys, `ar ${k}`).toContain(k);
  });

  it('lists only existing keys as core keys', () => {
    for (const k of CORE_KEYS) expect(nlKeys).toContain(k);
  });

  it('has translations that differ from Dutch for the core keys (no copy-paste left behind)', () => {
    for (const k of CORE_KEYS) {
      expect(STRINGS.ar[k], `ar ${k}`).not.toBe(STRINGS.nl[k]);
      expect(STRINGS.en[k], `en ${k}`).not.toBe(STRINGS.nl[k]);
    }
  });
});

describe('translate', () => {
  it('fills placeholders and leaves unknown ones visible', () => {
    expect(interpolate('Bijgewerkt om {time}', { time: '14:05' })).toBe('Bijgewerkt om 14:05');
    expect(interpolate('{a} {b}', { a: 1 })).toBe('1 {b}');
  });
  it('falls back to English for a non-core key Arabic lacks', () => {
    expect(STRINGS.ar['console.title']).toBeUndefined();
    expect(translate('ar', 'console.title')).toBe(STRINGS.en['console.title']);
  });
});

describe('pickLang', () => {
  it('takes the first supported candidate, by base language', () => {
    expect(pickLang([null, 'ar-SY', 'en'])).toBe('ar');
    expect(pickLang(['de', 'en-US'])).toBe('en');
    expect(pickLang(['uk-UA', 'en'])).toBe('uk');
    expect(pickLang(['EN'])).toBe('en');
  });
  it('defaults to Dutch', () => {
    expect(pickLang([])).toBe('nl');
    expect(pickLang(['de', undefined])).toBe('nl');
  });
  it('only picks languages the screen offers', () => {
    expect(pickLang(['ar', 'en'], ['nl', 'en'])).toBe('en');
  });
});

describe('createI18n', () => {
  it('switches language and direction together, and reports the change', () => {
    const changes: string[] = [];
    const i18n = createI18n('nl', LANGS, (l) => changes.push(l));
    expect(i18n.dir.value).toBe('ltr');
    expect(i18n.t('unknown')).toBe('Onbekend');
    i18n.setLang('ar');
    expect(i18n.lang.value).toBe('ar');
    expect(i18n.dir.value).toBe('rtl');
    expect(i18n.t('unknown')).toBe('غير معروف');
    i18n.setLang('en');
    expect(i18n.dir.value).toBe('ltr');
    expect(changes).toEqual(['ar', 'en']);
  });
  it('ignores a language the screen does not offer', () => {
    const i18n = createI18n('nl', ['nl', 'en']);
    i18n.setLang('ar');
    expect(i18n.lang.value).toBe('nl');
  });
});
