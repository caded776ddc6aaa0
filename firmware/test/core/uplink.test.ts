import { describe, it, expect } from 'vitest';
import { decodeMessage } from '../../../edge-gateway/src/protocol/index.js';
import { Ring } from '../../src/core/ring.js';
import { Uplink } from '../../src/core/uplink.js';
import type { Transport } from '../../src/core/uplink.js';

class FakeTransport implements Transport {
  readonly name = 'serial';
  up = true;
  sent: string[] = [];
  isUp(): boolean {
    return this.up;
  }
  send(json: string): void {
    this.sent.push(json);
  }
}

function setup() {
  let t = 100;
  const tr = new FakeTransport();
  const up = new Uplink({ node: 'fuel-1', boot: 4, now: () => t, ringSize: 3, retrySec: 10, burst: 2 }, [tr]);
  return { up, tr, advance: (s: number) => (t += s) };
}

const ack = (seqs: number[], boot = 4, node = 'fuel-1') => JSON.stringify({ v: 1, node, boot, seq: 1, ts: 0, type: 'ack', body: { boot, seqs } });

describe('Ring', () => {
  it('drops the oldest when full and counts it', () => {
    const r = new Ring(2);
    r.push(1, 'a');
    r.push(2, 'b');
    r.push(3, 'c');
    expect(r.items.map((i) => i.seq)).toEqual([2, 3]);
    expect(r.dropped).toBe(1);
    expect(r.ack([3, 9])).toBe(1);
    expect(r.items.map((i) => i.seq)).toEqual([2]);
  });
});

describe('Uplink', () => {
  it('sends envelopes the gateway schema accepts', () => {
    const { up, tr } = setup();
    up.send('fuel', { litres: null, pct: null, rawMm: null, status: 'unplugged', refuelling: false }, true);
    expect(decodeMessage(tr.sent[0]!)).toMatchObject({ v: 1, node: 'fuel-1', boot: 4, seq: 1, ts: 100_000, type: 'fuel' });
  });

  it('resends unacked reliable messages after the retry time, oldest first, a burst at a time', () => {
    const { up, tr, advance } = setup();
    up.send('x', {}, true);
    up.send('y', {}, true);
    up.send('hb', {}, false);
    up.send('z', {}, true);
    expect(tr.sent).toHaveLength(4);
    advance(5);
    up.tick();
    expect(tr.sent).toHaveLength(4);
    advance(6);
    up.tick();
    expect(tr.sent.slice(4).map((j) => JSON.parse(j).seq)).toEqual([1, 2]);
    up.tick();
    expect(tr.sent.slice(6).map((j) => JSON.parse(j).seq)).toEqual([4]);
  });

  it('holds messages while the link is down and sends them when it is back', () => {
    const { up, tr, advance } = setup();
    tr.up = false;
    up.send('x', {}, true);
    up.send('hb', {}, false);
    up.tick();
    expect(tr.sent).toEqual([]);
    tr.up = true;
    advance(1);
    up.tick();
    expect(tr.sent.map((j) => JSON.parse(j).type)).toEqual(['x']);
  });

  it('forgets acked messages; ignores acks for another boot or node, and junk', () => {
    const { up, advance, tr } = setup();
    up.send('x', {}, true);
    up.send('y', {}, true);
    up.receive(ack([1], 3));
    up.receive(ack([1], 4, 'other'));
    up.receive('not json');
    expect(up.ring.length).toBe(2);
    expect(up.rejected).toBe(2);
    up.receive(ack([1, 2]));
    expect(up.ring.length).toBe(0);
    advance(60);
    up.tick();
    expect(tr.sent).toHaveLength(2);
  });

  it('passes commands for this node to the handler', () => {
    const { up } = setup();
    const got: Array<[number, unknown]> = [];
    up.onCommand = (seq, body) => got.push([seq, body]);
    up.receive(JSON.stringify({ v: 1, node: 'fuel-1', boot: 1, seq: 9, ts: 0, type: 'cmd', body: { op: 'ping' } }));
    expect(got).toEqual([[9, { op: 'ping' }]]);
  });
});
