// Coordinator side: the other noodsteunpunten as directory entries, for the `directory` of a board broadcast.
// Locations are not part of a point's status, so the coordinator supplies them (its own list of sites).
import type { DirectoryEntry } from './schemas.js';

export interface KnownPoint {
  point: string;
  name: string;
  online: boolean;
  receivedAt: number | null;
}

export function directoryFromPointBook(points: readonly KnownPoint[], sites: ReadonlyMap<string, { lat: number; lon: number; address?: string }>): DirectoryEntry[] {
  const out: DirectoryEntry[] = [];
  for (const p of points) {
    const site = sites.get(p.point);
    if (!site) continue;
    out.push({
      id: p.point,
      kind: 'point',
      name: p.name,
      address: site.address ?? '',
      lat: site.lat,
      lon: site.lon,
      services: ['information'],
      // A point the coordinator cannot hear may still be open: say "unknown", not "closed".
      status: p.online ? 'open' : 'unknown',
      hours: '',
      note: '',
      seenAt: p.receivedAt,
    });
  }
  return out;
}
