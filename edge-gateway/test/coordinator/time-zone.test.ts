// Local hours and days for the evidence, across the two days a year the Dutch clocks change.
import { describe, expect, it } from 'vitest';
import { TimeZoneError, checkTimeZone, localDateStart, localIso, periodEnd, periodStart, zoneOffset } from '../../src/coordinator/time-zone.js';

const AMS = 'Europe/Amsterdam';
const H = 3_600_000;
const at = (iso: string) => Date.parse(iso);

describe('evidence time zone', () => {
  it('knows the Dutch offsets in winter and summer, and refuses an unknown zone', () => {
    expect(zoneOffset(AMS, at('2026-11-27T12:00:00Z'))).toBe(H);
    expect(zoneOffset(AMS, at('2026-07-01T12:00:00Z'))).toBe(2 * H);
    expect(zoneOffset('UTC', at('2026-07-01T12:00:00Z'))).toBe(0);
    expect(() => checkTimeZone('Mars/Olympus')).toThrow(TimeZoneError);
  });

  it('starts a local day at local midnight, 23 h long in spring and 25 h in autumn', () => {
    const winter = periodStart(at('2026-11-27T22:59:00Z'), 'day', AMS);
    expect(localIso(winter, AMS)).toBe('2026-11-27T00:00:00+01:00');
    expect(periodStart(at('2026-11-27T23:00:00Z'), 'day', AMS)).toBe(at('2026-11-27T23:00:00Z')); // already the 28th
    const spring = localDateStart('2026-03-29', AMS);
    expect(new Date(spring).toISOString()).toBe('2026-03-28T23:00:00.000Z');
    expect(periodEnd(spring, 'day', AMS) - spring).toBe(23 * H);
    const autumn = localDateStart('2026-10-25', AMS);
    expect(new Date(autumn).toISOString()).toBe('2026-10-24T22:00:00.000Z');
    expect(periodEnd(autumn, 'day', AMS) - autumn).toBe(25 * H);
    expect(localIso(periodEnd(autumn, 'day', AMS), AMS)).toBe('2026-10-26T00:00:00+01:00');
  });

  it('keeps the repeated autumn hour apart: 02:00 summer time and 02:00 winter time are two hours', () => {
    const first = periodStart(at('2026-10-25T00:30:00Z'), 'hour', AMS);
    const second = periodStart(at('2026-10-25T01:30:00Z'), 'hour', AMS);
    expect([localIso(first, AMS), localIso(second, AMS)]).toEqual(['2026-10-25T02:00:00+02:00', '2026-10-25T02:00:00+01:00']);
    expect(second - first).toBe(H);
    expect(periodEnd(first, 'hour', AMS)).toBe(second);
  });

  it('writes UTC as before (Z) and other zones with their offset', () => {
    expect(localIso(at('2026-11-27T09:00:00Z'), 'UTC')).toBe('2026-11-27T09:00:00.000Z');
    expect(localIso(at('2026-11-27T09:00:00Z'), 'America/St_Johns')).toBe('2026-11-27T05:30:00-03:30');
  });
});
