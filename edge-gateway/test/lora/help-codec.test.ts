// The citizen-help aggregate frame (fPort 11): round trip, sizes against the DR0 payload limit, saturation,
// and malformed frames refused with the codec's typed errors.
import { describe, it, expect } from 'vitest';
import { decodeFrame, decodeMessage, encodeFrames, encodeMessage, FrameDecodeError, FrameEncodeError, HELP_MAX_CATEGORIES, KINDS, NEED_CATEGORIES } from '../../src/lora/codec/index.js';
import type { HelpCategoryCounts, HelpMessage } from '../../src/lora/codec/index.js';
import { crc8 } from '../../src/lora/codec/crc8.js';
import { maxPayloadAt } from '../../src/drivers/lora-modem/index.js';

const entry = (category: HelpCategoryCounts['category'], n: number, rank = 0): HelpCategoryCounts => ({
  category,
  rank,
  requestsOpen: n,
  requestsMatched: n % 64,
  requestsDone: (n * 3) % 128,
  offersOpen: (n * 5) % 128,
  offersMatched: (n * 7) % 64,
  offersDone: (n * 11) % 128,
});

const thrown = (fn: () => unknown): unknown => {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('did not throw');
};

/** A frame with a correct CRC around the given body bytes (to reach the field checks). */
const framed = (body: number[]) => {
  const b = Uint8Array.from(body);
  return Uint8Array.from([...b, crc8(b)]);
};

describe('help aggregate frame (fPort 11)', () => {
  it('is an uplink kind of its own, apart from the 12-byte status', () => {
    expect(KINDS.help).toMatchObject({ port: 11, dir: 'up', hasId: false });
    expect(Object.values(KINDS).filter((k) => k.port === 11)).toHaveLength(1);
    const status = encodeMessage({ kind: 'status', fuelPct: 1, hoursToEmpty: 1, batteryPct: 1, batteryV: 12, generator: 'off', visitorsPresent: 0, visitorsLastHour: 0, chargingW: 0, chargingSessions: 0, alarms: [], link: 'ip_down' });
    expect(status.bytes.length).toBe(12);
  });

  it('round-trips, 2 bytes + 6 per category', () => {
    const msg: HelpMessage = { kind: 'help', cut: false, categories: [entry('water', 12, 1), entry('medication', 3, 2), entry('elderly_care', 0)] };
    const f = encodeMessage(msg);
    expect(f.port).toBe(11);
    expect(f.bytes.length).toBe(2 + 3 * 6);
    expect(decodeFrame(f.port, f.bytes)).toEqual(msg);
    const empty = encodeMessage({ kind: 'help', cut: false, categories: [] });
    expect(empty.bytes.length).toBe(2);
    expect(decodeFrame(11, empty.bytes)).toEqual({ kind: 'help', cut: false, categories: [] });
    const cut: HelpMessage = { kind: 'help', cut: true, categories: [entry('fuel', 127, 3)] };
    expect(decodeFrame(11, encodeMessage(cut).bytes)).toEqual(cut);
  });

  it('fits the largest frame (8 categories) into one DR0 payload of 51 bytes, unfragmented', () => {
    const categories = NEED_CATEGORIES.slice(0, HELP_MAX_CATEGORIES).map((c, i) => entry(c, 127 - i, i < 3 ? i + 1 : 0));
    const msg: HelpMessage = { kind: 'help', cut: true, categories };
    const frames = encodeFrames(msg, maxPayloadAt(0));
    expect(frames).toHaveLength(1);
    expect(frames[0]!.port).toBe(11);
    expect(frames[0]!.bytes.length).toBe(50);
    expect(maxPayloadAt(0)).toBe(51);
    expect(frames[0]!.bytes.length).toBeLessThanOrEqual(maxPayloadAt(0));
    expect(decodeFrame(11, frames[0]!.bytes)).toEqual(msg);
  });

  it('saturates counts at 127 open/done and 63 matched', () => {
    const big: HelpCategoryCounts = { category: 'food', rank: 0, requestsOpen: 500, requestsMatched: 64, requestsDone: 1000, offersOpen: 128, offersMatched: 99, offersDone: 128 };
    const back = decodeFrame(11, encodeMessage({ kind: 'help', cut: false, categories: [big] }).bytes) as HelpMessage;
    expect(back.categories[0]).toEqual({ category: 'food', rank: 0, requestsOpen: 127, requestsMatched: 63, requestsDone: 127, offersOpen: 127, offersMatched: 63, offersDone: 127 });
  });

  it('refuses to encode more than 8 categories, an unknown category or a rank beyond 3', () => {
    const nine = NEED_CATEGORIES.slice(0, 9).map((c) => entry(c, 1));
    expect(() => encodeMessage({ kind: 'help', cut: true, categories: nine })).toThrow(FrameEncodeError);
    expect(() => encodeMessage({ kind: 'help', cut: false, categories: [{ ...entry('water', 1), category: 'soup' as never }] })).toThrow(FrameEncodeError);
    expect(() => encodeMessage({ kind: 'help', cut: false, categories: [{ ...entry('water', 1), rank: 4 }] })).toThrow(FrameEncodeError);
    expect(() => encodeMessage({ kind: 'help', cut: 'no' as never, categories: [] })).toThrow(FrameEncodeError);
  });

  it('rejects truncated and malformed frames with typed FrameDecodeErrors', () => {
    const code = (bytes: Uint8Array) => (thrown(() => decodeFrame(11, bytes)) as FrameDecodeError).code;
    const good = encodeMessage({ kind: 'help', cut: false, categories: [entry('water', 5, 1), entry('food', 2)] }).bytes;
    // every truncation: the CRC no longer matches, or nothing is left
    for (let n = 0; n < good.length; n++) {
      const err = thrown(() => decodeFrame(11, good.subarray(0, n)));
      expect(err).toBeInstanceOf(FrameDecodeError);
      expect(['truncated', 'checksum']).toContain((err as FrameDecodeError).code);
    }
    expect(code(new Uint8Array(0))).toBe('truncated');
    expect(code(Uint8Array.of(0x40))).toBe('truncated'); // header only, no CRC
    // a partial entry behind a valid CRC
    expect(code(framed([...good.subarray(0, 1 + 6 + 3)]))).toBe('truncated');
    // corrupted byte
    const bad = Uint8Array.from(good);
    bad[3] = bad[3]! ^ 0x10;
    expect(code(bad)).toBe('checksum');
    // header: version 2, cut 0, then a stray padding bit
    expect(code(framed([0b0100_0001]))).toBe('padding');
    expect(code(framed([0b1000_0000]))).toBe('version');
    // category code 24–31 is no category
    expect(code(framed([0b0100_0000, 31 << 3, 0, 0, 0, 0, 0]))).toBe('range');
    // nine entries: more than an encoder ever sends
    const nine = [0b0100_0000, ...Array.from({ length: 9 }, (_, i) => [i << 3, 0, 0, 0, 0, 0]).flat()];
    expect(code(framed(nine))).toBe('range');
    // the last bit of an entry is padding and must be zero
    expect(code(framed([0b0100_0000, 0, 0, 0, 0, 0, 1]))).toBe('padding');
    expect(() => decodeMessage(11, framed([0b0100_0000]))).not.toThrow();
  });
});
