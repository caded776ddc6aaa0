// FrameParser on raw bytes: splits, noise, corruption, oversize and a megabyte of garbage.
import { describe, it, expect } from 'vitest';
import { crc32 } from 'node:zlib';
import type { FrameRejection } from '../../src/protocol/index.js';
import { FRAME_MAGIC, FrameParser, MAX_FRAME_BODY, MAX_FRAME_BYTES, crc32Hex, decodeMessage, encodeFrame, encodeMessage } from '../../src/protocol/index.js';
import { EXAMPLES, prng } from './examples.js';

const bytes = (s: string): Buffer => Buffer.from(s, 'utf8');

function parserWithLog(): { parser: FrameParser; rejections: FrameRejection[] } {
  const rejections: FrameRejection[] = [];
  return { parser: new FrameParser((r) => rejections.push(r)), rejections };
}

/** A frame around an arbitrary body without encodeFrame's escaping or length check. */
function rawFrame(body: string, sum = crc32Hex(body)): string {
  return `${FRAME_MAGIC}${body}*${sum}\n`;
}

const BODY_A = encodeMessage(EXAMPLES.fuel);
const BODY_B = encodeMessage(EXAMPLES.battery);
const FRAME_A = encodeFrame(BODY_A);
const FRAME_B = encodeFrame(BODY_B);

describe('crc32Hex', () => {
  it('is CRC-32/IEEE as 8 lowercase hex digits (check value of "123456789")', () => {
    expect(crc32Hex('123456789')).toBe('cbf43926');
    expect(crc32Hex('')).toBe('00000000');
    expect(crc32Hex(bytes('é'))).toBe((crc32(bytes('é')) >>> 0).toString(16).padStart(8, '0'));
  });
});

describe('encodeFrame', () => {
  it('wraps the body in magic, checksum and a line end', () => {
    expect(FRAME_A).toBe(`#NS${BODY_A}*${crc32Hex(BODY_A)}\n`);
  });

  it("escapes '#' so the magic never occurs inside a body", () => {
    const frame = encodeFrame(JSON.stringify({ note: '#NS #1' }));
    expect(frame.indexOf('#', 1)).toBe(-1);
    expect(frame).toContain('\\u0023NS \\u00231');
  });

  it('refuses bodies over MAX_FRAME_BODY bytes (counting UTF-8 bytes)', () => {
    const fits = JSON.stringify('x'.repeat(MAX_FRAME_BODY - 2));
    expect(() => encodeFrame(fits)).not.toThrow();
    expect(() => encodeFrame(JSON.stringify('x'.repeat(MAX_FRAME_BODY - 1)))).toThrow(RangeError);
    // 'é' is 2 bytes: 512 of them plus quotes is 1026 bytes although only 514 characters.
    expect(() => encodeFrame(JSON.stringify('é'.repeat(512)))).toThrow(RangeError);
    // '#' grows to 6 bytes when escaped: the limit applies after escaping.
    expect(() => encodeFrame(JSON.stringify('#'.repeat(200)))).toThrow(RangeError);
  });
});

describe('FrameParser', () => {
  it('accepts one frame', () => {
    const { parser, rejections } = parserWithLog();
    expect(parser.push(bytes(FRAME_A))).toEqual([BODY_A]);
    expect(parser.stats).toEqual({ frames: 1, corrupt: 0, oversize: 0, noiseBytes: 0 });
    expect(rejections).toEqual([]);
    expect(parser.buffered).toBe(0);
  });

  it('accepts a frame split across two chunks at every byte position', () => {
    // Non-ASCII text makes some splits fall inside a multi-byte UTF-8 sequence.
    const body = encodeMessage({ ...EXAMPLES.result, body: { cmd: 1, ok: false, error: 'vóór #3 — te heet' } });
    const frame = bytes(encodeFrame(body));
    for (let cut = 0; cut <= frame.length; cut++) {
      const parser = new FrameParser();
      const out = [...parser.push(frame.subarray(0, cut)), ...parser.push(frame.subarray(cut))];
      expect(out, `cut at ${cut}`).toEqual([body.replace(/#/g, '\\u0023')]);
      expect(decodeMessage(out[0]!)).toMatchObject({ body: { error: 'vóór #3 — te heet' } });
      expect(parser.buffered).toBe(0);
    }
  });

  it('accepts a frame fed one byte at a time', () => {
    const parser = new FrameParser();
    const out: string[] = [];
    for (const b of bytes(FRAME_A + FRAME_B)) out.push(...parser.push(Uint8Array.of(b)));
    expect(out).toEqual([BODY_A, BODY_B]);
    expect(parser.stats.corrupt).toBe(0);
  });

  it('accepts several frames in one chunk, in order', () => {
    const parser = new FrameParser();
    expect(parser.push(bytes(FRAME_A + FRAME_B + FRAME_A))).toEqual([BODY_A, BODY_B, BODY_A]);
    expect(parser.stats.frames).toBe(3);
  });

  it('accepts CRLF line ends and an upper-case checksum', () => {
    const parser = new FrameParser();
    const upper = `${FRAME_MAGIC}${BODY_A}*${crc32Hex(BODY_A).toUpperCase()}\r\n`;
    expect(parser.push(bytes(FRAME_A.replace('\n', '\r\n') + upper))).toEqual([BODY_A, BODY_A]);
  });

  it('counts a bad checksum as corrupt and still accepts the next frame', () => {
    const { parser, rejections } = parserWithLog();
    const badSum = rawFrame(BODY_A, crc32Hex(BODY_A + 'x'));
    const flipped = FRAME_A.replace('"ok"', '"OK"');
    expect(parser.push(bytes(badSum + flipped + FRAME_B))).toEqual([BODY_B]);
    expect(parser.stats).toMatchObject({ frames: 1, corrupt: 2, oversize: 0 });
    expect(rejections).toEqual([
      { reason: 'corrupt', detail: 'checksum mismatch' },
      { reason: 'corrupt', detail: 'checksum mismatch' },
    ]);
  });

  it('counts a missing or truncated checksum as corrupt', () => {
    const { parser, rejections } = parserWithLog();
    const sum = crc32Hex(BODY_A);
    const input = [
      `${FRAME_MAGIC}${BODY_A}\n`,
      `${FRAME_MAGIC}${BODY_A}*\n`,
      `${FRAME_MAGIC}${BODY_A}*${sum.slice(0, 7)}\n`,
      `${FRAME_MAGIC}${BODY_A}*${sum}0\n`,
      `${FRAME_MAGIC}\n`,
      FRAME_B,
    ].join('');
    expect(parser.push(bytes(input))).toEqual([BODY_B]);
    expect(parser.stats.corrupt).toBe(5);
    expect(rejections.every((r) => r.reason === 'corrupt' && r.detail === 'missing checksum')).toBe(true);
  });

  it("uses the last '*' as the checksum separator, so bodies may contain '*'", () => {
    const body = JSON.stringify({ note: 'a*b*c' });
    expect(new FrameParser().push(bytes(encodeFrame(body)))).toEqual([body]);
  });

  it("accepts bodies that contained '#' (escaped) and decodes them back", () => {
    const msg = { ...EXAMPLES.hb, body: { ...EXAMPLES.hb.body, fw: '#NS-#1' } };
    const frame = encodeFrame(encodeMessage(msg));
    const parser = new FrameParser();
    const [body] = parser.push(bytes(frame));
    expect(decodeMessage(body!)).toEqual(msg);
    expect(parser.stats.corrupt).toBe(0);
  });

  it('ignores Espruino console noise around and between frames', () => {
    const { parser, rejections } = parserWithLog();
    const noise1 = '\r\x1b[J>Serial1.setConsole()\r\n=undefined\r\n>';
    const noise2 = '\r\x1b[JUncaught Error: Function "foo" not found!\r\n at line 1 col 1\r\nfoo()\r\n^\r\n>';
    const noise3 = '\r\n>\r\x1b[J\r\n';
    const input = noise1 + FRAME_A + noise2 + FRAME_B + noise3 + FRAME_A.replace('\n', '\r\n') + '>';
    const out = parser.push(bytes(input));
    expect(out).toEqual([BODY_A, BODY_B, BODY_A]);
    expect(rejections).toEqual([]);
    expect(parser.stats.noiseBytes + parser.buffered).toBe(bytes(noise1 + noise2 + noise3 + '>').length);
  });

  it('rejects an echoed command that contains the magic, then accepts the next frame', () => {
    const { parser, rejections } = parserWithLog();
    const echo = `>Serial1.write("#NS{}*00000000")\r\n=undefined\r\n`;
    expect(parser.push(bytes(echo + FRAME_A))).toEqual([BODY_A]);
    expect(rejections).toEqual([{ reason: 'corrupt', detail: 'missing checksum' }]);
  });

  it('resyncs on a new frame that interrupts one mid-way', () => {
    const { parser, rejections } = parserWithLog();
    const cut = FRAME_A.slice(0, 40);
    expect(parser.push(bytes(cut + FRAME_B))).toEqual([BODY_B]);
    expect(rejections).toEqual([{ reason: 'corrupt', detail: 'frame interrupted by a new frame' }]);
    // Also when the interruption arrives in a later chunk, split inside the new magic.
    const p2 = new FrameParser();
    expect(p2.push(bytes(cut + '#N'))).toEqual([]);
    expect(p2.push(bytes(FRAME_B.slice(2)))).toEqual([BODY_B]);
    expect(p2.stats).toMatchObject({ frames: 1, corrupt: 1 });
  });

  it('accepts a body of exactly MAX_FRAME_BODY bytes and rejects a longer one as oversize', () => {
    const { parser, rejections } = parserWithLog();
    const max = JSON.stringify('x'.repeat(MAX_FRAME_BODY - 2));
    const over = JSON.stringify('x'.repeat(MAX_FRAME_BODY - 1));
    const over2 = JSON.stringify('x'.repeat(MAX_FRAME_BODY));
    // Valid checksums: only the length may make the parser refuse them.
    expect(parser.push(bytes(rawFrame(max) + rawFrame(over) + rawFrame(over2) + FRAME_A))).toEqual([max, BODY_A]);
    expect(parser.stats).toMatchObject({ frames: 2, oversize: 2, corrupt: 0 });
    expect(rejections.map((r) => r.reason)).toEqual(['oversize', 'oversize']);
  });

  it('drops an endless candidate as oversize once, keeps the buffer bounded, and catches the next frame', () => {
    const { parser, rejections } = parserWithLog();
    const endless = FRAME_MAGIC + 'y'.repeat(5000);
    // Arrives in 100-byte chunks; the next frame's magic is split across the last two chunks.
    const chunks: Buffer[] = [];
    for (let i = 0; i < endless.length; i += 100) chunks.push(bytes(endless.slice(i, i + 100)));
    chunks.push(bytes('#N'), bytes(FRAME_A.slice(2)));
    const out: string[] = [];
    for (const c of chunks) {
      out.push(...parser.push(c));
      expect(parser.buffered).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    }
    expect(out).toEqual([BODY_A]);
    expect(rejections).toEqual([{ reason: 'oversize', detail: `no line end within ${MAX_FRAME_BYTES} bytes` }]);
  });

  it('keeps a magic split at the end of the chunk that overflows a candidate', () => {
    const parser = new FrameParser();
    expect(parser.push(bytes(FRAME_MAGIC + 'y'.repeat(MAX_FRAME_BYTES + 10) + '#N'))).toEqual([]);
    expect(parser.push(bytes(FRAME_A.slice(2)))).toEqual([BODY_A]);
    expect(parser.stats).toMatchObject({ frames: 1, oversize: 1 });
  });

  it('counts an overlong candidate interrupted by a new frame as oversize', () => {
    const { parser, rejections } = parserWithLog();
    expect(parser.push(bytes(FRAME_MAGIC + 'z'.repeat(2 * MAX_FRAME_BYTES) + FRAME_A))).toEqual([BODY_A]);
    expect(rejections.map((r) => r.reason)).toEqual(['oversize']);
  });

  it('survives 1 MB of random bytes with valid and corrupt frames sprinkled in', () => {
    const rand = prng(0x5eed);
    const { parser, rejections } = parserWithLog();
    const sent: string[] = [];
    const got: string[] = [];
    let corruptSent = 0;
    let magicsInNoise = 0;
    let total = 0;
    let maxBuffered = 0;
    const feed = (data: Buffer) => {
      // Random chunking, independent of frame boundaries.
      for (let i = 0; i < data.length; ) {
        const n = 1 + Math.floor(rand() * 700);
        got.push(...parser.push(data.subarray(i, i + n)));
        maxBuffered = Math.max(maxBuffered, parser.buffered);
        i += n;
      }
      total += data.length;
    };
    let n = 0;
    while (total < 1 << 20) {
      const noise = Buffer.alloc(Math.floor(rand() * 4000));
      for (let i = 0; i < noise.length; i++) noise[i] = Math.floor(rand() * 256);
      // Make magics in the noise likely enough to exercise resync: plant one now and then.
      if (rand() < 0.2) bytes(FRAME_MAGIC).copy(noise, Math.floor(rand() * Math.max(1, noise.length - 3)));
      for (let i = noise.indexOf(FRAME_MAGIC); i >= 0; i = noise.indexOf(FRAME_MAGIC, i + 1)) magicsInNoise++;
      feed(noise);
      const msg = { ...EXAMPLES.visitors, seq: n++, body: { entries: n, exits: 0, inside: n } };
      const frame = bytes(encodeFrame(encodeMessage(msg)));
      if (rand() < 0.25) {
        // Flip one bit inside the body: the CRC must catch it.
        const at = 3 + Math.floor(rand() * (frame.length - 13));
        frame[at] = frame[at]! ^ (1 << Math.floor(rand() * 7));
        if (frame[at] === 0x0a || frame[at] === 0x23) frame[at] = 0x20; // keep it one candidate
        corruptSent++;
      } else {
        sent.push(encodeMessage(msg));
      }
      feed(frame);
    }
    expect(total).toBeGreaterThanOrEqual(1 << 20);
    expect(got).toEqual(sent);
    expect(sent.length).toBeGreaterThan(100);
    expect(corruptSent).toBeGreaterThan(20);
    // Every corrupted frame is rejected; each magic in the noise causes at most one more rejection.
    expect(parser.stats.corrupt).toBeGreaterThanOrEqual(corruptSent);
    expect(parser.stats.corrupt + parser.stats.oversize).toBeLessThanOrEqual(corruptSent + magicsInNoise);
    expect(rejections.length).toBe(parser.stats.corrupt + parser.stats.oversize);
    expect(parser.stats.frames).toBe(sent.length);
    expect(maxBuffered).toBeLessThanOrEqual(MAX_FRAME_BYTES);
    expect(parser.stats.noiseBytes).toBeGreaterThan(total / 2);
  });
});
