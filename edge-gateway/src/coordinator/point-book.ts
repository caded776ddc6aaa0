// The coordinator's view of its points: the newest status of each, whether its link is up, and
// when it went silent. Older or repeated statuses (a retransmission, a reordered LoRa frame) are ignored.
import type { PointStatus } from '../protocol/index.js';

export interface PointEntry {
  point: string;
  name: string;
  /** The link said `online` (retained birth) and the last status is recent enough. */
  online: boolean;
  /** Last state the link itself reported (birth/last will), independent of silence. */
  linkState: 'online' | 'offline' | 'unknown';
  receivedAt: number | null;
  status: PointStatus | null;
}

export type StatusOutcome = 'accepted' | 'stale';

export class PointBook {
  private readonly points = new Map<string, PointEntry>();

  /** @param silentAfterMs a point whose last status is older than this counts as silent (offline). */
  constructor(private readonly silentAfterMs: number) {}

  private entry(point: string): PointEntry {
    let e = this.points.get(point);
    if (!e) this.points.set(point, (e = { point, name: point, online: false, linkState: 'unknown', receivedAt: null, status: null }));
    return e;
  }

  applyStatus(status: PointStatus, receivedAt: number): StatusOutcome {
    const e = this.entry(status.point);
    if (e.status && status.seq <= e.status.seq) return 'stale';
    e.status = status;
    e.name = status.name;
    e.receivedAt = receivedAt;
    return 'accepted';
  }

  applyLinkState(point: string, state: 'online' | 'offline'): void {
    this.entry(point).linkState = state;
  }

  private view(e: PointEntry, now: number): PointEntry {
    return { ...e, online: e.linkState !== 'offline' && e.receivedAt !== null && now - e.receivedAt <= this.silentAfterMs };
  }

  /** Entries with `online` computed for `now`. */
  list(now: number): PointEntry[] {
    return [...this.points.values()].map((e) => this.view(e, now)).sort((a, b) => a.point.localeCompare(b.point));
  }

  /** One entry with `online` computed for `now`; undefined for a point never heard of. */
  get(point: string, now: number): PointEntry | undefined {
    const e = this.points.get(point);
    return e ? this.view(e, now) : undefined;
  }

  get size(): number {
    return this.points.size;
  }
}
