import { describe, it, expect } from 'vitest';
import { crc32 } from 'node:zlib';
import { decodeMessage, encodeFrame as gatewayEncodeFrame, FrameParser } from '../../../edge-gateway/src/protocol/index.js';
import { encodeFrame, FrameReader, hex8 } from '../../src/core/frame.js';

/** What E.CRC32 computes: CRC-32 (IEEE) over the string's bytes. */
const E_CRC32 = (s: string) => crc32(Buffer.from(s, 'latin1')) >>> 0;

const msg = (text: string) =>
  JSON.stringify({ v: 1, node: 'door-1', boot: 3, seq: 7, ts: 1000, type: 'result', body: { cmd: 1, ok: false, error: text } });

describe('firmware framing', () => {
  it('produces byte-identical frames to the gateway encoder, # escaped', () => {
    const json = msg('bad #2 at #NS');
    const frame = encodeFrame(json, E_CRC32);
    expect(frame).toBe(gatewayEncodeFrame(json));
    expect(frame.indexOf('#', 1)).toBe(-1);
  });

  it("frames pass the gateway's FrameParser and decodeMessage, through console noise", () => {
    const parser = new FrameParser();
    const stream = '\r\x1b[J>garbage#N' + encodeFrame(msg('one'), E_CRC32) + 'Uncaught Error\r\n>' + encodeFrame(msg('#two'), E_CRC32);
    // Fed byte by byte, as a slow UART would deliver it.
    const bodies: string[] = [];
    for (const ch of Buffer.from(stream, 'latin1')) bodies.push(...parser.push(Uint8Array.of(ch)));
    expect(bodies.map((b) => decodeMessage(b))).toMatchObject([{ body: { error: 'one' } }, { body: { error: '#two' } }]);
    expect(parser.stats.corrupt).toBe(0);
  });

  it('reads gateway frames split across chunks and rejects a bad checksum', () => {
    const reader = new FrameReader(E_CRC32);
    const good = gatewayEncodeFrame('{"type":"ack","n":"#1"}');
    const bad = good.replace('ack', 'acK');
    const all = '>noise\r\n' + good + bad + good.replace('\n', '\r\n');
    const out: string[] = [];
    for (let i = 0; i < all.length; i += 5) out.push(...reader.push(all.slice(i, i + 5)));
    expect(out).toEqual(['{"type":"ack","n":"\\u00231"}', '{"type":"ack","n":"\\u00231"}']);
    expect(JSON.parse(out[0]!)).toEqual({ type: 'ack', n: '#1' });
    expect(reader.bad).toBe(1);
  });

  it('drops an endless line instead of growing without bound', () => {
    const reader = new FrameReader(E_CRC32);
    for (let i = 0; i < 100; i++) reader.push('x'.repeat(100));
    expect(reader.push(gatewayEncodeFrame('{}'))).toEqual(['{}']);
  });

  it('hex8 pads to eight lowercase digits', () => {
    expect(hex8(0x1a)).toBe('0000001a');
    expect(hex8(-1)).toBe('ffffffff');
  });
});
