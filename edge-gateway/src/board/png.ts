// 1-bit greyscale PNG, written and read with node:zlib: small golden files and simulator frames
// without another dependency. The reader only accepts what the writer produces (filter 0).
import { deflateSync, inflateSync, crc32 } from 'node:zlib';
import { blankFrame, rowBytes, type Frame } from './frame.js';

const SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

export class PngFormatError extends Error {
  override name = 'PngFormatError';
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length);
  out.writeUInt32BE(data.length, 0);
  out.write(type, 4, 'latin1');
  data.copy(out, 8);
  out.writeUInt32BE(crc32(out.subarray(4, 8 + data.length)) >>> 0, 8 + data.length);
  return out;
}

/** PNG greyscale bit depth 1 stores 1 = white; the frame stores 1 = black, so bits are inverted. */
export function encodePng(frame: Frame): Buffer {
  const rb = rowBytes(frame.width);
  const raw = Buffer.alloc((rb + 1) * frame.height);
  for (let y = 0; y < frame.height; y++) {
    raw[y * (rb + 1)] = 0;
    for (let b = 0; b < rb; b++) raw[y * (rb + 1) + 1 + b] = ~(frame.data[y * rb + b] ?? 0) & 0xff;
  }
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(frame.width, 0);
  ihdr.writeUInt32BE(frame.height, 4);
  ihdr[8] = 1; // bit depth
  ihdr[9] = 0; // greyscale
  return Buffer.concat([SIGNATURE, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(raw, { level: 9 })), chunk('IEND', Buffer.alloc(0))]);
}

export function decodePng(png: Buffer): Frame {
  if (!png.subarray(0, 8).equals(SIGNATURE)) throw new PngFormatError('not a PNG');
  let pos = 8;
  let width = 0;
  let height = 0;
  const idat: Buffer[] = [];
  while (pos < png.length) {
    const len = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const data = png.subarray(pos + 8, pos + 8 + len);
    if (type === 'IHDR') {
      width = data.readUInt32BE(0);
      height = data.readUInt32BE(4);
      if (data[8] !== 1 || data[9] !== 0 || data[12] !== 0) throw new PngFormatError('only 1-bit greyscale, non-interlaced PNGs are read');
    } else if (type === 'IDAT') idat.push(data);
    pos += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(idat));
  const rb = rowBytes(width);
  const frame = blankFrame(width, height);
  for (let y = 0; y < height; y++) {
    if (raw[y * (rb + 1)] !== 0) throw new PngFormatError('only filter type 0 is read');
    for (let b = 0; b < rb; b++) frame.data[y * rb + b] = ~(raw[y * (rb + 1) + 1 + b] ?? 0) & 0xff;
  }
  return frame;
}
