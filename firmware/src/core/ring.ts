// Unacknowledged uplink messages, oldest first. Fixed capacity so memory use is bounded;
// when full the oldest entry is dropped and counted (reported as a heartbeat flag).

export interface Pending {
  seq: number;
  json: string;
  /** Seconds (getTime) of the last transmission; -1 when never sent. */
  sentAt: number;
}

export class Ring {
  readonly items: Pending[] = [];
  dropped = 0;

  constructor(readonly capacity: number) {}

  push(seq: number, json: string): void {
    if (this.items.length >= this.capacity) {
      this.items.shift();
      this.dropped++;
    }
    this.items.push({ seq: seq, json: json, sentAt: -1 });
  }

  /** Removes acknowledged sequence numbers; returns how many were removed. */
  ack(seqs: number[]): number {
    let removed = 0;
    for (let i = this.items.length - 1; i >= 0; i--) {
      const item = this.items[i];
      if (item !== undefined && seqs.indexOf(item.seq) >= 0) {
        this.items.splice(i, 1);
        removed++;
      }
    }
    return removed;
  }

  get length(): number {
    return this.items.length;
  }
}
