import { describe, expect, it } from 'vitest';
import { createI18n } from '../../src/lib/i18n/i18n.js';
import { formatAgo } from '../../src/lib/format-ago.js';
import { formatClock, formatValue } from '../../src/lib/format.js';

describe('formatValue', () => {
  it('renders null, undefined and non-finite values as "unknown" in the reader\'s language, never 0', () => {
    const nl = createI18n('nl');
    const en = createI18n('en');
    const ar = createI18n('ar');
    expect(formatValue(nl, null, 'L')).toBe('Onbekend');
    expect(formatValue(nl, undefined, '%')).toBe('Onbekend');
    expect(formatValue(nl, Number.NaN, 'V')).toBe('Onbekend');
    expect(formatValue(en, null, 'L')).toBe('Unknown');
    expect(formatValue(ar, null, 'L')).toBe('غير معروف');
  });

  it('keeps a real 0 as 0', () => {
    expect(formatValue(createI18n('en'), 0, 'L')).toBe('0 L');
  });

  it('uses the language\'s decimal separator and Western digits', () => {
    expect(formatValue(createI18n('nl'), 25.64, 'V', 2)).toBe('25,64 V');
    expect(formatValue(createI18n('en'), 25.64, 'V', 1)).toBe('25.6 V');
    expect(formatValue(createI18n('ar'), 12, '%')).toMatch(/^12 %$/);
  });
});

describe('formatAgo', () => {
  const en = createI18n('en');
  const now = 1_700_000_000_000;
  it('says "never" for a moment that is unknown', () => {
    expect(formatAgo(en, null, now)).toBe('never');
    expect(formatAgo(createI18n('nl'), null, now)).toBe('nooit');
  });
  it('picks seconds, minutes, hours, days', () => {
    expect(formatAgo(en, now - 4_000, now)).toBe('4 s ago');
    expect(formatAgo(en, now - 25 * 60_000, now)).toBe('25 min ago');
    expect(formatAgo(en, now - 5 * 3_600_000, now)).toBe('5 h ago');
    expect(formatAgo(en, now - 3 * 86_400_000, now)).toBe('3 days ago');
  });
  it('does not show a negative age when the node clock is ahead', () => {
    expect(formatAgo(en, now + 5_000, now)).toBe('0 s ago');
  });
});

describe('formatClock', () => {
  it('is "unknown" without a time', () => {
    expect(formatClock(createI18n('nl'), null)).toBe('Onbekend');
  });
  it('gives a 24-hour time', () => {
    expect(formatClock(createI18n('nl'), Date.UTC(2026, 0, 1, 13, 5))).toMatch(/^\d\d:05$/);
  });
});
