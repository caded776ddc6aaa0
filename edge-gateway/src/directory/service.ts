// The neighbourhood directory at a point: local places from staff, the coordinator's list from its signed
// broadcasts, each with walking distance from the point's configured location.
import { randomBytes } from 'node:crypto';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log/logger.js';
import { haversineM, walkMinutes, type LatLon } from './geo.js';
import { renderDirectoryMap } from './map-svg.js';
import type { DirectoryEntry, DirectoryView, Place, PlaceInput, PlaceKind, PlaceView } from './schemas.js';
import type { DirectoryStore } from './store.js';

export class DirectoryError extends Error {
  override name = 'DirectoryError';
  constructor(
    readonly reason: 'not-found' | 'conflict',
    message: string,
  ) {
    super(message);
  }
}

export interface DirectoryServiceOptions {
  store: DirectoryStore;
  clock: Clock;
  log: Logger;
  /** The point's own id: the coordinator's list may include this point, which is not shown to itself. */
  pointId: string;
  /** The point's location (config.location); without it distances are unknown. */
  origin: LatLon | null;
}

export class DirectoryService {
  constructor(private readonly o: DirectoryServiceOptions) {}

  /** Places nearest first (unknown distance last, then by name), optionally of one kind. */
  view(kind?: PlaceKind): DirectoryView {
    const origin = this.o.origin;
    const places = this.o.store
      .all()
      .filter((p) => !kind || p.kind === kind)
      .map((p): PlaceView => {
        const distanceM = origin ? Math.round(haversineM(origin, p)) : null;
        return { ...p, distanceM, walkMinutes: distanceM === null ? null : walkMinutes(distanceM) };
      })
      .sort((a, b) => (a.distanceM ?? Infinity) - (b.distanceM ?? Infinity) || a.name.localeCompare(b.name));
    const updatedAt = places.reduce<number | null>((m, p) => (m === null || p.updatedAt > m ? p.updatedAt : m), null);
    return { origin, updatedAt, places };
  }

  mapSvg(): string {
    return renderDirectoryMap(this.view());
  }

  /** Staff add (no id) or change a local place. Coordinator places are the coordinator's to change. */
  upsertLocal(input: PlaceInput): { place: Place; created: boolean } {
    const id = input.id ?? `local-${randomBytes(4).toString('hex')}`;
    const existing = this.o.store.get(id);
    if (existing?.source === 'coordinator') throw new DirectoryError('conflict', `place ${id} comes from the coordinator and is changed there`);
    const place: Place = { ...input, id, seenAt: null, source: 'local', updatedAt: this.o.clock.now() };
    this.o.store.put(place);
    this.o.log.info(existing ? 'directory place changed' : 'directory place added', { id, kind: place.kind });
    return { place, created: !existing };
  }

  removeLocal(id: string): void {
    const existing = this.o.store.get(id);
    if (!existing) throw new DirectoryError('not-found', `no place ${id}`);
    if (existing.source === 'coordinator') throw new DirectoryError('conflict', `place ${id} comes from the coordinator and is changed there`);
    this.o.store.remove(id);
    this.o.log.info('directory place removed', { id });
  }

  /**
   * The coordinator's list from an accepted (signature-checked) broadcast: replaces its earlier list. A local
   * place with the same id stays local (staff know their street better) and the coordinator's copy is skipped.
   */
  applyCoordinator(entries: readonly DirectoryEntry[]): number {
    const now = this.o.clock.now();
    const local = new Set(this.o.store.all().filter((p) => p.source === 'local').map((p) => p.id));
    const places = entries.filter((e) => e.id !== this.o.pointId && !local.has(e.id)).map((e): Place => ({ ...e, source: 'coordinator', updatedAt: now }));
    this.o.store.replaceCoordinator(places);
    this.o.log.info('directory updated by the coordinator', { places: places.length });
    return places.length;
  }
}
