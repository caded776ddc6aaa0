// Messages sent but not yet acknowledged, oldest first, bounded like the firmware's RAM ring: when full,
// the oldest message is dropped (and counted) to make room.

export interface Unacked {
  seq: number;
  json: string;
  /** Clock time of the last transmission attempt that reached the transport; null if never sent. */
  sentAt: number | null;
  /** Wall time (ms) of that attempt: round trips happen in real time even when the clock is accelerated. */
  sentWall: number | null;
  tries: number;
}

export class UnackedRing {
  private items: Unacked[] = [];
  dropped = 0;

  constructor(readonly capacity = 32) {
    if (capacity < 1) throw new RangeError('ring capacity must be >= 1');
  }

  get size(): number {
    return this.items.length;
  }

  add(item: Unacked): void {
    if (this.items.length >= this.capacity) {
      this.items.shift();
      this.dropped++;
    }
    this.items.push(item);
  }

  /** Removes acknowledged seqs; returns how many were pending. */
  ack(seqs: readonly number[]): number {
    const before = this.items.length;
    const set = new Set(seqs);
    this.items = this.items.filter((m) => !set.has(m.seq));
    return before - this.items.length;
  }

  has(seq: number): boolean {
    return this.items.some((m) => m.seq === seq);
  }

  /**
   * Pending messages due for (re)transmission, oldest first: unsent ones, and sent ones whose backoff
   * (retryMs doubling per try, at most maxRetryMs) has passed in clock time, and retryWallMs in wall
   * time (so an accelerated clock does not outrun acks that need real milliseconds).
   */
  due(now: number, retryMs: number, max: number, opts: { maxRetryMs?: number; wallNow?: number; retryWallMs?: number } = {}): Unacked[] {
    const cap = opts.maxRetryMs ?? retryMs;
    const retryWallMs = opts.retryWallMs ?? 0;
    const wallNow = opts.wallNow ?? 0;
    return this.items
      .filter((m) => {
        if (m.sentAt === null) return true;
        const backoff = Math.min(cap, retryMs * 2 ** Math.max(0, m.tries - 1));
        return now - m.sentAt >= backoff && (retryWallMs <= 0 || wallNow - (m.sentWall ?? 0) >= retryWallMs);
      })
      .slice(0, max);
  }

  all(): readonly Unacked[] {
    return this.items;
  }

  clear(): void {
    this.items = [];
  }
}
