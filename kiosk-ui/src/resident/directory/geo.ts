// The schematic offline map: places projected from latitude/longitude onto a square around this point —
// no tiles, no network. Over a few kilometres an equirectangular projection (x scaled by cos latitude) is
// accurate to well under a percent, which is more than a sketch needs.
import type { PlaceStatus } from '../../lib/api/help.js';

export interface LatLon {
  lat: number;
  lon: number;
}
export interface MapMark {
  /** 1-based, the same number as in the list. */
  n: number;
  x: number;
  y: number;
}
export interface MapLayout {
  size: number;
  centre: { x: number; y: number } | null;
  marks: MapMark[];
  /** A round distance and its length on the map. */
  scale: { metres: number; px: number } | null;
}

const M_PER_DEG = 111_320;
const NICE = [50, 100, 200, 250, 500, 1000, 2000, 2500, 5000, 10_000, 20_000, 50_000];

/** Metres east and north of `from`. */
export function offsetM(from: LatLon, to: LatLon): { e: number; n: number } {
  return { e: (to.lon - from.lon) * M_PER_DEG * Math.cos((from.lat * Math.PI) / 180), n: (to.lat - from.lat) * M_PER_DEG };
}

/**
 * Places around `origin` (the point; without it, around the middle of the places) in a `size` square with a
 * margin; north up. The farthest place sets the scale, so every mark is inside.
 */
export function layoutMap(origin: LatLon | null, places: readonly LatLon[], size = 320, margin = 28): MapLayout {
  const centreLL = origin ?? (places.length ? { lat: mid(places.map((p) => p.lat)), lon: mid(places.map((p) => p.lon)) } : null);
  if (!centreLL) return { size, centre: null, marks: [], scale: null };
  const offs = places.map((p) => offsetM(centreLL, p));
  const reach = Math.max(100, ...offs.map((o) => Math.max(Math.abs(o.e), Math.abs(o.n))));
  const half = size / 2 - margin;
  const pxPerM = half / reach;
  const c = size / 2;
  const marks = offs.map((o, i) => ({ n: i + 1, x: round(c + o.e * pxPerM), y: round(c - o.n * pxPerM) }));
  // the longest round distance that fits in a third of the map
  const metres = [...NICE].reverse().find((m) => m * pxPerM <= size / 3) ?? NICE[0]!;
  return { size, centre: origin ? { x: c, y: c } : null, marks, scale: { metres, px: round(metres * pxPerM) } };
}

function mid(xs: number[]): number {
  return (Math.min(...xs) + Math.max(...xs)) / 2;
}
function round(x: number): number {
  return Math.round(x * 10) / 10;
}

/** 850 m, 1.2 km — in the reader's number format. */
export function formatDistance(m: number, locale: string): string {
  if (m < 1000) return `${new Intl.NumberFormat(locale).format(Math.round(m / 10) * 10)} m`;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(m / 1000)} km`;
}

export const STATUS_TONE: Record<PlaceStatus, 'ok' | 'warn' | 'bad' | 'unknown'> = { open: 'ok', limited: 'warn', closed: 'bad', unknown: 'unknown' };
