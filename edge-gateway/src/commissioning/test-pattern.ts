// The board's test pattern: a frame border, a checkerboard and both diagonals, so a technician sees at a
// glance a dead row or column, a shifted image (wrong resolution or offset) and ghosting between refreshes.
import { blankFrame, rowBytes, type Frame } from '../board/frame.js';

export function testPatternFrame(width: number, height: number, square = 40): Frame {
  const f = blankFrame(width, height);
  const rb = rowBytes(width);
  const set = (x: number, y: number) => {
    if (x < 0 || y < 0 || x >= width || y >= height) return;
    f.data[y * rb + (x >> 3)]! |= 0x80 >> (x & 7);
  };
  const border = 6;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const edge = x < border || y < border || x >= width - border || y >= height - border;
      // Checkerboard in the middle third, so the border stays clear of it.
      const inBand = y >= height / 3 && y < (2 * height) / 3;
      if (edge || (inBand && (Math.floor(x / square) + Math.floor(y / square)) % 2 === 0)) set(x, y);
    }
  }
  for (let t = 0; t < Math.max(width, height); t++) {
    const x = Math.round((t * width) / Math.max(width, height));
    const y = Math.round((t * height) / Math.max(width, height));
    for (let d = 0; d < 3; d++) {
      set(x + d, y);
      set(width - 1 - x - d, y);
    }
  }
  return f;
}

/** Share of black pixels, recorded with the test so the report says what was drawn. */
export function blackShare(f: Frame): number {
  let black = 0;
  for (const b of f.data) for (let i = 0; i < 8; i++) black += (b >> i) & 1;
  return black / (f.width * f.height);
}
