// "3 min ago" for the console screens. Not in format.ts, which the resident page loads: a module both pages
// share is split into a chunk of its own, and the resident page would fetch this with it.
import type { Translate } from './i18n/table.js';

/** The keys `formatAgo` needs: any table that has them (the shared strings, the coordinator's) will do. */
type AgoKey = 'never' | 'ago.s' | 'ago.min' | 'ago.h' | 'ago.d';

/** "3 min ago" for a past moment measured against `now` (the gateway clock); null → "never". */
export function formatAgo(i18n: { t: Translate<AgoKey> }, ts: number | null | undefined, now: number): string {
  if (ts == null || !Number.isFinite(ts)) return i18n.t('never');
  const s = Math.max(0, Math.round((now - ts) / 1000));
  if (s < 60) return i18n.t('ago.s', { n: s });
  const min = Math.floor(s / 60);
  if (min < 60) return i18n.t('ago.min', { n: min });
  const h = Math.floor(min / 60);
  if (h < 48) return i18n.t('ago.h', { n: h });
  return i18n.t('ago.d', { n: Math.floor(h / 24) });
}
