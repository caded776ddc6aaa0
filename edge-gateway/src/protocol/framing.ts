// Serial framing: `#NS<json>*<crc32 as 8 lowercase hex>\n`.
// The magic lets the parser resync inside console noise and binary garbage; CRC-32 (IEEE) is
// built into Espruino as E.CRC32 and into Node as zlib.crc32, so both ends compute it natively.
import { crc32 } from 'node:zlib';

export const FRAME_MAGIC = '#NS';
/** Longest JSON body accepted; longer candidates are dropped as oversize so the buffer stays bounded. */
export const MAX_FRAME_BODY = 1024;
const MAGIC = Buffer.from(FRAME_MAGIC, 'latin1');
const NL = 0x0a;
const CR = 0x0d;
const STAR = 0x2a;
const CRC_HEX = 8;
/** Longest possible frame on the wire: magic + body + '*' + crc + '\r\n'. */
export const MAX_FRAME_BYTES = MAGIC.length + MAX_FRAME_BODY + 1 + CRC_HEX + 2;

export function crc32Hex(text: string | Uint8Array): string {
  return (crc32(typeof text === 'string' ? Buffer.from(text, 'utf8') : text) >>> 0).toString(16).padStart(CRC_HEX, '0');
}

export function encodeFrame(json: string): string {
  // '#' only occurs inside JSON strings, where \u0023 means the same: the magic can never appear in a body.
  const body = json.replace(/#/g, '\\u0023');
  const bytes = Buffer.byteLength(body, 'utf8');
  if (bytes > MAX_FRAME_BODY) throw new RangeError(`frame body of ${bytes} bytes exceeds ${MAX_FRAME_BODY}`);
  return `${FRAME_MAGIC}${body}*${crc32Hex(body)}\n`;
}

export interface FrameStats {
  frames: number;
  /** Candidates with a bad checksum, missing checksum or a line break too early. */
  corrupt: number;
  /** Candidates longer than MAX_FRAME_BODY. */
  oversize: number;
  /** Bytes outside any frame (console output, garbage). */
  noiseBytes: number;
}

export type FrameRejection = { reason: 'corrupt' | 'oversize'; detail: string };

/**
 * Byte-level frame extractor. Feed it chunks as they arrive; it returns the bodies (UTF-8 text)
 * of frames whose checksum holds. Memory is bounded by MAX_FRAME_BYTES plus one chunk.
 */
export class FrameParser {
  readonly stats: FrameStats = { frames: 0, corrupt: 0, oversize: 0, noiseBytes: 0 };
  private buf: Buffer = Buffer.alloc(0);

  constructor(private readonly onReject?: (r: FrameRejection) => void) {}

  push(chunk: Uint8Array): string[] {
    const out: string[] = [];
    this.buf = this.buf.length === 0 ? Buffer.from(chunk) : Buffer.concat([this.buf, chunk]);
    let pos = 0;
    for (;;) {
      const start = this.buf.indexOf(MAGIC, pos);
      if (start < 0) {
        // Keep a tail that could be the start of a magic split across chunks.
        const keep = Math.min(MAGIC.length - 1, this.buf.length - pos);
        this.stats.noiseBytes += this.buf.length - pos - keep;
        pos = this.buf.length - keep;
        break;
      }
      this.stats.noiseBytes += start - pos;
      const bodyStart = start + MAGIC.length;
      const nl = this.buf.indexOf(NL, bodyStart);
      // A new magic before the line end means this candidate was cut off: resync there.
      const nextMagic = this.buf.indexOf(MAGIC, bodyStart);
      if (nextMagic >= 0 && (nl < 0 || nextMagic < nl)) {
        if (nextMagic - start > MAX_FRAME_BYTES) this.reject('oversize', `no line end within ${MAX_FRAME_BYTES} bytes`);
        else this.reject('corrupt', 'frame interrupted by a new frame');
        this.stats.noiseBytes += nextMagic - start;
        pos = nextMagic;
        continue;
      }
      if (nl < 0) {
        if (this.buf.length - start > MAX_FRAME_BYTES) {
          this.reject('oversize', `no line end within ${MAX_FRAME_BYTES} bytes`);
          // Keep a tail that could be the start of the next frame's magic, split across chunks.
          pos = this.buf.length - (MAGIC.length - 1);
          this.stats.noiseBytes += pos - start;
          continue;
        }
        pos = start;
        break;
      }
      let end = nl;
      if (end > bodyStart && this.buf[end - 1] === CR) end--;
      pos = nl + 1;
      // Without its line end a frame is at most magic + body + '*' + crc.
      if (end - start > MAGIC.length + MAX_FRAME_BODY + 1 + CRC_HEX) {
        this.reject('oversize', `frame of ${end - start} bytes`);
        continue;
      }
      const star = this.buf.lastIndexOf(STAR, end - 1);
      if (star < bodyStart || end - star - 1 !== CRC_HEX) {
        this.reject('corrupt', 'missing checksum');
        continue;
      }
      const body = this.buf.subarray(bodyStart, star);
      const sum = this.buf.toString('latin1', star + 1, end).toLowerCase();
      if (crc32Hex(body) !== sum) {
        this.reject('corrupt', 'checksum mismatch');
        continue;
      }
      this.stats.frames++;
      out.push(body.toString('utf8'));
    }
    this.buf = pos >= this.buf.length ? Buffer.alloc(0) : Buffer.from(this.buf.subarray(pos));
    return out;
  }

  /** Bytes held while waiting for the rest of a frame. */
  get buffered(): number {
    return this.buf.length;
  }

  private reject(reason: FrameRejection['reason'], detail: string): void {
    if (reason === 'oversize') this.stats.oversize++;
    else this.stats.corrupt++;
    this.onReject?.({ reason, detail });
  }
}
