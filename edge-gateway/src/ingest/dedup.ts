// Which (node, boot, seq) have been stored. Seqs within one boot are nearly contiguous, so each
// (node, boot) holds a sorted list of closed intervals: a day of messages is usually ONE interval.
// This replaces a UNIQUE index on the messages table, which would add an index page write per commit
// and grow with the table. Rebuilt at start from the raw rows plus the pruned floors (Store.dedupFloors).

export class SeqSet {
  /** Flattened [start0, end0, start1, end1, …], sorted, non-overlapping, non-adjacent. */
  private iv: number[] = [];

  has(seq: number): boolean {
    const i = this.find(seq);
    return i >= 0 && seq <= this.iv[i * 2 + 1]!;
  }

  add(seq: number): void {
    this.addRange(seq, seq);
  }

  /** Marks every seq in [lo, hi] as seen. */
  addRange(lo: number, hi: number): void {
    if (hi < lo) return;
    const iv = this.iv;
    // First interval whose end touches or passes lo - 1, and last whose start is ≤ hi + 1.
    let a = Math.max(0, this.find(lo - 1));
    while (a < iv.length / 2 && iv[a * 2 + 1]! < lo - 1) a++;
    let b = a;
    while (b < iv.length / 2 && iv[b * 2]! <= hi + 1) b++;
    if (a === b) {
      iv.splice(a * 2, 0, lo, hi);
      return;
    }
    const start = Math.min(lo, iv[a * 2]!);
    const end = Math.max(hi, iv[(b - 1) * 2 + 1]!);
    iv.splice(a * 2, (b - a) * 2, start, end);
  }

  get intervals(): number {
    return this.iv.length / 2;
  }

  /** Index of the last interval starting at or before seq, or -1. */
  private find(seq: number): number {
    let lo = 0;
    let hi = this.iv.length / 2 - 1;
    let ans = -1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.iv[mid * 2]! <= seq) {
        ans = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return ans;
  }
}

export class Dedup {
  private readonly seen = new Map<string, SeqSet>();

  private static key(node: string, boot: number): string {
    return `${node}\u0000${boot}`;
  }

  has(node: string, boot: number, seq: number): boolean {
    return this.seen.get(Dedup.key(node, boot))?.has(seq) ?? false;
  }

  add(node: string, boot: number, seq: number): void {
    this.set(node, boot).add(seq);
  }

  /** Everything ≤ seq of (node, boot) is treated as stored: those raw rows were pruned after folding. */
  addFloor(node: string, boot: number, seq: number): void {
    this.set(node, boot).addRange(0, seq);
  }

  /** Number of intervals held, for memory checks. */
  get size(): number {
    let n = 0;
    for (const s of this.seen.values()) n += s.intervals;
    return n;
  }

  private set(node: string, boot: number): SeqSet {
    const k = Dedup.key(node, boot);
    let s = this.seen.get(k);
    if (!s) this.seen.set(k, (s = new SeqSet()));
    return s;
  }
}
