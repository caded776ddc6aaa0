import { describe, expect, it } from 'vitest';
import { sampleContent } from '../../src/board/sample-content.js';
import { BroadcastTracker, planBroadcast, type DirectoryEntry } from '../../src/coordinator/broadcast.js';
import { BoardSigner, BoardVerifier, MemoryCounterStore, boardResult, generateSigningKey, publicKeyFromBase64 } from '../../src/coordinator/signing/index.js';
import type { BoardMessage } from '../../src/lora/codec/index.js';

const NOW = 1_800_000_000_000;
const directory: DirectoryEntry[] = [
  { point: 'p1', groups: ['north'], link: 'mqtt' },
  { point: 'p2', groups: ['north'], link: 'lora' },
  { point: 'p3', groups: ['south'], link: 'mqtt' },
];
const compact: BoardMessage = { kind: 'board', id: 1, slot: 0, priority: 'notice', validHours: 12, template: 'stay_inside', params: {} };

describe('broadcast to one point, a group or all', () => {
  const key = generateSigningKey();
  const signer = new BoardSigner({ key, issuer: 'coord-1', counters: new MemoryCounterStore() });

  it('plans one delivery per targeted point, on its own topic or as the compact LoRa form', async () => {
    const all = planBroadcast(await signer.sign(sampleContent(), { kind: 'all' }, NOW, 3_600_000), compact, directory);
    expect(all.map((d) => [d.point, d.via])).toEqual([
      ['p1', 'mqtt'],
      ['p2', 'lora'],
      ['p3', 'mqtt'],
    ]);
    expect(all[0]).toMatchObject({ topic: 'noodsteun/point/p1/board' });
    const north = planBroadcast(await signer.sign(sampleContent(), { kind: 'group', group: 'north' }, NOW, 3_600_000), null, directory);
    expect(north).toEqual([expect.objectContaining({ point: 'p1', via: 'mqtt' }), { point: 'p2', via: 'none', reason: 'no-compact-form' }]);
    const one = planBroadcast(await signer.sign(sampleContent(), { kind: 'point', point: 'p3' }, NOW, 3_600_000), compact, directory);
    expect(one.map((d) => d.point)).toEqual(['p3']);
  });

  it('tracks what each point answered, from the real verifier', async () => {
    const signed = await signer.sign(sampleContent(), { kind: 'all' }, NOW, 3_600_000);
    const deliveries = planBroadcast(signed, null, directory).filter((d) => d.via === 'mqtt');
    const tracker = new BroadcastTracker();
    tracker.record(signed.payload.seq, deliveries.map((d) => d.point));
    const pub = publicKeyFromBase64(key.publicKey);
    const p1 = new BoardVerifier({ point: 'p1', trusted: [{ issuer: 'coord-1', keyId: pub.keyId, key: pub.key }], counters: new MemoryCounterStore() });
    // p3 was commissioned with another coordinator's key.
    const other = publicKeyFromBase64(generateSigningKey().publicKey);
    const p3 = new BoardVerifier({ point: 'p3', trusted: [{ issuer: 'coord-1', keyId: other.keyId, key: other.key }], counters: new MemoryCounterStore() });
    expect(tracker.state(signed.payload.seq)).toMatchObject({ accepted: [], pending: ['p1', 'p3'] });
    const d1 = deliveries.find((d) => d.point === 'p1');
    const d3 = deliveries.find((d) => d.point === 'p3');
    if (d1?.via !== 'mqtt' || d3?.via !== 'mqtt') throw new Error('expected MQTT deliveries');
    expect(tracker.result(boardResult('p1', await p1.verify(d1.payload, NOW), NOW))).toBe(true);
    expect(tracker.result(boardResult('p3', await p3.verify(d3.payload, NOW), NOW))).toBe(true);
    expect(tracker.result({ v: 1, point: 'p2', at: NOW, issuer: 'coord-1', seq: signed.payload.seq, result: 'accepted', detail: '' })).toBe(false);
    expect(tracker.state(signed.payload.seq)).toEqual({
      seq: signed.payload.seq,
      accepted: ['p1'],
      rejected: [{ point: 'p3', reason: 'unknown-key', detail: expect.stringMatching(/no trusted key/) }],
      pending: [],
    });
    expect(tracker.state(999)).toBeNull();
  });
});
