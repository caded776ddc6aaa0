import { describe, it, expect } from 'vitest';
import {
  FrameDecodeError,
  FrameEncodeError,
  KINDS,
  MAX_FRAME_BYTES,
  Reassembler,
  decodeFrame,
  encodeFragment,
  encodeFrames,
  encodeMessage,
  renderBoard,
  type Frame,
  type LoraMessage,
  type MessageKind,
  type StatusMessage,
} from '../../src/lora/codec/index.js';
import { crc8 } from '../../src/lora/codec/crc8.js';
import { int, randomMessage, rng } from './random.js';

const STATUS: StatusMessage = {
  kind: 'status',
  fuelPct: 63,
  hoursToEmpty: 17.4,
  batteryPct: 88,
  batteryV: 12.85,
  generator: 'running',
  visitorsPresent: 41,
  visitorsLastHour: 120,
  chargingW: 210,
  chargingSessions: 14,
  alarms: ['fuel_low', 'node_offline'],
  link: 'ip_down',
};

/** Decodes a frame and expects a whole message (not a fragment). */
function decodeWhole(f: Frame): LoraMessage {
  const m = decodeFrame(f.port, f.bytes);
  if (m.kind === 'fragment') throw new Error('unexpected fragment');
  return m;
}

/** Runs fn and returns what it threw (fails the test if nothing was thrown). */
function thrown(fn: () => unknown): unknown {
  try {
    fn();
  } catch (err) {
    return err;
  }
  throw new Error('expected an error');
}

describe('status frame', () => {
  it('is 12 bytes on fPort 1 and round-trips', () => {
    const f = encodeMessage(STATUS);
    expect(f.port).toBe(1);
    expect(f.bytes.length).toBe(12);
    expect(decodeWhole(f)).toEqual(STATUS);
  });

  it('saturates measurements beyond their range and keeps unknowns', () => {
    const f = encodeMessage({ ...STATUS, hoursToEmpty: 1000, visitorsPresent: 9999, fuelPct: 130, batteryV: null, chargingW: -5 });
    expect(decodeWhole(f)).toMatchObject({ hoursToEmpty: 409.4, visitorsPresent: 510, fuelPct: 100, batteryV: null, chargingW: 0 });
  });

  it('rejects values that cannot be encoded with a FrameEncodeError', () => {
    expect(() => encodeMessage({ ...STATUS, generator: 'exploded' as never })).toThrow(FrameEncodeError);
    expect(() => encodeMessage({ ...STATUS, alarms: ['nope' as never] })).toThrow(FrameEncodeError);
    expect(() => encodeMessage({ ...STATUS, fuelPct: 'full' as never })).toThrow(/fuelPct/);
  });
});

describe('message kinds', () => {
  const examples: LoraMessage[] = [
    { kind: 'emergency', id: 7, type: 'medical', severity: 'critical', people: 1, ageMin: 3, note: 'Man bewusteloos, Kerkstraat 4' },
    { kind: 'needs', id: 8, needs: [{ category: 'water', severity: 'high', people: 40 }, { category: 'medical_power', severity: 'critical', people: 2 }] },
    { kind: 'safe', id: 9, people: 3, postcode: '9401 AB', houseNumber: 112, name: 'Fam. Jansen' },
    { kind: 'text', id: 10, text: 'Water bij de kerk van 12:00 tot 16:00.' },
    { kind: 'ack', ids: [1, 2, 63] },
    { kind: 'downAck', ids: [0] },
    { kind: 'board', id: 11, slot: 3, priority: 'warning', validHours: 24, template: 'water_point', params: { from: '12:00', to: '16:00', place: 'Sporthal De Bongerd' } },
    { kind: 'command', id: 12, command: 'time_sync', args: { unixS: 1_798_000_000 } },
  ];

  it.each(examples.map((m) => [m.kind, m] as const))('%s round-trips on its own fPort', (kind, msg) => {
    const f = encodeMessage(msg);
    expect(f.port).toBe(KINDS[kind].port);
    expect(decodeWhole(f)).toEqual(msg);
  });

  it('keeps the fixed parts small', () => {
    expect(encodeMessage({ kind: 'needs', id: 1, needs: [{ category: 'food', severity: 'low', people: 5 }] }).bytes.length).toBe(4);
    expect(encodeMessage({ kind: 'ack', ids: [5] }).bytes.length).toBe(3);
    expect(encodeMessage({ kind: 'command', id: 1, command: 'status_now', args: {} }).bytes.length).toBe(3);
  });

  it('renders board templates in Dutch and English', () => {
    const msg = examples[6] as Extract<LoraMessage, { kind: 'board' }>;
    expect(renderBoard(msg, 'nl')).toBe('Drinkwater halen: Sporthal De Bongerd, van 12:00 tot 16:00.');
    expect(renderBoard(msg, 'en')).toBe('Drinking water: Sporthal De Bongerd, from 12:00 to 16:00.');
  });

  it('rejects a bad id', () => {
    expect(() => encodeMessage({ kind: 'text', id: 64, text: 'x' })).toThrow(FrameEncodeError);
  });
});

describe('property: random messages', () => {
  const kinds = Object.keys(KINDS) as MessageKind[];

  it('round-trip through frames and reassembly for every kind (600 messages)', () => {
    const r = rng(20261127);
    for (let i = 0; i < 600; i++) {
      const msg = randomMessage(r, kinds[i % kinds.length]);
      const maxPayload = [51, 115, 222][i % 3] ?? 51;
      const frames = encodeFrames(msg, maxPayload, 33);
      for (const f of frames) expect(f.bytes.length).toBeLessThanOrEqual(maxPayload);
      const reassembler = new Reassembler();
      const order = [...frames].sort(() => r() - 0.5);
      const out = order.map((f) => reassembler.push(f.port, f.bytes)).filter((m) => m !== null);
      expect(out).toEqual([msg]);
    }
  });

  it('reject every truncation with a FrameDecodeError', () => {
    const r = rng(1);
    for (let i = 0; i < 200; i++) {
      const f = encodeMessage(randomMessage(r, kinds[i % kinds.length], 20));
      const cut = int(r, 0, f.bytes.length - 1);
      const short = f.bytes.subarray(0, cut);
      const err = thrown(() => decodeFrame(f.port, short));
      expect(err).toBeInstanceOf(FrameDecodeError);
      // 1 in 256 cuts ends on a byte that happens to be the CRC of what precedes it: then the fields decide.
      const crcCollides = cut >= 2 && crc8(short.subarray(0, cut - 1)) === short[cut - 1];
      if (!crcCollides) expect(['truncated', 'checksum']).toContain((err as FrameDecodeError).code);
    }
  });

  it('reject every single-bit corruption with a FrameDecodeError', () => {
    const r = rng(2);
    for (let i = 0; i < 300; i++) {
      const f = encodeMessage(randomMessage(r, kinds[i % kinds.length], 20));
      const bytes = Uint8Array.from(f.bytes);
      const bit = int(r, 0, bytes.length * 8 - 1);
      bytes[bit >> 3] = (bytes[bit >> 3] ?? 0) ^ (0x80 >> (bit & 7));
      expect(() => decodeFrame(f.port, bytes)).toThrow(FrameDecodeError);
    }
  });

  it('reject oversize frames and unknown ports', () => {
    const big = new Uint8Array(MAX_FRAME_BYTES + 1);
    expect((thrown(() => decodeFrame(5, big)) as FrameDecodeError).code).toBe('oversize');
    expect((thrown(() => decodeFrame(99, new Uint8Array(4))) as FrameDecodeError).code).toBe('port');
    expect((thrown(() => decodeFrame(0, new Uint8Array(4))) as FrameDecodeError).code).toBe('port');
    // A valid frame with a byte appended and the CRC recomputed: caught as trailing data.
    const f = encodeMessage(STATUS);
    const longer = new Uint8Array(f.bytes.length + 1);
    longer.set(f.bytes.subarray(0, -1));
    longer[f.bytes.length - 1] = 0;
    longer[f.bytes.length] = crc8(longer, f.bytes.length);
    expect((thrown(() => decodeFrame(1, longer)) as FrameDecodeError).code).toBe('oversize');
  });

  it('reject a frame of another codec version', () => {
    const f = encodeMessage({ kind: 'text', id: 1, text: 'hallo' });
    const bytes = Uint8Array.from(f.bytes);
    bytes[0] = ((bytes[0] ?? 0) & 0x3f) | 0x80; // version 2
    bytes[bytes.length - 1] = crc8(bytes, bytes.length - 1);
    expect((thrown(() => decodeFrame(5, bytes)) as FrameDecodeError).code).toBe('version');
  });

  it('never throw anything but FrameDecodeError on random bytes with a valid CRC', () => {
    const r = rng(3);
    const ports = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    const codes = new Set<string>();
    for (let i = 0; i < 5000; i++) {
      const body = Uint8Array.from({ length: int(r, 0, 60) }, () => int(r, 0, 255));
      const bytes = new Uint8Array(body.length + 1);
      bytes.set(body);
      bytes[body.length] = crc8(body);
      try {
        decodeFrame(ports[i % ports.length] ?? 1, bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(FrameDecodeError);
        codes.add((err as FrameDecodeError).code);
      }
    }
    // Random bodies hit the deeper checks, not just the CRC.
    expect(codes).toContain('range');
    expect(codes).toContain('version');
    expect(codes).toContain('text');
  });
});

describe('fragmentation', () => {
  const long: LoraMessage = { kind: 'text', id: 21, text: 'Geen stroom, geen water en geen bereik in de hele wijk. '.repeat(8) };

  it('splits into ≤ 51-byte fragments and reassembles in any order, ignoring retransmissions', () => {
    const frames = encodeFrames(long, 51);
    expect(frames.length).toBeGreaterThan(1);
    expect(frames.every((f) => f.port === 6 && f.bytes.length <= 51)).toBe(true);
    const r = new Reassembler();
    const seq = [frames[2], frames[0], frames[2], ...frames.slice(1).reverse()].filter((f): f is Frame => !!f);
    const out = seq.map((f) => r.push(f.port, f.bytes)).filter((m) => m !== null);
    expect(out).toEqual([long]);
    expect(r.pending()).toEqual([]);
  });

  it('reports a duplicate fragment with different content', () => {
    const first = encodeFragment({ id: 4, port: 5, index: 1, total: 3, chunk: Uint8Array.from([1, 2, 3]) });
    const clash = encodeFragment({ id: 4, port: 5, index: 1, total: 3, chunk: Uint8Array.from([1, 2, 4]) });
    const r = new Reassembler();
    expect(r.push(first.port, first.bytes)).toBeNull();
    expect(r.push(first.port, first.bytes)).toBeNull();
    expect(() => r.push(clash.port, clash.bytes)).toThrow(/different content/);
    expect(r.pending()).toEqual([]);
  });

  it('forgets incomplete messages after maxAgeMs and caps the number of groups', () => {
    let now = 0;
    const r = new Reassembler({ maxAgeMs: 1000, maxGroups: 2, now: () => now });
    const frames = encodeFrames(long, 51);
    r.push(6, frames[0]?.bytes ?? new Uint8Array());
    expect(r.pending()).toEqual([21]);
    now = 2000;
    expect(r.pending()).toEqual([]);
    for (const id of [1, 2, 3]) {
      const f = encodeFrames({ ...long, id } as LoraMessage, 51)[0];
      if (f) r.push(f.port, f.bytes);
    }
    expect(r.pending()).toEqual([2, 3]);
  });

  it('refuses messages that need more than 16 fragments, and id-less fragments without an id', () => {
    expect(() => encodeFrames({ kind: 'text', id: 1, text: 'x'.repeat(3000) + '😀'.repeat(400) }, 51)).toThrow(FrameEncodeError);
    expect(() => encodeFrames({ kind: 'ack', ids: Array.from({ length: 48 }, (_, i) => i) }, 20)).toThrow(FrameEncodeError);
    expect(encodeFrames({ kind: 'ack', ids: Array.from({ length: 48 }, (_, i) => i) }, 20, 5).length).toBeGreaterThan(1);
  });

  it('rejects impossible fragment headers', () => {
    const body = Uint8Array.from([0x40 | 1, 5, 0x50, 0xaa]); // index 5 of 1
    const bytes = Uint8Array.from([...body, crc8(body)]);
    expect((thrown(() => decodeFrame(6, bytes)) as FrameDecodeError).code).toBe('fragment');
  });
});
