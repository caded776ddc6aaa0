// A coordinator and a point, both real gateways in this process with their embedded brokers (aedes) and
// real SQLite: residents register an offer and a request at the point, staff match them, the board's
// content carries the new counts, and the coordinator's point list shows them in the point's status.
// A signed coordinator broadcast with a directory fills the point's neighbourhood directory.
import { afterEach, describe, expect, it } from 'vitest';
import type { Registered } from '../../src/help/index.js';
import type { DirectoryView } from '../../src/directory/index.js';
import type { LogRecord } from '../../src/log/logger.js';
import { firstRunSetUp, startGatewayPair, type GatewayPair } from '../support/gateway-pair.js';
import { until } from '../support/until.js';
import { call } from './harness.js';

const pairs: GatewayPair[] = [];
afterEach(async () => {
  for (const p of pairs.splice(0)) await p.close();
});

/** The first technician's session as request headers. */
async function setUp(url: string, records: LogRecord[]): Promise<Record<string, string>> {
  const s = await firstRunSetUp(url, records);
  return { cookie: s.cookie, 'x-noodsteun-csrf': s.csrf };
}

type HelpCounts = { open: number; matched: number; done: number };
type PointsReply = { points: { point: string; status: { help?: { requests: Record<string, HelpCounts>; offers: Record<string, HelpCounts>; mostNeeded: string[] } } | null }[] };
type BoardReply = { content: { help?: { requestsOpen: number; offersOpen: number; matched: number; done: number; mostNeeded: string[] } } | null };

describe('citizen help between a point and its coordinator', () => {
  it('counts reach the board content and the coordinator; a signed broadcast fills the directory', async () => {
    const pair = await startGatewayPair({
      boardKey: true,
      point: {
        location: { lat: 52.0907, lon: 5.1214 },
        board: { enabled: true, backend: 'simulated' },
        coordinator: { statusIntervalS: 3600 }, // only the change-driven status can bring the counts in time
      },
    });
    pairs.push(pair);
    const { coordinator, point, coordRecords, pointRecords } = pair;

    // Two residents at the kiosk: one offers, one asks.
    const offer = await call<Registered>(`${point.httpUrl}/api/help/offers`, 'POST', { category: 'transport', what: 'Auto met aanhanger', contact: { method: 'at-point' } });
    const request = await call<Registered>(`${point.httpUrl}/api/help/requests`, 'POST', {
      category: 'transport', what: 'Rolstoel naar de opvang', where: 'Laan 12', urgency: 'high', people: 1, contact: { method: 'address', note: 'Laan 12' },
    });
    expect([offer.status, request.status]).toEqual([201, 201]);

    const board = async () => (await call<BoardReply>(`${point.httpUrl}/api/board/content`, 'GET')).body.data!.content!.help;
    expect(await board()).toEqual({ requestsOpen: 1, offersOpen: 1, matched: 0, done: 0, mostNeeded: ['transport'] });

    // The coordinator's technician (its overview needs a login).
    const coordStaff = await setUp(coordinator.httpUrl, coordRecords);
    const atCoordinator = async () => {
      const r = await call<PointsReply>(`${coordinator.httpUrl}/api/points`, 'GET', undefined, coordStaff);
      return r.body.data!.points.find((p) => p.point === 'p1')?.status?.help ?? null;
    };
    const first = await until('open counts at the coordinator', async () => {
      const h = await atCoordinator();
      return h?.requests.transport?.open === 1 ? h : null;
    });
    expect(first).toEqual({ requests: { transport: { open: 1, matched: 0, done: 0 } }, offers: { transport: { open: 1, matched: 0, done: 0 } }, mostNeeded: ['transport'] });

    // Staff match them.
    const staff = await setUp(point.httpUrl, pointRecords);
    const m = await call(`${point.httpUrl}/api/staff/help/match`, 'POST', { offer: offer.body.data!.id, request: request.body.data!.id }, staff);
    expect(m.status).toBe(200);
    expect(await board()).toEqual({ requestsOpen: 0, offersOpen: 0, matched: 1, done: 0, mostNeeded: [] });
    const matched = await until('matched counts at the coordinator', async () => {
      const h = await atCoordinator();
      return h?.requests.transport?.matched === 1 ? h : null;
    });
    expect(matched).toEqual({ requests: { transport: { open: 0, matched: 1, done: 0 } }, offers: { transport: { open: 0, matched: 1, done: 0 } }, mostNeeded: [] });
    // No personal data went up.
    expect(JSON.stringify(matched)).not.toMatch(/Laan|Rolstoel|Auto/);

    // The coordinator broadcasts board content with its directory (signed, over its broker).
    const sent = await call(`${coordinator.httpUrl}/api/broadcasts`, 'POST', {
      target: { point: 'p1' },
      content: {
        point: { name: 'Punt 1' },
        authority: 'Veiligheidsregio Test',
        languages: ['nl'],
        text: { nl: { situation: 'Stroomstoring.', actions: ['Blijf binnen.'], outlook: 'Morgen hersteld.', places: [] } },
        directory: [
          { id: 'p1', kind: 'point', name: 'Punt 1 (this point itself)', lat: 52.0907, lon: 5.1214, status: 'open' },
          { id: 'p2', kind: 'point', name: 'Buurthuis Oost', lat: 52.0907, lon: 5.1360, services: ['information', 'charging'], status: 'open', seenAt: 1 },
          { id: 'water-1', kind: 'water', name: 'Waterpunt Plein', lat: 52.0997, lon: 5.1214, services: ['water'], status: 'limited', hours: '08:00–20:00' },
        ],
      },
    }, coordStaff);
    expect(sent.status).toBe(202);
    const dir = await until('the directory at the point', async () => {
      const r = await call<DirectoryView>(`${point.httpUrl}/api/directory`, 'GET');
      return r.body.data!.places.length ? r.body.data! : null;
    });
    expect(dir.origin).toEqual({ lat: 52.0907, lon: 5.1214 });
    expect(dir.places.map((p) => [p.id, p.source, p.status])).toEqual([
      ['p2', 'coordinator', 'open'],
      ['water-1', 'coordinator', 'limited'],
    ]);
    // 0.0146° of longitude at 52.09° N ≈ 999 m (12 min at 5 km/h); 0.009° of latitude ≈ 1001 m (13 min)
    expect(dir.places[0]!.distanceM).toBeGreaterThan(990);
    expect(dir.places[0]!.distanceM).toBeLessThan(1000);
    expect(dir.places[1]!.distanceM).toBeGreaterThan(1000);
    expect(dir.places.map((p) => p.walkMinutes)).toEqual([12, 13]);
    // The board still carries the live counts after the broadcast replaced its text.
    expect(await board()).toMatchObject({ matched: 1 });
  }, 90_000);
});
