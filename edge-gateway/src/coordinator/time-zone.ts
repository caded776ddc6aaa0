// Local hours and days for the pilot evidence: evaluators in the Netherlands read "visitors per hour" in Dutch
// time, and a day runs from local midnight to local midnight (23 or 25 hours on the days the clocks change).
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

const formatters = new Map<string, Intl.DateTimeFormat>();

export class TimeZoneError extends Error {
  override name = 'TimeZoneError';
}

/** Throws TimeZoneError unless `tz` is an IANA time zone this runtime knows. */
export function checkTimeZone(tz: string): string {
  formatter(tz);
  return tz;
}

function formatter(tz: string): Intl.DateTimeFormat {
  let f = formatters.get(tz);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', { timeZone: tz, hourCycle: 'h23', year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit' });
    } catch (err) {
      throw new TimeZoneError(`unknown time zone: ${tz}`, { cause: err });
    }
    formatters.set(tz, f);
  }
  return f;
}

/** The zone's offset from UTC at instant t (ms; +3,600,000 for Amsterdam in winter). */
export function zoneOffset(tz: string, t: number): number {
  const p = Object.fromEntries(formatter(tz).formatToParts(new Date(t)).map((x) => [x.type, x.value]));
  const local = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return local - Math.floor(t / 1000) * 1000;
}

/** Start (UTC ms) of the local hour or day that holds t. */
export function periodStart(t: number, period: 'hour' | 'day', tz: string): number {
  const size = period === 'hour' ? HOUR_MS : DAY_MS;
  const off = zoneOffset(tz, t);
  const localStart = Math.floor((t + off) / size) * size;
  // The offset at the period's start differs from t's when the clocks changed in between.
  return localStart - zoneOffset(tz, localStart - off);
}

/** End (UTC ms) of the local period that starts at `start`: the next one's start. */
export function periodEnd(start: number, period: 'hour' | 'day', tz: string): number {
  // 26 h: past the end of a 25 h day, still inside the next one.
  return period === 'hour' ? periodStart(start + HOUR_MS, 'hour', tz) : periodStart(start + 26 * HOUR_MS, 'day', tz);
}

/** Local midnight (UTC ms) at the start of a calendar date `YYYY-MM-DD` in the zone. */
export function localDateStart(date: string, tz: string): number {
  // Noon UTC lies on the same calendar date in every zone within ±11 h.
  return periodStart(Date.parse(`${date}T12:00:00Z`), 'day', tz);
}

/** ISO 8601 local time with its offset (2026-11-27T10:00:00+01:00); UTC as Z. */
export function localIso(t: number, tz: string): string {
  const off = zoneOffset(tz, t);
  if (off === 0 && tz.toUpperCase() === 'UTC') return new Date(t).toISOString();
  const local = new Date(t + off).toISOString().slice(0, 19);
  const m = Math.abs(off) / 60_000;
  return `${local}${off < 0 ? '-' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
}
