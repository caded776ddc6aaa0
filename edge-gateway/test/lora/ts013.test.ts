import { describe, it, expect, beforeAll } from 'vitest';
import { readFileSync } from 'node:fs';
import vm from 'node:vm';
import { parse } from 'acorn';
import { generateTs013, TS013_MAX_BYTES } from '../../src/lora/ts013/generate.js';
import { KINDS, decodeFrame, encodeFrames, encodeMessage, type MessageKind } from '../../src/lora/codec/index.js';
import { crc8 } from '../../src/lora/codec/crc8.js';
import { int, randomMessage, rng } from './random.js';

interface Ts013Result {
  data?: Record<string, unknown>;
  bytes?: number[];
  fPort?: number;
  warnings?: string[];
  errors?: string[];
}
interface Ts013Codec {
  decodeUplink(input: { bytes: unknown; fPort: unknown; recvTime?: Date }): Ts013Result;
  decodeDownlink(input: { bytes: unknown; fPort: unknown }): Ts013Result;
  encodeDownlink(input: { data: unknown }): Ts013Result;
}

const source = generateTs013();

/** Loads the codec the way a network server does: a fresh context with nothing but ES built-ins. */
function load(): Ts013Codec {
  const context = vm.createContext({});
  vm.runInContext(source, context, { filename: 'noodsteun-codec.js', timeout: 2000 });
  return context as unknown as Ts013Codec;
}

/** Plain JSON view (the sandbox's arrays/objects come from another realm). */
const plain = (v: unknown): unknown => JSON.parse(JSON.stringify(v, (_k, x: unknown) => (x instanceof Uint8Array ? Buffer.from(x).toString('hex') : x)));

describe('TS013 codec file', () => {
  let codec: Ts013Codec;
  beforeAll(() => {
    codec = load();
  });

  it('is ECMAScript 5.1 and within the 40 KB limit', () => {
    expect(() => parse(source, { ecmaVersion: 5, sourceType: 'script' })).not.toThrow();
    expect(Buffer.byteLength(source)).toBeLessThanOrEqual(TS013_MAX_BYTES);
    expect([...source].every((c) => c === '\n' || (c >= ' ' && c <= '~'))).toBe(true); // ASCII only: safe to paste into a console
  });

  it('defines the three TS013 entry points', () => {
    expect(typeof codec.decodeUplink).toBe('function');
    expect(typeof codec.decodeDownlink).toBe('function');
    expect(typeof codec.encodeDownlink).toBe('function');
  });

  it('decodes what the gateway encodes (random messages of every kind, fragments included)', () => {
    const r = rng(42);
    const kinds = Object.keys(KINDS) as MessageKind[];
    for (let i = 0; i < 400; i++) {
      const kind = kinds[i % kinds.length] as MessageKind;
      const msg = randomMessage(r, kind);
      const decode = KINDS[kind].dir === 'up' ? codec.decodeUplink : codec.decodeDownlink;
      for (const f of encodeFrames(msg, 51, 9)) {
        const out = decode({ bytes: Array.from(f.bytes), fPort: f.port, recvTime: new Date() });
        expect(out.errors).toBeUndefined();
        expect(plain(out.data)).toEqual(plain(decodeFrame(f.port, f.bytes)));
      }
    }
  });

  it('encodes downlinks byte for byte like the gateway', () => {
    const r = rng(43);
    for (let i = 0; i < 300; i++) {
      const msg = randomMessage(r, (['board', 'command', 'downAck'] as const)[i % 3], 40);
      const expected = encodeMessage(msg);
      const out = codec.encodeDownlink({ data: JSON.parse(JSON.stringify(msg)) });
      expect(out.errors).toBeUndefined();
      expect(out.fPort).toBe(expected.port);
      expect(Array.from(out.bytes ?? [])).toEqual(Array.from(expected.bytes));
    }
  });

  it('returns errors, never throws, for bad input', () => {
    const r = rng(44);
    for (let i = 0; i < 2000; i++) {
      const body = Array.from({ length: int(r, 0, 40) }, () => int(r, 0, 255));
      const bytes = r() < 0.7 ? [...body, crc8(Uint8Array.from(body))] : body;
      const out = codec.decodeUplink({ bytes, fPort: int(r, 0, 12) });
      expect(out.data !== undefined || (out.errors?.length ?? 0) > 0).toBe(true);
      if (out.errors) expect(out.errors[0]).not.toMatch(/^internal/);
    }
    expect(codec.decodeUplink({ bytes: 'nope', fPort: 1 }).errors?.[0]).toMatch(/bytes must be an array/);
    expect(codec.decodeUplink({ bytes: [300], fPort: 1 }).errors?.[0]).toMatch(/0-255/);
    expect(codec.decodeUplink({ bytes: new Array(300).fill(0), fPort: 5 }).errors?.[0]).toMatch(/^oversize/);
    expect(codec.encodeDownlink({ data: { kind: 'status' } }).errors?.[0]).toMatch(/downlink kind/);
    expect(codec.encodeDownlink({ data: { kind: 'command', id: 1, command: 'reboot', args: {} } }).errors?.[0]).toMatch(/^encode/);
  });

  it('refuses an uplink frame offered as a downlink and vice versa', () => {
    const up = encodeMessage({ kind: 'text', id: 1, text: 'hallo' });
    expect(codec.decodeDownlink({ bytes: Array.from(up.bytes), fPort: up.port }).errors?.[0]).toMatch(/^port/);
    const down = encodeMessage({ kind: 'command', id: 1, command: 'status_now', args: {} });
    expect(codec.decodeUplink({ bytes: Array.from(down.bytes), fPort: down.port }).errors?.[0]).toMatch(/^port/);
  });

  it('decodes an uplink as delivered by The Things Stack (frm_payload base64 + f_port)', () => {
    const fixture = JSON.parse(readFileSync(new URL('../coordinator/fixtures/lorawan/ttn-v3-uplink-data-formats.json', import.meta.url), 'utf8')) as {
      uplink_message: { frm_payload: string; f_port?: number };
    };
    // The fixture's own payload is another application's (a temperature sensor): ours must refuse it.
    const foreign = Array.from(Buffer.from(fixture.uplink_message.frm_payload, 'base64'));
    expect(codec.decodeUplink({ bytes: foreign, fPort: 1 }).errors?.length).toBe(1);
    const status = encodeMessage({
      kind: 'status', fuelPct: 50, hoursToEmpty: 20, batteryPct: 90, batteryV: 13.1, generator: 'off',
      visitorsPresent: 12, visitorsLastHour: 30, chargingW: 45, chargingSessions: 3, alarms: [], link: 'ip_ok',
    });
    fixture.uplink_message.frm_payload = Buffer.from(status.bytes).toString('base64');
    fixture.uplink_message.f_port = status.port;
    const m = fixture.uplink_message;
    const out = codec.decodeUplink({ bytes: Array.from(Buffer.from(m.frm_payload, 'base64')), fPort: m.f_port });
    expect(out.data).toMatchObject({ kind: 'status', fuelPct: 50, batteryV: 13.1, generator: 'off' });
  });
});
