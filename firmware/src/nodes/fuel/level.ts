// Fuel level processing, independent of the sensor: median filter against slosh and echoes,
// tank shape table (fuel height → litres), refuel detection.

/** Median of the last `size` samples. */
export class Median {
  private readonly samples: number[] = [];

  constructor(private readonly size: number) {}

  push(v: number): void {
    this.samples.push(v);
    if (this.samples.length > this.size) this.samples.shift();
  }

  clear(): void {
    this.samples.length = 0;
  }

  get count(): number {
    return this.samples.length;
  }

  value(): number | null {
    if (this.samples.length === 0) return null;
    const s = this.samples.slice().sort((a, b) => a - b);
    const mid = s.length >> 1;
    return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
  }
}

/**
 * Tank shape table as kept in config: "height mm:litres" pairs, ascending, e.g. "0:0,100:14,…".
 * Returns null when the text is not a usable table.
 */
export function parseTable(text: string): number[][] | null {
  const rows: number[][] = [];
  const parts = text.split(',');
  for (const part of parts) {
    const kv = part.split(':');
    const h = Number(kv[0]);
    const l = Number(kv[1]);
    if (kv.length !== 2 || !isFinite(h) || !isFinite(l)) return null;
    const prev = rows[rows.length - 1];
    if (prev !== undefined && (h <= (prev[0] as number) || l < (prev[1] as number))) return null;
    rows.push([h, l]);
  }
  return rows.length >= 2 ? rows : null;
}

/** Litres at a fuel height by linear interpolation, clamped to the table. */
export function litresAt(table: number[][], heightMm: number): number {
  const first = table[0] as number[];
  const last = table[table.length - 1] as number[];
  if (heightMm <= (first[0] as number)) return first[1] as number;
  if (heightMm >= (last[0] as number)) return last[1] as number;
  for (let i = 1; i < table.length; i++) {
    const b = table[i] as number[];
    if (heightMm <= (b[0] as number)) {
      const a = table[i - 1] as number[];
      const f = (heightMm - (a[0] as number)) / ((b[0] as number) - (a[0] as number));
      return (a[1] as number) + f * ((b[1] as number) - (a[1] as number));
    }
  }
  return last[1] as number;
}

/**
 * Refuelling: the filtered level rose by more than `riseLitres` against the lowest level of the
 * last few minutes. Ends once the level has been steady for `settleSec`.
 */
export class RefuelDetector {
  refuelling = false;
  private low: number | null = null;
  private lowAt = 0;
  private lastChangeAt = 0;
  private last: number | null = null;

  constructor(
    private readonly riseLitres: number,
    private readonly windowSec: number,
    private readonly settleSec: number,
  ) {}

  update(litres: number, nowSec: number): boolean {
    if (this.low === null || litres < this.low || nowSec - this.lowAt > this.windowSec) {
      this.low = litres;
      this.lowAt = nowSec;
    }
    if (this.last === null || Math.abs(litres - this.last) > this.riseLitres / 5) {
      this.lastChangeAt = nowSec;
      this.last = litres;
    }
    if (!this.refuelling && litres - this.low > this.riseLitres) this.refuelling = true;
    if (this.refuelling && nowSec - this.lastChangeAt > this.settleSec) {
      this.refuelling = false;
      this.low = litres;
      this.lowAt = nowSec;
    }
    return this.refuelling;
  }
}
