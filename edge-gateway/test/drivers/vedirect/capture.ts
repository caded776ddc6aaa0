// The real BMV-700 capture, and a deliberately naive reading of it (string search for `Checksum\t`,
// then split lines) to compare the byte-level parser against.
import { readFileSync } from 'node:fs';
import { mulberry32 } from '../../../src/core/prng.js';

export const DUMP: Buffer = readFileSync(new URL('./fixtures/bmv700_fw0308.dump', import.meta.url));
/** Complete blocks in the capture (see fixtures/SOURCES.md). */
export const DUMP_BLOCKS = 906;

export interface NaiveBlock {
  /** Offset of the block's first byte (the `\r` before its first label). */
  start: number;
  /** Offset just past its checksum byte. */
  end: number;
  fields: [string, string][];
}

export function naiveBlocks(data: Buffer): NaiveBlock[] {
  const out: NaiveBlock[] = [];
  const marker = Buffer.from('\r\nChecksum\t', 'latin1');
  let start = 0;
  for (;;) {
    const at = data.indexOf(marker, start);
    if (at < 0 || at + marker.length >= data.length) break;
    const end = at + marker.length + 1;
    const fields = data
      .toString('latin1', start, at)
      .split('\r\n')
      .filter((l) => l !== '')
      .map((l) => {
        const tab = l.indexOf('\t');
        return [l.slice(0, tab), l.slice(tab + 1)] as [string, string];
      });
    out.push({ start, end, fields });
    start = end;
  }
  return out;
}

/** Sum of the bytes mod 256. */
export function byteSum(bytes: Uint8Array): number {
  let s = 0;
  for (const b of bytes) s = (s + b) & 0xff;
  return s;
}

/** Seeded test data. */
export const rng = mulberry32;

export function randomBytes(next: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = Math.floor(next() * 256);
  return b;
}

/** Cuts data into chunks of 1…maxChunk bytes. */
export function chunks(data: Uint8Array, next: () => number, maxChunk: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let i = 0; i < data.length; ) {
    const n = 1 + Math.floor(next() * maxChunk);
    out.push(data.subarray(i, i + n));
    i += n;
  }
  return out;
}
