// Formatting shared by the screens. Unknown values (null) become the word "unknown" in the reader's
// language, never 0 or a dash that could be read as "nothing left".
import type { I18n } from './i18n/i18n.js';

type T = Pick<I18n, 't' | 'locale'>;

export function formatValue(i18n: T, value: number | null | undefined, unit: string, digits = 0): string {
  if (value == null || !Number.isFinite(value)) return i18n.t('unknown');
  const n = new Intl.NumberFormat(i18n.locale(), { minimumFractionDigits: digits, maximumFractionDigits: digits }).format(value);
  return unit ? `${n} ${unit}` : n;
}

export function formatClock(i18n: T, ts: number | null | undefined): string {
  if (ts == null || !Number.isFinite(ts)) return i18n.t('unknown');
  return new Intl.DateTimeFormat(i18n.locale(), { hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(ts));
}
