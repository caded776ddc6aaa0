// Distances on foot from the point. Great-circle distance is what residents would walk in open country;
// streets make it longer, so the minutes are a lower bound and rounded up.
export interface LatLon {
  lat: number;
  lon: number;
}

export const EARTH_RADIUS_M = 6_371_000;
/** ~5 km/h, the usual planning figure for walking. */
export const WALK_M_PER_MIN = 5000 / 60;

const rad = (deg: number) => (deg * Math.PI) / 180;

export function haversineM(a: LatLon, b: LatLon): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export function walkMinutes(distanceM: number): number {
  return Math.ceil(distanceM / WALK_M_PER_MIN);
}

/** Metres east and north of `origin` (equirectangular: exact enough over a neighbourhood). */
export function offsetM(origin: LatLon, p: LatLon): { east: number; north: number } {
  return {
    east: rad(p.lon - origin.lon) * Math.cos(rad(origin.lat)) * EARTH_RADIUS_M,
    north: rad(p.lat - origin.lat) * EARTH_RADIUS_M,
  };
}
