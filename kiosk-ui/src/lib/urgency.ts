// Order of the coordinator's overview: what needs attention first.
import type { PointSummary } from './api/types.js';

/** Lowest known fuel % or battery SoC of a point, or null when neither is known. */
export function lowestLevel(p: PointSummary): number | null {
  const s = p.status;
  if (!s) return null;
  const known = [s.fuel?.pct, s.battery?.soc].filter((x): x is number => typeof x === 'number' && Number.isFinite(x));
  return known.length ? Math.min(...known) : null;
}

/**
 * Offline points first (the one silent longest first), then online points by their lowest fuel or battery
 * level; a point whose levels are all unknown comes after those with a known level (it is shown as
 * "unknown", not guessed), ties by more alarms, then by name. Returns a new array.
 */
export function sortByUrgency(points: readonly PointSummary[]): PointSummary[] {
  return [...points].sort((a, b) => {
    if (a.online !== b.online) return a.online ? 1 : -1;
    if (!a.online) {
      const ra = a.receivedAt ?? -Infinity;
      const rb = b.receivedAt ?? -Infinity;
      if (ra !== rb) return ra < rb ? -1 : 1;
    } else {
      const la = lowestLevel(a);
      const lb = lowestLevel(b);
      if (la !== lb) {
        if (la === null) return 1;
        if (lb === null) return -1;
        return la - lb;
      }
    }
    const alarms = (b.status?.alarms.length ?? 0) - (a.status?.alarms.length ?? 0);
    if (alarms !== 0) return alarms;
    return a.name.localeCompare(b.name, 'nl');
  });
}
