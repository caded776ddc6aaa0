// The coordinator's broadcast service with a real signer and the points' real inbox (verifier +
// counters): targets resolve to per-point envelopes, each point accepts only its own, and answers are
// matched back to the delivery they are about.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { parseBoardContent, type BoardContent } from '../../src/board/content.js';
import { BroadcastService } from '../../src/coordinator/broadcast-service.js';
import { BoardInbox } from '../../src/relay/board-inbox.js';
import { BoardSigner, BoardVerifier, MemoryCounterStore, generateSigningKey, publicKeyFromBase64 } from '../../src/coordinator/signing/index.js';
import { pointTopics } from '../../src/protocol/index.js';

const content = parseBoardContent({
  point: { name: 'Regio' },
  authority: 'Veiligheidsregio Test',
  source: 'local',
  updatedAt: '2026-11-27T12:00:00Z',
  languages: ['nl'],
  text: { nl: { situation: 'Storing.', actions: ['Blijf binnen.'], outlook: 'Morgen beter.' } },
});

function setUp(known: string[]) {
  const clock = new ManualClock(Date.parse('2026-11-27T12:00:00Z'));
  const key = generateSigningKey();
  const published: { topic: string; payload: string }[] = [];
  const service = new BroadcastService({
    signer: new BoardSigner({ key, issuer: 'regio', counters: new MemoryCounterStore() }),
    publish: (topic, payload) => (published.push({ topic, payload }), Promise.resolve()),
    knownPoints: () => known,
    clock,
    log: silentLogger,
  });
  const pub = publicKeyFromBase64(key.publicKey);
  const inbox = (point: string, apply: (c: BoardContent) => void) =>
    new BoardInbox({
      point,
      verifier: new BoardVerifier({ point, trusted: [{ issuer: 'regio', keyId: pub.keyId, key: pub.key }], counters: new MemoryCounterStore() }),
      clock,
      apply,
      log: silentLogger,
    });
  return { service, published, inbox };
}

describe('BroadcastService', () => {
  it('signs one envelope per known point for "all" and records each point’s answer', async () => {
    const { service, published, inbox } = setUp(['p1', 'p2']);
    const record = await service.send(content, 'all');
    expect(record.deliveries.map((d) => d.point)).toEqual(['p1', 'p2']);
    expect(published.map((p) => p.topic)).toEqual([pointTopics.board('p1'), pointTopics.board('p2')]);

    const shown: BoardContent[] = [];
    const p1 = inbox('p1', (c) => shown.push(c));
    const ok = await p1.handle(published[0]!.payload);
    expect(ok.result).toBe('accepted');
    expect(shown[0]).toMatchObject({ authority: 'Veiligheidsregio Test', source: 'coordinator' });
    // p2's envelope names p2: p1 refuses it and shows nothing new.
    const wrong = await p1.handle(published[1]!.payload);
    expect(wrong.result).toBe('wrong-target');
    expect(shown).toHaveLength(1);

    expect(service.result(ok)).toBe(true);
    expect(service.result(wrong)).toBe(false); // about p2's delivery, but answered by p1
    const [listed] = service.list();
    expect(listed?.deliveries.map((d) => [d.point, d.result?.result ?? null])).toEqual([
      ['p1', 'accepted'],
      ['p2', null],
    ]);
  });

  it('sends to a list without duplicates, and refuses when there is nobody to send to', async () => {
    const { service, published } = setUp([]);
    const record = await service.send(content, { points: ['p3', 'p3', 'p4'] });
    expect(record.deliveries.map((d) => d.point)).toEqual(['p3', 'p4']);
    expect(new Set(record.deliveries.map((d) => d.seq)).size).toBe(2);
    expect(published).toHaveLength(2);
    await expect(service.send(content, 'all')).rejects.toThrow(/no known points/);
  });

  it('reports content the board refuses as invalid-content instead of accepted', async () => {
    const { service, published, inbox } = setUp(['p1']);
    await service.send(content, { point: 'p1' });
    const p1 = inbox('p1', () => {
      throw new Error('panel refused it');
    });
    const r = await p1.handle(published[0]!.payload);
    expect(r).toMatchObject({ result: 'invalid-content', detail: 'panel refused it' });
  });
});
