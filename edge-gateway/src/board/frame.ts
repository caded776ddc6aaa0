// A 1-bit frame as the panel wants it: rows of ceil(width/8) bytes, MSB = leftmost pixel,
// bit set = black. Comparing frames tells the refresh policy what changed and where.

export interface Frame {
  width: number;
  height: number;
  /** ceil(width / 8) bytes per row, bit 1 = black. */
  data: Uint8Array;
}

export const rowBytes = (width: number) => Math.ceil(width / 8);

export function blankFrame(width: number, height: number): Frame {
  return { width, height, data: new Uint8Array(rowBytes(width) * height) };
}

/**
 * RGBA pixels → packed 1-bit, black where luminance is below `threshold` (0..255). A plain
 * threshold keeps text and icon edges crisp; dithering is only for photos (DESIGN §4).
 */
export function thresholdRgba(rgba: Uint8Array, width: number, height: number, threshold = 128): Frame {
  const frame = blankFrame(width, height);
  const rb = rowBytes(width);
  const t = threshold * 1000;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 4;
      const a = rgba[i + 3] ?? 0;
      // Transparent pixels are paper (white): composite over white before the threshold.
      const lum = 299 * (rgba[i] ?? 0) + 587 * (rgba[i + 1] ?? 0) + 114 * (rgba[i + 2] ?? 0);
      const onWhite = (lum * a + 255_000 * (255 - a)) / 255;
      if (onWhite < t) frame.data[y * rb + (x >> 3)]! |= 0x80 >> (x & 7);
    }
  }
  return frame;
}

export function pixel(frame: Frame, x: number, y: number): 0 | 1 {
  return ((frame.data[y * rowBytes(frame.width) + (x >> 3)] ?? 0) >> (7 - (x & 7))) & 1 ? 1 : 0;
}

export function framesEqual(a: Frame, b: Frame): boolean {
  return a.width === b.width && a.height === b.height && Buffer.from(a.data.buffer, a.data.byteOffset, a.data.length).equals(b.data);
}

/** Bounding box of changed pixels, x aligned to whole bytes (the controller's window granularity). */
export interface Rect {
  x: number;
  y: number;
  w: number;
  h: number;
}

export function diffRect(a: Frame, b: Frame): Rect | null {
  if (a.width !== b.width || a.height !== b.height) return { x: 0, y: 0, w: b.width, h: b.height };
  const rb = rowBytes(a.width);
  let minX = Infinity;
  let maxX = -1;
  let minY = Infinity;
  let maxY = -1;
  for (let y = 0; y < a.height; y++) {
    for (let bx = 0; bx < rb; bx++) {
      const i = y * rb + bx;
      if (a.data[i] !== b.data[i]) {
        if (bx < minX) minX = bx;
        if (bx > maxX) maxX = bx;
        if (y < minY) minY = y;
        maxY = y;
      }
    }
  }
  if (maxY < 0) return null;
  const x = minX * 8;
  return { x, y: minY, w: Math.min(a.width, (maxX + 1) * 8) - x, h: maxY - minY + 1 };
}

/** Copies a byte-aligned window out of a frame (rows of ceil(w/8) bytes). */
export function cropFrame(frame: Frame, r: Rect): Frame {
  if (r.x % 8 !== 0) throw new RangeError('window x must be a multiple of 8');
  const out = blankFrame(r.w, r.h);
  const src = rowBytes(frame.width);
  const dst = rowBytes(r.w);
  for (let y = 0; y < r.h; y++) {
    const from = (r.y + y) * src + r.x / 8;
    out.data.set(frame.data.subarray(from, from + dst), y * dst);
  }
  return out;
}
