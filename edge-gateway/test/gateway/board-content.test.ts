// A coordinator and a point, both real gateways in this process with their embedded brokers: a signed
// broadcast from a logged-in coordinator is shown by the point and reported accepted; unsigned, forged,
// tampered, expired and replayed board messages on the point's topic are refused, reported and never
// shown; staff at the point set local content; anonymous requests are refused.
import { afterEach, describe, expect, it } from 'vitest';
import mqtt from 'mqtt';
import { pointTopics } from '../../src/protocol/index.js';
import { parseBoardContent, type BoardContentInput } from '../../src/board/content.js';
import { sampleContent } from '../../src/board/sample-content.js';
import { firstRunSetUp as setUp, startGatewayPair, type GatewayPair } from '../support/gateway-pair.js';
import { until } from '../support/until.js';
import {
  BoardSigner,
  MemoryCounterStore,
  generateSigningKey,
  signPayload,
  type BoardResult,
  type SignedBoard,
} from '../../src/coordinator/signing/index.js';

const pairs: GatewayPair[] = [];
const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  for (const p of pairs.splice(0)) await p.close();
});

const content = (authority: string): Omit<BoardContentInput, 'source' | 'updatedAt'> => ({
  point: { name: 'Punt 1' },
  authority,
  languages: ['nl'],
  text: { nl: { situation: 'Stroomstoring in de wijk.', actions: ['Blijf binnen.'], outlook: 'Herstel verwacht morgen.', places: [] } },
});

type Shown = { data: { content: { authority: string; source: string } | null } };
type Listing = { data: { broadcasts: { id: string; deliveries: { point: string; seq: number; result: BoardResult | null }[] }[] } };

describe('board content paths', () => {
  it('shows signed broadcasts, refuses forged/expired/replayed ones, takes staff content, refuses anonymous callers', async () => {
    // Commissioning: broker secret for the point, and the coordinator's board key (its public half to the point);
    // a second user confined to p1's subtree (the broker allows one session per user, so not the service user's).
    const pair = await startGatewayPair({ boardKey: true, users: [{ username: '_watcher-p1', role: 'coordinator', point: 'p1' }], point: { board: { enabled: true, backend: 'simulated' } } });
    pairs.push(pair);
    const { coordinator, point, coordRecords, pointRecords } = pair;
    const key = pair.key!;

    const shown = async () => ((await (await fetch(`${point.httpUrl}/api/board/content`)).json()) as Shown).data.content;
    // Until content arrives, the board shows its built-in sample.
    expect(await shown()).toMatchObject({ authority: sampleContent().authority });

    // A watcher on the coordinator's broker sees what is sent to p1 and what p1 answers.
    const watcher = await mqtt.connectAsync(coordinator.mqttUrl!, { username: '_watcher-p1', password: pair.secrets['_watcher-p1'], clientId: '_watcher-p1' });
    cleanups.push(() => watcher.endAsync(true));
    const sentToPoint: string[] = [];
    const results: BoardResult[] = [];
    watcher.on('message', (topic, payload) => {
      if (topic === pointTopics.board('p1')) sentToPoint.push(payload.toString('utf8'));
      else results.push(JSON.parse(payload.toString('utf8')) as BoardResult);
    });
    await watcher.subscribeAsync([pointTopics.board('p1'), pointTopics.boardResult('p1')], { qos: 1 });

    // Anonymous callers are refused on both gateways.
    const broadcastUrl = `${coordinator.httpUrl}/api/broadcasts`;
    const broadcastBody = JSON.stringify({ content: content('Veiligheidsregio Test'), target: { point: 'p1' } });
    const jsonHeaders = { 'content-type': 'application/json' };
    expect((await fetch(broadcastUrl, { method: 'POST', headers: jsonHeaders, body: broadcastBody })).status).toBe(401);
    expect((await fetch(broadcastUrl)).status).toBe(401);
    const localUrl = `${point.httpUrl}/api/board/content`;
    expect((await fetch(localUrl, { method: 'POST', headers: jsonHeaders, body: JSON.stringify(content('Vrijwilligers')) })).status).toBe(401);

    // A signed broadcast from a logged-in coordinator: shown at the point, accepted at the coordinator.
    const coordSession = await setUp(coordinator.httpUrl, coordRecords);
    const coordHeaders = { ...jsonHeaders, cookie: coordSession.cookie, 'x-noodsteun-csrf': coordSession.csrf };
    expect((await fetch(broadcastUrl, { method: 'POST', headers: { ...jsonHeaders, cookie: coordSession.cookie }, body: broadcastBody })).status).toBe(403);
    const sent = await fetch(broadcastUrl, { method: 'POST', headers: coordHeaders, body: broadcastBody });
    expect(sent.status).toBe(202);
    const { id } = ((await sent.json()) as { data: { id: string } }).data;
    const accepted = await until('the point’s accepted result at the coordinator', async () => {
      const list = (await (await fetch(broadcastUrl, { headers: coordHeaders })).json()) as Listing;
      const d = list.data.broadcasts.find((b) => b.id === id)?.deliveries[0];
      return d?.result ? d : null;
    });
    expect(accepted).toMatchObject({ point: 'p1', result: { point: 'p1', issuer: 'regio', result: 'accepted' } });
    expect(await shown()).toMatchObject({ authority: 'Veiligheidsregio Test', source: 'coordinator' });
    const original = await until('the broadcast seen on the broker', async () => sentToPoint[0]);
    expect((JSON.parse(original) as SignedBoard).payload.seq).toBe(accepted.seq);

    // Bad messages published straight on the point's board topic: each refused and reported, none shown.
    const now = Date.now();
    const counters = new MemoryCounterStore();
    counters.values.set('seq:regio', 1000); // well past the coordinator's own sequence
    const signer = new BoardSigner({ key, issuer: 'regio', counters });
    const valid = (authority: string) => parseBoardContent({ ...content(authority), source: 'coordinator', updatedAt: new Date(now).toISOString() });
    const tampered = await signer.sign(valid('Echt'), { kind: 'point', point: 'p1' }, now, 3_600_000);
    tampered.payload.content = valid('Vervalst');
    const forged = signPayload({ ...(await signer.sign(valid('Nep'), { kind: 'point', point: 'p1' }, now, 3_600_000)).payload }, generateSigningKey());
    const expired = await signer.sign(valid('Verlopen'), { kind: 'point', point: 'p1' }, now - 2 * 3_600_000, 3_600_000);
    const cases: [string, string][] = [
      [JSON.stringify(valid('Ongetekend')), 'unsigned'],
      [JSON.stringify(tampered), 'bad-signature'],
      [JSON.stringify(forged), 'bad-signature'],
      [JSON.stringify(expired), 'expired'],
      [original, 'replayed'],
    ];
    for (const [payload, reason] of cases) {
      const before = results.length;
      await watcher.publishAsync(pointTopics.board('p1'), payload, { qos: 1 });
      const r = await until(`a ${reason} result`, async () => results.length > before && results[results.length - 1]);
      expect(r.result).toBe(reason);
      expect(r.point).toBe('p1');
    }
    expect(await shown()).toMatchObject({ authority: 'Veiligheidsregio Test', source: 'coordinator' });
    expect(pointRecords.filter((r) => r.msg === 'board content refused')).toHaveLength(cases.length);

    // Staff at the point: local content replaces it, marked local, for the resident screens.
    const pointSession = await setUp(point.httpUrl, pointRecords);
    const local = await fetch(localUrl, {
      method: 'POST',
      headers: { ...jsonHeaders, cookie: pointSession.cookie, 'x-noodsteun-csrf': pointSession.csrf },
      body: JSON.stringify({ ...content('Vrijwilligers ter plaatse'), source: 'coordinator' }),
    });
    expect(local.status).toBe(200);
    expect(await shown()).toMatchObject({ authority: 'Vrijwilligers ter plaatse', source: 'local' });
    const invalid = await fetch(localUrl, {
      method: 'POST',
      headers: { ...jsonHeaders, cookie: pointSession.cookie, 'x-noodsteun-csrf': pointSession.csrf },
      body: JSON.stringify({ ...content('Fout'), languages: ['en'] }),
    });
    expect(invalid.status).toBe(400);
    expect(await shown()).toMatchObject({ authority: 'Vrijwilligers ter plaatse' });
  }, 60_000);
});
