// Each point's copy of a broadcast is made for that point: its own name on its board, and in its
// neighbourhood directory the other noodsteunpunten the coordinator hears from (nearest first, where they
// reported their location), after any places the coordinator listed by hand.
import type { BoardContent } from '../board/content.js';
import { directoryFromPointBook } from '../directory/from-point-book.js';
import { haversineM } from '../directory/geo.js';
import type { DirectoryEntry } from '../directory/schemas.js';
import type { PointEntry } from './point-book.js';

/** The board content schema's limit on directory entries. */
export const MAX_DIRECTORY = 64;

export function contentForPoint(content: BoardContent, point: string, points: readonly PointEntry[]): BoardContent {
  const self = points.find((p) => p.point === point);
  const here = self?.status?.location ?? null;
  const sites = new Map<string, { lat: number; lon: number }>();
  for (const p of points) if (p.point !== point && p.status?.location) sites.set(p.point, p.status.location);
  let others = directoryFromPointBook(points, sites);
  if (here) others = others.map((e) => ({ e, d: haversineM(here, e) })).sort((a, b) => a.d - b.d).map((x) => x.e);
  const listed = content.directory ?? [];
  const ids = new Set(listed.map((e) => e.id));
  const directory: DirectoryEntry[] = [...listed, ...others.filter((e) => !ids.has(e.id))].slice(0, MAX_DIRECTORY);
  const { directory: _drop, ...rest } = content;
  return { ...rest, point: self ? { ...content.point, name: self.name.slice(0, 80) } : content.point, ...(directory.length ? { directory } : {}) };
}
