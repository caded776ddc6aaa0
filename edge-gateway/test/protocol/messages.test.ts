// The message schema: every type round-trips; bad input is refused with the field path named.
import { describe, it, expect } from 'vitest';
import type { Message } from '../../src/protocol/index.js';
import {
  DOWNLINK_TYPES,
  FrameParser,
  MessageSchema,
  ProtocolError,
  TELEMETRY_TYPES,
  UPLINK_TYPES,
  decodeMessage,
  encodeFrame,
  encodeMessage,
  isUplink,
  parseMessage,
} from '../../src/protocol/index.js';
import { ALL_EXAMPLES, EXAMPLES } from './examples.js';

/** A deep copy as a plain JSON value, to break on purpose. */
function mutable(m: Message): Record<string, unknown> & { body: Record<string, unknown> } {
  return JSON.parse(JSON.stringify(m)) as Record<string, unknown> & { body: Record<string, unknown> };
}

function rejection(value: unknown): ProtocolError {
  try {
    parseMessage(value);
  } catch (err) {
    if (err instanceof ProtocolError) return err;
    throw err;
  }
  throw new Error('parseMessage accepted an invalid message');
}

describe('message types', () => {
  it('has one example per schema variant, and uplink/downlink split them all', () => {
    expect(MessageSchema.options).toHaveLength(ALL_EXAMPLES.length);
    expect([...UPLINK_TYPES, ...DOWNLINK_TYPES].sort()).toEqual(Object.keys(EXAMPLES).sort());
    for (const t of TELEMETRY_TYPES) expect(UPLINK_TYPES).toContain(t);
  });

  it.each(ALL_EXAMPLES.map((m) => [m.type, m] as const))('%s round-trips through JSON and a serial frame', (_type, msg) => {
    expect(decodeMessage(encodeMessage(msg))).toEqual(msg);
    const parser = new FrameParser();
    const bodies = parser.push(Buffer.from(encodeFrame(encodeMessage(msg))));
    expect(bodies).toHaveLength(1);
    expect(decodeMessage(bodies[0]!)).toEqual(msg);
  });

  it('classifies uplinks', () => {
    expect(ALL_EXAMPLES.filter(isUplink).map((m) => m.type)).toEqual([...UPLINK_TYPES]);
  });

  it('accepts the optional and nullable fields', () => {
    const fuel = mutable(EXAMPLES.fuel);
    fuel.body = { litres: null, pct: null, rawMm: null, status: 'unplugged', refuelling: false };
    expect(parseMessage(fuel)).toEqual(fuel);
    const battery = mutable(EXAMPLES.battery);
    delete battery.body.ttgMin;
    expect(parseMessage(battery).body).not.toHaveProperty('ttgMin');
    const cfg = { ...EXAMPLES.cmd, body: { op: 'config', set: { interval: 30, name: 'tank-west', beep: false } } };
    expect(parseMessage(cfg)).toEqual(cfg);
    expect(parseMessage({ ...EXAMPLES.cmd, body: { op: 'reboot' } }).body).toEqual({ op: 'reboot' });
    expect(parseMessage({ ...EXAMPLES.cmd, body: { op: 'ping' } }).body).toEqual({ op: 'ping' });
    // The console handoff before a firmware upload, through the serial frame as the gateway sends it.
    const handoff = { ...EXAMPLES.cmd, node: 'battery-1', body: { op: 'console' } };
    const [framed] = new FrameParser().push(Buffer.from(encodeFrame(encodeMessage(parseMessage(handoff)))));
    expect(decodeMessage(framed!)).toEqual(handoff);
    const hb = { ...EXAMPLES.hb, body: { ...EXAMPLES.hb.body, mem: null, link: 'mqtt', rssi: -67 } };
    expect(parseMessage(hb)).toEqual(hb);
  });

  it('drops unknown fields (a newer minor revision may add some)', () => {
    const m = { ...mutable(EXAMPLES.visitors), extra: 1 };
    m.body.future = true;
    const parsed = parseMessage(m);
    expect(parsed).not.toHaveProperty('extra');
    expect(parsed.body).not.toHaveProperty('future');
  });
});

describe('rejections name the field path', () => {
  const cases: Array<[string, () => unknown, RegExp]> = [
    ['string seq', () => ({ ...EXAMPLES.fuel, seq: '42' }), /seq: /],
    ['negative seq', () => ({ ...EXAMPLES.fuel, seq: -1 }), /seq: /],
    ['fractional boot', () => ({ ...EXAMPLES.fuel, boot: 1.5 }), /boot: /],
    ['seq above u32', () => ({ ...EXAMPLES.fuel, seq: 2 ** 32 }), /seq: /],
    ['future protocol version', () => ({ ...EXAMPLES.fuel, v: 2 }), /\bv: /],
    ['missing version', () => ({ ...EXAMPLES.fuel, v: undefined }), /\bv: /],
    ['bad node id', () => ({ ...EXAMPLES.fuel, node: 'Fuel_1' }), /node: node id/],
    ['unknown type', () => ({ ...EXAMPLES.fuel, type: 'weather' }), /type: /],
    ['missing body field', () => ({ ...EXAMPLES.fuel, body: { ...EXAMPLES.fuel.body, status: undefined } }), /body\.status: /],
    ['NaN reading', () => ({ ...EXAMPLES.battery, body: { ...EXAMPLES.battery.body, v: NaN } }), /body\.v: /],
    ['Infinity reading', () => ({ ...EXAMPLES.fuel, body: { ...EXAMPLES.fuel.body, litres: Infinity } }), /body\.litres: /],
    ['percentage above 100', () => ({ ...EXAMPLES.fuel, body: { ...EXAMPLES.fuel.body, pct: 101 } }), /body\.pct: /],
    ['string in a nested array', () => ({ ...EXAMPLES.charger, body: { ...EXAMPLES.charger.body, ports: [{ p: 0, on: true, mA: '5', fault: null }] } }), /body\.ports\.0\.mA: /],
    ['port number 32', () => ({ ...EXAMPLES.charger, body: { ...EXAMPLES.charger.body, ports: [{ p: 32, on: true, mA: 1, fault: null }] } }), /body\.ports\.0\.p: /],
    ['33 charger ports', () => ({ ...EXAMPLES.charger, body: { failsafe: false, ports: Array.from({ length: 33 }, (_, p) => ({ p: p % 32, on: false, mA: 0, fault: null })) } }), /body\.ports: /],
    ['17 heartbeat flags', () => ({ ...EXAMPLES.hb, body: { ...EXAMPLES.hb.body, flags: Array(17).fill('X') } }), /body\.flags: /],
    ['overlong firmware version', () => ({ ...EXAMPLES.hb, body: { ...EXAMPLES.hb.body, fw: 'x'.repeat(33) } }), /body\.fw: /],
    ['empty ack', () => ({ ...EXAMPLES.ack, body: { boot: 7, seqs: [] } }), /body\.seqs: /],
    ['65 acked seqs', () => ({ ...EXAMPLES.ack, body: { boot: 7, seqs: Array.from({ length: 65 }, (_, i) => i) } }), /body\.seqs: /],
    ['unknown command op', () => ({ ...EXAMPLES.cmd, body: { op: 'selfdestruct' } }), /body\.op: /],
    ['config value of a wrong type', () => ({ ...EXAMPLES.cmd, body: { op: 'config', set: { a: [1] } } }), /body\.set\.a: /],
    ['counter of the wrong type', () => ({ ...EXAMPLES.visitors, body: { entries: 1, exits: 1, inside: true } }), /body\.inside: /],
    ['not an object', () => 'fuel', /\(message\): /],
  ];

  it.each(cases)('%s', (_name, make, path) => {
    const err = rejection(make());
    expect(err).toBeInstanceOf(ProtocolError);
    expect(err.name).toBe('ProtocolError');
    expect(err.message).toMatch(/^invalid message: /);
    expect(err.message).toMatch(path);
  });

  it('names every bad field at once', () => {
    const err = rejection({ ...EXAMPLES.visitors, seq: -1, body: { entries: 'a', exits: 1 } });
    expect(err.message).toMatch(/seq: /);
    expect(err.message).toMatch(/body\.entries: /);
    expect(err.message).toMatch(/body\.inside: /);
  });

  it('reports malformed JSON as a ProtocolError with the parse error as cause', () => {
    let caught: unknown;
    try {
      decodeMessage('{"v":1,');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(ProtocolError);
    expect((caught as ProtocolError).message).toMatch(/^malformed JSON: /);
    expect((caught as ProtocolError).cause).toBeInstanceOf(SyntaxError);
  });

  it('decodes JSON that is valid but not a message as a schema error', () => {
    expect(() => decodeMessage('null')).toThrow(/invalid message: \(message\)/);
    expect(() => decodeMessage('[]')).toThrow(ProtocolError);
  });
});
