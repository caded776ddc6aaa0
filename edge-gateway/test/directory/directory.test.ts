// The neighbourhood directory: walking distances, staff-entered places over the real HTTP server and SQLite,
// the coordinator's list arriving in a signed board broadcast (and a tampered one refused), and the
// schematic offline map.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ManualClock } from '../../src/core/clock.js';
import { memoryLogger } from '../../src/log/logger.js';
import { haversineM, offsetM, walkMinutes } from '../../src/directory/geo.js';
import { directoryFromPointBook, type DirectoryView, type Place } from '../../src/directory/index.js';
import { parseBoardContent, type BoardContent } from '../../src/board/content.js';
import { sampleContent } from '../../src/board/sample-content.js';
import { BoardInbox } from '../../src/relay/board-inbox.js';
import { BoardSigner, BoardVerifier, MemoryCounterStore, generateSigningKey, type SignedBoard } from '../../src/coordinator/signing/index.js';
import { call, startHelpHarness, type HelpHarness } from '../help/harness.js';

describe('walking distance', () => {
  it('haversine and minutes at 5 km/h', () => {
    // One degree along a meridian is 2πR/360 with R = 6371 km.
    expect(haversineM({ lat: 52, lon: 5 }, { lat: 53, lon: 5 })).toBeCloseTo((2 * Math.PI * 6_371_000) / 360, 3);
    // Along a parallel it shrinks with cos(latitude).
    expect(haversineM({ lat: 60, lon: 0 }, { lat: 60, lon: 0.001 })).toBeCloseTo(((2 * Math.PI * 6_371_000) / 360) * 0.001 * 0.5, 1);
    expect(haversineM({ lat: 52.1, lon: 5.1 }, { lat: 52.1, lon: 5.1 })).toBe(0);
    expect(walkMinutes(0)).toBe(0);
    expect(walkMinutes(1000)).toBe(12); // 1000 m / 83.3 m per minute = 12.0
    expect(walkMinutes(1001)).toBe(13);
    const o = offsetM({ lat: 52, lon: 5 }, { lat: 52.009, lon: 5 });
    expect(o.east).toBeCloseTo(0, 6);
    expect(o.north).toBeCloseTo(1000.8, 0);
  });
});

describe('directory over HTTP', () => {
  let h: HelpHarness;
  beforeEach(async () => {
    h = await startHelpHarness({ origin: { lat: 52.0907, lon: 5.1214 } });
  });
  afterEach(async () => {
    await h.close();
  });
  const view = async (q = '') => (await call<DirectoryView>(`${h.url}/api/directory${q}`, 'GET')).body.data!;
  const shelter = { kind: 'shelter', name: 'Sporthal De Slenk', address: 'Brinkweg 4', lat: 52.0997, lon: 5.1214, services: ['shelter', 'water'], status: 'open', hours: '24 uur' };
  const firstAid = { kind: 'first-aid', name: 'EHBO-post Kerk', lat: 52.0917, lon: 5.1214, services: ['first-aid'], status: 'limited' };

  it('staff add, change and remove local places; residents see them nearest first', async () => {
    const a = await call<Place>(`${h.url}/api/staff/directory`, 'POST', shelter, h.staff);
    expect(a.status).toBe(201);
    expect(a.body.data).toMatchObject({ ...shelter, source: 'local', seenAt: null, note: '' });
    const b = await call<Place>(`${h.url}/api/staff/directory`, 'POST', { ...firstAid, id: 'ehbo-kerk' }, h.staff);
    expect(b.status).toBe(201);

    let v = await view();
    expect(v.origin).toEqual({ lat: 52.0907, lon: 5.1214 });
    expect(v.places.map((p) => [p.name, p.distanceM, p.walkMinutes])).toEqual([
      ['EHBO-post Kerk', 111, 2],
      ['Sporthal De Slenk', 1001, 13],
    ]);
    expect((await view('?kind=shelter')).places.map((p) => p.name)).toEqual(['Sporthal De Slenk']);

    const changed = await call<Place>(`${h.url}/api/staff/directory`, 'POST', { ...firstAid, id: 'ehbo-kerk', status: 'closed' }, h.staff);
    expect(changed.status).toBe(200);
    expect((await view()).places[0]!.status).toBe('closed');

    expect((await call(`${h.url}/api/staff/directory/delete`, 'POST', { id: 'ehbo-kerk' }, h.staff)).status).toBe(200);
    expect((await call(`${h.url}/api/staff/directory/delete`, 'POST', { id: 'ehbo-kerk' }, h.staff)).status).toBe(404);
    v = await view();
    expect(v.places.map((p) => p.name)).toEqual(['Sporthal De Slenk']);
  });

  it('refuses residents and malformed places', async () => {
    expect((await call(`${h.url}/api/staff/directory`, 'POST', shelter)).status).toBe(401);
    const bad = async (body: unknown) => {
      const r = await call(`${h.url}/api/staff/directory`, 'POST', body, h.staff);
      expect(r.status).toBe(400);
      return r.body.error!;
    };
    expect(await bad({ ...shelter, lat: 91 })).toMatch(/^invalid input: lat/);
    expect(await bad({ ...shelter, kind: 'castle' })).toMatch(/^invalid input: kind/);
    expect(await bad({ ...shelter, id: 'Not An Id' })).toMatch(/^invalid input: id/);
    expect(await bad({ ...shelter, services: ['spa'] })).toMatch(/^invalid input: services/);
    expect(await bad({ ...shelter, source: 'coordinator' })).toMatch(/^invalid input/);
    const q = await call(`${h.url}/api/directory?kind=castle`, 'GET');
    expect(q.status).toBe(400);
  });

  it('takes the coordinator’s list: replaces its earlier one, skips this point, keeps local places, and staff cannot edit it', async () => {
    await call(`${h.url}/api/staff/directory`, 'POST', { ...firstAid, id: 'ehbo-kerk' }, h.staff);
    const entries = directoryFromPointBook(
      [
        { point: 'p1', name: 'Dit punt', online: true, receivedAt: 5 },
        { point: 'p2', name: 'Buurthuis Oost', online: true, receivedAt: 7 },
        { point: 'p3', name: 'School West', online: false, receivedAt: 2 },
        { point: 'p4', name: 'Zonder locatie', online: true, receivedAt: 3 },
      ],
      new Map([
        ['p1', { lat: 52.0907, lon: 5.1214 }],
        ['p2', { lat: 52.0907, lon: 5.1360, address: 'Oostweg 1' }],
        ['p3', { lat: 52.0907, lon: 5.1000 }],
      ]),
    );
    expect(entries.map((e) => [e.id, e.status, e.seenAt])).toEqual([['p1', 'open', 5], ['p2', 'open', 7], ['p3', 'unknown', 2]]);
    // The coordinator also lists a place with the id staff use locally: the local one stays.
    h.directory.applyCoordinator([...entries, { ...entries[1]!, id: 'ehbo-kerk', name: 'Coordinator copy' }]);
    let v = await view();
    expect(v.places.map((p) => [p.id, p.source])).toEqual([['ehbo-kerk', 'local'], ['p2', 'coordinator'], ['p3', 'coordinator']]);
    expect(v.places.find((p) => p.id === 'p3')).toMatchObject({ kind: 'point', status: 'unknown', seenAt: 2 });

    const edit = await call(`${h.url}/api/staff/directory`, 'POST', { ...shelter, id: 'p2' }, h.staff);
    expect(edit.status).toBe(409);
    expect(edit.body.error).toMatch(/comes from the coordinator/);
    expect((await call(`${h.url}/api/staff/directory/delete`, 'POST', { id: 'p2' }, h.staff)).status).toBe(409);

    // A newer list replaces the whole coordinator part.
    h.directory.applyCoordinator([entries[2]!]);
    v = await view();
    expect(v.places.map((p) => p.id)).toEqual(['ehbo-kerk', 'p3']);
  });

  it('draws a schematic map: one numbered marker per place, names escaped, scale and north arrow', async () => {
    await call(`${h.url}/api/staff/directory`, 'POST', shelter, h.staff);
    await call(`${h.url}/api/staff/directory`, 'POST', { ...firstAid, name: 'EHBO <script>alert(1)</script> & co' }, h.staff);
    const { svg } = (await call<{ svg: string }>(`${h.url}/api/directory/map`, 'GET')).body.data!;
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
    expect(svg).not.toContain('<script>');
    expect(svg).toContain('<title>1. EHBO &lt;script&gt;alert(1)&lt;/script&gt; &amp; co</title>');
    expect(svg).toContain('<title>2. Sporthal De Slenk</title>');
    expect(svg.match(/<circle cx="[\d.]+" cy="[\d.]+" r="14"/g)).toHaveLength(2);
    expect(svg).toContain('>N</text>');
    expect(svg).toMatch(/>(\d+ m|\d+ km)<\/text>/);
    // The shelter 1001 m due north is drawn straight above the centre (240, 240) at the map's radius (200 px).
    expect(svg).toContain('<circle cx="240" cy="40" r="14"');
  });

  it('without a configured location, distances are unknown', async () => {
    const bare = await startHelpHarness({ origin: null });
    try {
      await call(`${bare.url}/api/staff/directory`, 'POST', shelter, bare.staff);
      const v = (await call<DirectoryView>(`${bare.url}/api/directory`, 'GET')).body.data!;
      expect(v.origin).toBeNull();
      expect(v.places[0]).toMatchObject({ distanceM: null, walkMinutes: null });
    } finally {
      await bare.close();
    }
  });
});

describe('directory in the signed board broadcast', () => {
  it('reaches the point only through a valid Ed25519 signature', async () => {
    const key = generateSigningKey();
    const signer = new BoardSigner({ key, issuer: 'regio', counters: new MemoryCounterStore() });
    const verifier = new BoardVerifier({
      point: 'p1',
      trusted: [{ issuer: 'regio', keyId: key.keyId, key: key.publicKeyObject }],
      counters: new MemoryCounterStore(),
    });
    const applied: BoardContent[] = [];
    const inbox = new BoardInbox({ point: 'p1', verifier, clock: new ManualClock(Date.now()), apply: (c) => void applied.push(c), log: memoryLogger() });
    const content = parseBoardContent({
      ...sampleContent(),
      directory: [{ id: 'water-1', kind: 'water', name: 'Waterpunt', lat: 52.1, lon: 5.12, services: ['water'], status: 'open' }],
    });
    const signed = await signer.sign(content, { kind: 'point', point: 'p1' }, Date.now(), 3600_000);

    // Someone on the way moves the water point: the signature no longer matches.
    const tampered: SignedBoard = JSON.parse(JSON.stringify(signed)) as SignedBoard;
    (tampered.payload.content as { directory: { lat: number }[] }).directory[0]!.lat = 52.2;
    expect((await inbox.handle(JSON.stringify(tampered))).result).toBe('bad-signature');
    expect(applied).toHaveLength(0);

    expect((await inbox.handle(JSON.stringify(signed))).result).toBe('accepted');
    expect(applied[0]!.directory).toEqual([{ id: 'water-1', kind: 'water', name: 'Waterpunt', address: '', lat: 52.1, lon: 5.12, services: ['water'], status: 'open', hours: '', note: '', seenAt: null }]);
  });
});
