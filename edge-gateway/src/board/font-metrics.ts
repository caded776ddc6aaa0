// Just enough of a WOFF/OpenType reader to measure text before layout: the paginator must know
// how many lines a paragraph takes, and the legibility rule needs the font's cap height.
// Reads head, hhea, hmtx, cmap (formats 4 and 12) and OS/2; everything else is ignored.
import { inflateSync } from 'node:zlib';

export class FontFormatError extends Error {
  override name = 'FontFormatError';
}

export interface FontMetrics {
  unitsPerEm: number;
  /** Cap height per em (OS/2 sCapHeight / unitsPerEm). */
  capHeightRatio: number;
  /** Advance width per em for a code point, or undefined if the font lacks the glyph. */
  advance(codePoint: number): number | undefined;
}

function woffTables(buf: Buffer): Map<string, Buffer> {
  const sig = buf.readUInt32BE(0);
  const tables = new Map<string, Buffer>();
  if (sig === 0x774f4646 /* 'wOFF' */) {
    const numTables = buf.readUInt16BE(12);
    for (let i = 0; i < numTables; i++) {
      const e = 44 + i * 20;
      const tag = buf.toString('latin1', e, e + 4);
      const offset = buf.readUInt32BE(e + 4);
      const compLength = buf.readUInt32BE(e + 8);
      const origLength = buf.readUInt32BE(e + 12);
      const raw = buf.subarray(offset, offset + compLength);
      tables.set(tag, compLength < origLength ? inflateSync(raw) : raw);
    }
  } else if (sig === 0x00010000 || sig === 0x4f54544f /* 'OTTO' */) {
    const numTables = buf.readUInt16BE(4);
    for (let i = 0; i < numTables; i++) {
      const e = 12 + i * 16;
      const tag = buf.toString('latin1', e, e + 4);
      const offset = buf.readUInt32BE(e + 8);
      const length = buf.readUInt32BE(e + 12);
      tables.set(tag, buf.subarray(offset, offset + length));
    }
  } else {
    throw new FontFormatError('not a WOFF, TTF or OTF font (WOFF2 is not supported)');
  }
  return tables;
}

function need(tables: Map<string, Buffer>, tag: string): Buffer {
  const t = tables.get(tag);
  if (!t) throw new FontFormatError(`font has no '${tag}' table`);
  return t;
}

function readCmap(cmap: Buffer): Map<number, number> {
  const map = new Map<number, number>();
  const n = cmap.readUInt16BE(2);
  let best = -1;
  let bestFormat = 0;
  for (let i = 0; i < n; i++) {
    const platform = cmap.readUInt16BE(4 + i * 8);
    const encoding = cmap.readUInt16BE(6 + i * 8);
    const offset = cmap.readUInt32BE(8 + i * 8);
    const format = cmap.readUInt16BE(offset);
    const unicode = platform === 0 || (platform === 3 && (encoding === 1 || encoding === 10));
    if (unicode && (format === 12 || (format === 4 && bestFormat !== 12))) {
      best = offset;
      bestFormat = format;
    }
  }
  if (best < 0) throw new FontFormatError('font has no Unicode cmap (format 4 or 12)');
  if (bestFormat === 12) {
    const groups = cmap.readUInt32BE(best + 12);
    for (let g = 0; g < groups; g++) {
      const o = best + 16 + g * 12;
      const start = cmap.readUInt32BE(o);
      const end = cmap.readUInt32BE(o + 4);
      const glyph = cmap.readUInt32BE(o + 8);
      for (let c = start; c <= end; c++) map.set(c, glyph + (c - start));
    }
    return map;
  }
  const segX2 = cmap.readUInt16BE(best + 6);
  const ends = best + 14;
  const starts = ends + segX2 + 2;
  const deltas = starts + segX2;
  const rangeOffsets = deltas + segX2;
  for (let s = 0; s < segX2 / 2; s++) {
    const end = cmap.readUInt16BE(ends + s * 2);
    const start = cmap.readUInt16BE(starts + s * 2);
    const delta = cmap.readInt16BE(deltas + s * 2);
    const ro = cmap.readUInt16BE(rangeOffsets + s * 2);
    for (let c = start; c <= end && c !== 0xffff; c++) {
      let glyph: number;
      if (ro === 0) glyph = (c + delta) & 0xffff;
      else {
        const at = rangeOffsets + s * 2 + ro + (c - start) * 2;
        const g = cmap.readUInt16BE(at);
        glyph = g === 0 ? 0 : (g + delta) & 0xffff;
      }
      if (glyph !== 0) map.set(c, glyph);
    }
  }
  return map;
}

export function readFontMetrics(data: Buffer): FontMetrics {
  const tables = woffTables(data);
  const head = need(tables, 'head');
  const hhea = need(tables, 'hhea');
  const hmtx = need(tables, 'hmtx');
  const os2 = need(tables, 'OS/2');
  const unitsPerEm = head.readUInt16BE(18);
  const numberOfHMetrics = hhea.readUInt16BE(34);
  // sCapHeight exists from OS/2 version 2 on; fall back to a typical sans-serif ratio.
  const capHeight = os2.readUInt16BE(0) >= 2 && os2.length >= 90 ? os2.readInt16BE(88) : Math.round(unitsPerEm * 0.7);
  const cmap = readCmap(need(tables, 'cmap'));
  const lastAdvance = hmtx.readUInt16BE((numberOfHMetrics - 1) * 4);
  return {
    unitsPerEm,
    capHeightRatio: capHeight / unitsPerEm,
    advance(cp) {
      const glyph = cmap.get(cp);
      if (glyph === undefined) return undefined;
      const adv = glyph < numberOfHMetrics ? hmtx.readUInt16BE(glyph * 4) : lastAdvance;
      return adv / unitsPerEm;
    },
  };
}
