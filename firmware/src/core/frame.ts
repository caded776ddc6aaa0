// Serial framing shared with edge-gateway/src/protocol/framing.ts: `#NS<json>*<crc32 8 hex>\n`.
// CRC-32 comes injected (E.CRC32 on the board) so this runs unchanged on the host.

export const MAGIC = '#NS';
/** Same bound as the gateway's MAX_FRAME_BODY: longer candidates are dropped. */
export const MAX_BODY = 1024;

export type Crc32 = (data: string) => number;

export function hex8(n: number): string {
  let s = (n >>> 0).toString(16);
  while (s.length < 8) s = '0' + s;
  return s;
}

export function encodeFrame(json: string, crc: Crc32): string {
  // '#' can only sit inside JSON strings, where \u0023 means the same: the magic never appears in a body.
  const body = json.replace(/#/g, '\\u0023');
  return MAGIC + body + '*' + hex8(crc(body)) + '\n';
}

/** Collects incoming characters into lines and returns the bodies of frames whose CRC holds. */
export class FrameReader {
  private line = '';
  /** Frames dropped for a bad checksum or length; reported in the heartbeat flags. */
  bad = 0;

  constructor(private readonly crc: Crc32) {}

  push(chunk: string): string[] {
    const out: string[] = [];
    let start = 0;
    let nl = chunk.indexOf('\n');
    while (nl >= 0) {
      this.take(this.line + chunk.substring(start, nl), out);
      this.line = '';
      start = nl + 1;
      nl = chunk.indexOf('\n', start);
    }
    this.line += chunk.substring(start);
    // Bounded: a line longer than any frame is noise.
    if (this.line.length > MAX_BODY + 16) this.line = '';
    return out;
  }

  private take(line: string, out: string[]): void {
    const at = line.lastIndexOf(MAGIC);
    if (at < 0) return;
    let end = line.length;
    if (line.charAt(end - 1) === '\r') end--;
    const star = line.lastIndexOf('*', end);
    if (star < at + MAGIC.length || end - star - 1 !== 8) {
      this.bad++;
      return;
    }
    const body = line.substring(at + MAGIC.length, star);
    if (body.length > MAX_BODY || hex8(this.crc(body)) !== line.substring(star + 1, end).toLowerCase()) {
      this.bad++;
      return;
    }
    out.push(body);
  }
}
