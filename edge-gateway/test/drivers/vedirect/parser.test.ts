// VeDirectParser on the real BMV-700 capture and on damaged, interleaved and random byte streams.
import { describe, it, expect } from 'vitest';
import type { VeDirectRejection } from '../../../src/drivers/vedirect/index.js';
import { MAX_BUFFERED, MAX_FIELDS, VeDirectParser, encodeBlock } from '../../../src/drivers/vedirect/index.js';
import { DUMP, DUMP_BLOCKS, byteSum, chunks, naiveBlocks, randomBytes, rng } from './capture.js';

type Fields = [string, string][];

function parse(parts: Iterable<Uint8Array>): { blocks: Fields[]; parser: VeDirectParser; rejections: VeDirectRejection[] } {
  const rejections: VeDirectRejection[] = [];
  const parser = new VeDirectParser((r) => rejections.push(r));
  const blocks: Fields[] = [];
  for (const part of parts) for (const b of parser.push(part)) blocks.push([...b.fields]);
  return { blocks, parser, rejections };
}

const NAIVE = naiveBlocks(DUMP);
const ALL = NAIVE.map((b) => b.fields);
/** The first few blocks: small enough to re-parse once per byte position. */
const HEAD = DUMP.subarray(0, NAIVE[5]!.end);
const HEAD_BLOCKS = ALL.slice(0, 6);

const splice = (data: Buffer, at: number, insert: string | Buffer): Buffer =>
  Buffer.concat([data.subarray(0, at), typeof insert === 'string' ? Buffer.from(insert, 'latin1') : insert, data.subarray(at)]);

describe('the BMV-700 capture', () => {
  it('holds 906 blocks that each sum to 0 (checked without the parser)', () => {
    expect(NAIVE).toHaveLength(DUMP_BLOCKS);
    for (const b of NAIVE) expect(byteSum(DUMP.subarray(b.start, b.end))).toBe(0);
    // Seven checksum bytes are ':', the hex-frame start, which the parser must not take for one.
    expect(NAIVE.filter((b) => DUMP[b.end - 1] === 0x3a)).toHaveLength(7);
  });

  it('parses every block, identical to the naive reading, with nothing refused', () => {
    const { blocks, parser, rejections } = parse([DUMP]);
    expect(blocks).toHaveLength(DUMP_BLOCKS);
    expect(blocks).toEqual(ALL);
    expect(parser.stats).toEqual({ blocks: DUMP_BLOCKS, checksum: 0, malformed: 0, partial: 0, hexFrames: 0, bytes: DUMP.length });
    expect(rejections).toEqual([]);
    // The capture ends inside a main block: held, not emitted.
    expect(parser.buffered).toBeGreaterThan(0);
  });

  it('gives the first main and history blocks exactly as in the dump (read by hand with od -c)', () => {
    const { blocks } = parse([DUMP]);
    expect(blocks[0]).toEqual([
      ['PID', '0x203'], ['V', '12065'], ['I', '-7625'], ['P', '-92'], ['CE', '-65473'], ['SOC', '839'],
      ['TTG', '942'], ['Alarm', 'OFF'], ['Relay', 'OFF'], ['AR', '0'], ['BMV', '700'], ['FW', '0308'],
    ]);
    expect(blocks[1]).toEqual([
      ['H1', '-149322'], ['H2', '-82854'], ['H3', '0'], ['H4', '0'], ['H5', '0'], ['H6', '-5526294'], ['H7', '11733'],
      ['H8', '16161'], ['H9', '368003'], ['H10', '26'], ['H11', '0'], ['H12', '0'], ['H17', '6843'], ['H18', '8527'],
    ]);
    // Block 3 (second main block): checksum byte 'm'; V unchanged, I -7626, CE -65476.
    expect(new Map(blocks[2])).toEqual(new Map([...new Map(blocks[0]!), ['I', '-7626'], ['CE', '-65476']]));
  });

  it('gives the same blocks one byte at a time and in random chunks', () => {
    const bytes = [...DUMP].map((b) => Uint8Array.of(b));
    expect(parse(bytes).blocks).toEqual(ALL);
    for (const seed of [1, 2, 3]) expect(parse(chunks(DUMP, rng(seed), 300)).blocks).toEqual(ALL);
  });

  it('gives the same blocks for a stream split at every position', () => {
    for (let i = 0; i <= HEAD.length; i++) {
      const r = parse([HEAD.subarray(0, i), HEAD.subarray(i)]);
      expect(r.blocks, `split at ${i}`).toEqual(HEAD_BLOCKS);
      expect(r.parser.stats.checksum + r.parser.stats.malformed + r.parser.stats.partial).toBe(0);
    }
  });
});

describe('checksum and structure errors', () => {
  it('drops a block with a flipped digit, counts it, and accepts the next', () => {
    const b = NAIVE[2]!;
    const at = DUMP.indexOf('12065', b.start, 'latin1');
    const bad = Buffer.from(DUMP);
    bad[at] = '2'.charCodeAt(0);
    const r = parse([bad]);
    expect(r.blocks).toEqual([...ALL.slice(0, 2), ...ALL.slice(3)]);
    expect(r.parser.stats).toMatchObject({ blocks: DUMP_BLOCKS - 1, checksum: 1, malformed: 0 });
    expect(r.rejections).toHaveLength(1);
    expect(r.rejections[0]).toMatchObject({ reason: 'checksum' });
    expect(r.rejections[0]!.detail).toContain('0x01');
  });

  it('loses only the damaged block whichever byte of it is flipped', () => {
    for (const k of [2, 3]) {
      const b = NAIVE[k]!;
      const label = DUMP.indexOf('Checksum', b.start, 'latin1');
      for (let p = b.start; p < b.end; p++) {
        const bad = Buffer.from(HEAD);
        bad[p] = bad[p]! ^ 0x01;
        const r = parse([bad]);
        const inLabel = p >= label - 1 && p <= label + 'Checksum'.length;
        // A damaged `\nChecksum\t` hides the block's end: it runs into the next one, and both go.
        const lost = inLabel ? [k, k + 1] : [k];
        expect(r.blocks, `block ${k}, byte ${p - b.start} flipped`).toEqual(HEAD_BLOCKS.filter((_, i) => !lost.includes(i)));
        expect(r.parser.stats.checksum + r.parser.stats.malformed, `byte ${p - b.start}`).toBe(1);
        expect(r.rejections).toHaveLength(1);
      }
    }
  });

  it('drops a block with a flipped checksum byte or a lost byte', () => {
    const b = NAIVE[4]!;
    const flipped = Buffer.from(HEAD);
    flipped[b.end - 1] = flipped[b.end - 1]! + 1;
    expect(parse([flipped]).blocks).toEqual(HEAD_BLOCKS.filter((_, i) => i !== 4));
    const lost = Buffer.concat([HEAD.subarray(0, b.start + 20), HEAD.subarray(b.start + 21)]);
    expect(parse([lost]).blocks).toEqual(HEAD_BLOCKS.filter((_, i) => i !== 4));
  });

  it('refuses garbage inside a block as malformed and resyncs at the block end', () => {
    const b = NAIVE[2]!;
    const cases: [string, string | Buffer, RegExp][] = [
      ['a control byte in a value', '\x01', /byte 0x01 in the value/],
      ['a line without a tab', '\r\nNOTAB', /line without a tab/],
      ['an overlong value', `\r\nX\t${'9'.repeat(100)}`, /longer than/],
      ['an overlong label', `\r\n${'L'.repeat(100)}\t1`, /label longer than/],
      ['a duplicate field', '\r\nV\t1', /V twice/],
      ['a high byte', Buffer.of(0xff), /byte 0xff/],
    ];
    for (const [what, junk, detail] of cases) {
      // Insert just before the block's `\r\nChecksum`.
      const at = DUMP.indexOf('\r\nChecksum', b.start, 'latin1');
      const r = parse([splice(HEAD, at, junk)]);
      expect(r.blocks, what).toEqual(HEAD_BLOCKS.filter((_, i) => i !== 2));
      expect(r.parser.stats, what).toMatchObject({ malformed: 1, checksum: 0 });
      expect(r.rejections.map((x) => x.reason), what).toEqual(['malformed']);
      expect(r.rejections[0]!.detail, what).toMatch(detail);
    }
  });

  it(`refuses a block of more than ${MAX_FIELDS} fields and keeps at most that many`, () => {
    const many = Array.from({ length: MAX_FIELDS + 1 }, (_, i) => [`F${i}`, String(i)] as const);
    const ok = Array.from({ length: MAX_FIELDS }, (_, i) => [`F${i}`, String(i)] as const);
    const r = parse([encodeBlock([['PID', '0x203']]), encodeBlock(many), encodeBlock(ok)]);
    expect(r.blocks).toEqual([[['PID', '0x203']], ok]);
    expect(r.rejections.map((x) => x.detail)).toEqual([`more than ${MAX_FIELDS} fields in one block`]);
  });

  it('drops the block already under way when it starts listening, silently', () => {
    const b = NAIVE[2]!;
    // Starting on a checksum byte: it reads as garbage, so the next block is the partial one.
    for (const [from, first] of [[b.start + 1, 3], [b.start + 7, 3], [b.end - 1, 4]] as const) {
      const r = parse([HEAD.subarray(from)]);
      expect(r.blocks).toEqual(HEAD_BLOCKS.slice(first));
      expect(r.parser.stats).toMatchObject({ partial: 1, checksum: 0, malformed: 0 });
      expect(r.rejections).toEqual([]);
    }
    // reset() forgets a block cut off by a disconnect.
    const p = new VeDirectParser();
    p.push(HEAD.subarray(0, b.start + 30));
    p.reset();
    expect(p.push(HEAD.subarray(b.start + 30)).map((x) => [...x.fields])).toEqual(HEAD_BLOCKS.slice(3));
    expect(p.stats.partial).toBe(1);
  });
});

describe('hex frames', () => {
  // A ping answer and a register reply (VE.Direct HEX: `:` command nibble, hex payload, checksum, `\n`).
  const PING = ':51641F9\n';
  const GET = ':7F0ED0071\n';

  it('skips hex frames between blocks and anywhere inside one, outside the checksum', () => {
    const b = NAIVE[2]!;
    const v = DUMP.indexOf('\r\nV\t12065', b.start, 'latin1');
    const places = [
      ['between blocks', b.start],
      ['between \\r and \\n', b.start + 1],
      ['at the start of a label', v + 2],
      ['inside a label', DUMP.indexOf('Alarm', b.start, 'latin1') + 2],
      ['right after a tab', v + 4],
      ['inside a value', v + 6],
      ['before the checksum label', DUMP.indexOf('\r\nChecksum', b.start, 'latin1')],
      ['inside the checksum label', DUMP.indexOf('Checksum', b.start, 'latin1') + 3],
      ['after the checksum byte', b.end],
    ] as const;
    for (const [where, at] of places) {
      const data = splice(HEAD, at, PING + GET);
      const r = parse([data]);
      expect(r.blocks, where).toEqual(HEAD_BLOCKS);
      expect(r.parser.stats, where).toMatchObject({ hexFrames: 2, checksum: 0, malformed: 0 });
    }
  });

  it('skips them in a stream split at every position', () => {
    const b = NAIVE[3]!;
    const data = splice(splice(HEAD, b.start + 9, GET), NAIVE[1]!.end, PING);
    for (let i = 0; i <= data.length; i++) {
      const r = parse([data.subarray(0, i), data.subarray(i)]);
      expect(r.blocks, `split at ${i}`).toEqual(HEAD_BLOCKS);
      expect(r.parser.stats.hexFrames).toBe(2);
    }
  });

  it('takes a `:` right after `Checksum\\t` as the checksum byte', () => {
    const withColon = NAIVE.find((b) => DUMP[b.end - 1] === 0x3a)!;
    const data = DUMP.subarray(withColon.start, withColon.end + 200);
    const r = parse([data]);
    expect(r.blocks[0]).toEqual(withColon.fields);
  });

  it('treats a runaway or broken hex frame as garbage and recovers', () => {
    const b = NAIVE[2]!;
    const runaway = splice(HEAD, b.start + 9, ':' + 'A'.repeat(1000));
    const r1 = parse([runaway]);
    expect(r1.blocks).toEqual(HEAD_BLOCKS.filter((_, i) => i !== 2));
    expect(r1.rejections.map((x) => x.detail)).toEqual(['hex frame longer than 256 bytes']);
    const broken = splice(HEAD, b.start + 9, ':7F0Q');
    const r2 = parse([broken]);
    expect(r2.blocks).toEqual(HEAD_BLOCKS.filter((_, i) => i !== 2));
    expect(r2.parser.stats.malformed).toBe(1);
  });
});

describe('random garbage', () => {
  it('survives 1 MB of seeded random bytes with bounded memory, then parses the capture', () => {
    const next = rng(0x5eed);
    const garbage = randomBytes(next, 1 << 20);
    const parser = new VeDirectParser();
    let maxHeld = 0;
    for (const part of chunks(garbage, next, 4096)) {
      expect(parser.push(part)).toEqual([]);
      maxHeld = Math.max(maxHeld, parser.buffered);
    }
    expect(maxHeld).toBeLessThanOrEqual(MAX_BUFFERED);
    expect(parser.stats.bytes).toBe(1 << 20);
    // Garbage hides where blocks begin: the parser resyncs within two blocks.
    const blocks = parser.push(DUMP).map((b) => [...b.fields]);
    expect(blocks.length).toBeGreaterThanOrEqual(DUMP_BLOCKS - 2);
    expect(blocks).toEqual(ALL.slice(DUMP_BLOCKS - blocks.length));
  });

  it('loses exactly the block after each burst of garbage between blocks', () => {
    const next = rng(42);
    const parts: Buffer[] = [];
    const expected: Fields[] = [];
    let bursts = 0;
    let skipNext = false;
    for (const b of NAIVE) {
      if (next() < 0.2) {
        parts.push(randomBytes(next, 1 + Math.floor(next() * 2000)));
        bursts++;
        skipNext = true;
      }
      parts.push(DUMP.subarray(b.start, b.end));
      if (!skipNext) expected.push(b.fields);
      skipNext = false;
    }
    const r = parse(chunks(Buffer.concat(parts), next, 1000));
    expect(bursts).toBeGreaterThan(100);
    expect(r.blocks).toEqual(expected);
    expect(r.blocks.length).toBe(DUMP_BLOCKS - bursts);
  });

  it('never throws and stays bounded on adversarial streams', () => {
    const next = rng(7);
    const alphabet = Buffer.from('\r\n\t:Checksum0123456789ABCDEF-VPIDx\x00\xff', 'latin1');
    const parser = new VeDirectParser();
    for (let n = 0; n < 200; n++) {
      const len = Math.floor(next() * 5000);
      const b = Buffer.alloc(len);
      for (let i = 0; i < len; i++) b[i] = alphabet[Math.floor(next() * alphabet.length)]!;
      for (const block of parser.push(b)) expect(block.fields.size).toBeLessThanOrEqual(MAX_FIELDS);
      expect(parser.buffered).toBeLessThanOrEqual(MAX_BUFFERED);
    }
    expect(parser.stats.bytes).toBeGreaterThan(400_000);
  });
});
