// Time source shared by the gateway and the simulator. `speed` > 1 runs simulated time faster
// than wall time (npm start -- --speed 60); tests use ManualClock and advance it by hand.

export interface Clock {
  /** ms since the Unix epoch, in the clock's own (possibly accelerated) time. */
  now(): number;
  /** Calls fn after `ms` of clock time; returns a cancel function. */
  setTimeout(fn: () => void, ms: number): () => void;
  setInterval(fn: () => void, ms: number): () => void;
}

export class SystemClock implements Clock {
  /**
   * @param origin wall time (ms) at which clock time equals wall time. Processes of one simulation
   *   (gateway, coordinator, simulator) share it so their accelerated clocks agree.
   */
  constructor(
    readonly speed = 1,
    private readonly origin = Date.now(),
  ) {
    if (!(speed > 0)) throw new RangeError('clock speed must be > 0');
  }
  now(): number {
    return Math.round(this.origin + (Date.now() - this.origin) * this.speed);
  }
  setTimeout(fn: () => void, ms: number): () => void {
    const h = setTimeout(fn, ms / this.speed);
    return () => clearTimeout(h);
  }
  setInterval(fn: () => void, ms: number): () => void {
    const h = setInterval(fn, Math.max(1, ms / this.speed));
    return () => clearInterval(h);
  }
}

interface Timer {
  at: number;
  every: number | null;
  fn: () => void;
  id: number;
}

/** Virtual time for tests: nothing happens until advance() is called. */
export class ManualClock implements Clock {
  private t: number;
  private timers: Timer[] = [];
  private nextId = 1;
  constructor(start = Date.UTC(2026, 0, 1)) {
    this.t = start;
  }
  now(): number {
    return this.t;
  }
  setTimeout(fn: () => void, ms: number): () => void {
    return this.add(fn, ms, null);
  }
  setInterval(fn: () => void, ms: number): () => void {
    return this.add(fn, ms, Math.max(1, ms));
  }
  /** Runs every timer due within the next `ms`, in time order. */
  advance(ms: number): void {
    const end = this.t + ms;
    for (;;) {
      this.timers.sort((a, b) => a.at - b.at || a.id - b.id);
      const next = this.timers[0];
      if (!next || next.at > end) break;
      this.t = next.at;
      if (next.every === null) this.timers.shift();
      else next.at += next.every;
      next.fn();
    }
    this.t = end;
  }
  private add(fn: () => void, ms: number, every: number | null): () => void {
    const timer: Timer = { at: this.t + Math.max(0, ms), every, fn, id: this.nextId++ };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((x) => x !== timer);
    };
  }
}
