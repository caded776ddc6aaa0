// The coordinator's signed board broadcasts over MQTT: content for one point, a list or every known
// point is signed per point (target = that point, so a copy cannot be shown elsewhere) and published on
// the point's board topic; each point's BoardResult is matched back by its signed sequence. Kept in
// memory (the newest `keep` broadcasts): the console needs recent delivery, not an archive.
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { BoardContent } from '../board/content.js';
import type { Clock } from '../core/clock.js';
import { errorMessage, type Logger } from '../log/logger.js';
import { PointIdSchema, pointTopics } from '../protocol/index.js';
import type { BoardSigner } from './signing/envelope.js';
import type { BoardResult } from './signing/verifier.js';

/** Who gets a broadcast: `"all"` known points, one point, or a list. */
export const BroadcastTargetSchema = z.union([
  z.literal('all'),
  z.strictObject({ point: PointIdSchema }),
  z.strictObject({ points: z.array(PointIdSchema).min(1).max(256) }),
]);
export type BroadcastTarget = z.infer<typeof BroadcastTargetSchema>;

export class BroadcastError extends Error {
  override name = 'BroadcastError';
}

export interface BroadcastDelivery {
  point: string;
  seq: number;
  /** Null once on the broker; else why publishing failed. */
  sendError: string | null;
  /** The point's answer, null while pending. */
  result: BoardResult | null;
}

export interface BroadcastRecord {
  id: string;
  at: number;
  expiresAt: number;
  target: BroadcastTarget;
  authority: string;
  deliveries: BroadcastDelivery[];
}

export interface BroadcastServiceOptions {
  signer: BoardSigner;
  publish: (topic: string, payload: string) => Promise<void>;
  /** Points the coordinator knows (it has heard from), for target `"all"`. */
  knownPoints: () => string[];
  /** Makes each point's copy (its own name, its directory of other points); default: the content as given. */
  perPoint?: (point: string, content: BoardContent) => BoardContent;
  clock: Clock;
  log: Logger;
  /** How long a broadcast stays valid at the points (default 24 h). */
  ttlMs?: number;
  /** Broadcasts remembered for the listing (default 100). */
  keep?: number;
}

export class BroadcastService {
  private readonly records: BroadcastRecord[] = [];
  private readonly bySeq = new Map<number, BroadcastDelivery>();

  constructor(private readonly o: BroadcastServiceOptions) {}

  async send(content: BoardContent, target: BroadcastTarget): Promise<BroadcastRecord> {
    const points = target === 'all' ? this.o.knownPoints() : 'point' in target ? [target.point] : [...new Set(target.points)];
    if (points.length === 0) throw new BroadcastError('no known points to send to');
    const now = this.o.clock.now();
    const ttl = this.o.ttlMs ?? 24 * 3_600_000;
    const record: BroadcastRecord = { id: randomUUID(), at: now, expiresAt: now + ttl, target, authority: content.authority, deliveries: [] };
    for (const point of points) {
      const own = this.o.perPoint ? this.o.perPoint(point, content) : content;
      const signed = await this.o.signer.sign({ ...own, source: 'coordinator' }, { kind: 'point', point }, now, ttl);
      const d: BroadcastDelivery = { point, seq: signed.payload.seq, sendError: null, result: null };
      try {
        await this.o.publish(pointTopics.board(point), JSON.stringify(signed));
      } catch (err) {
        d.sendError = errorMessage(err);
        this.o.log.warn('board broadcast not delivered to the broker', { point, error: d.sendError });
      }
      record.deliveries.push(d);
      this.bySeq.set(d.seq, d);
    }
    this.records.unshift(record);
    for (const old of this.records.splice(this.o.keep ?? 100)) for (const d of old.deliveries) this.bySeq.delete(d.seq);
    this.o.log.info('board broadcast sent', { id: record.id, points });
    return record;
  }

  /** A point's answer; false when it is not about a delivery to that point this service remembers. */
  result(r: BoardResult): boolean {
    const d = r.seq === null ? undefined : this.bySeq.get(r.seq);
    if (!d || d.point !== r.point) return false;
    d.result = r;
    return true;
  }

  /** Newest first. */
  list(): BroadcastRecord[] {
    return this.records.map((r) => ({ ...r, deliveries: r.deliveries.map((d) => ({ ...d })) }));
  }
}
