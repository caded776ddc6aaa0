// Citizen help over the real HTTP server and a real SQLite file: the life cycle of offers and requests,
// who may see what, the withdraw code, malformed input, escalation and the evidence export.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { HelpEntry, Registered } from '../../src/help/index.js';
import type { HelpSummary } from '../../src/help/aggregate.js';
import { call, HOUR, startHelpHarness, type HelpHarness } from './harness.js';

let h: HelpHarness;
beforeEach(async () => {
  h = await startHelpHarness();
});
afterEach(async () => {
  await h.close();
});

const offer = { category: 'food', what: 'Ik kan koken voor 30 mensen', transport: true, when: 'middag', where: 'Dorpsstraat', contact: { method: 'at-point' } };
const request = { category: 'food', what: 'Warme maaltijd voor ons gezin', where: 'Kerkplein 3', urgency: 'high', people: 4, contact: { method: 'address', note: 'Kerkplein 3, 2e etage' } };

async function register(kind: 'offers' | 'requests', body: unknown): Promise<Registered> {
  const r = await call<Registered>(`${h.url}/api/help/${kind}`, 'POST', body);
  expect(r.status, JSON.stringify(r.body)).toBe(201);
  return r.body.data!;
}
const summary = async () => (await call<HelpSummary>(`${h.url}/api/help/summary`, 'GET')).body.data!;
const foodOf = (s: HelpSummary) => s.categories.find((c) => c.category === 'food')!;
const staffList = async (q = '') => (await call<{ entries: HelpEntry[] }>(`${h.url}/api/staff/help${q}`, 'GET', undefined, h.staff)).body.data!.entries;

describe('citizen help life cycle', () => {
  it('register → match → in progress → done, with the aggregate following each step', async () => {
    const o = await register('offers', offer);
    const r = await register('requests', request);
    expect(o.code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
    expect(r).toMatchObject({ kind: 'request', category: 'food', status: 'open', expiresAt: r.createdAt + 72 * HOUR });

    let s = await summary();
    expect(foodOf(s)).toMatchObject({ requests: { open: 1, matched: 0, done: 0 }, offers: { open: 1, matched: 0, done: 0 } });
    // high urgency (4) × 4 people
    expect(s.mostNeeded).toEqual([{ category: 'food', score: 16, openRequests: 1, people: 4 }]);
    expect(JSON.stringify(s)).not.toContain('Kerkplein');
    expect(s.retention).toEqual({ entryHours: 72, personalDays: 30 });

    const m = await call<{ offer: HelpEntry; request: HelpEntry }>(`${h.url}/api/staff/help/match`, 'POST', { offer: o.id, request: r.id }, h.staff);
    expect(m.status).toBe(200);
    expect(m.body.data!.offer).toMatchObject({ status: 'matched', matchedWith: r.id });
    expect(m.body.data!.request).toMatchObject({ status: 'matched', matchedWith: o.id, people: 4, urgency: 'high' });
    expect(m.body.data!.request.personal).toEqual({ what: request.what, where: 'Kerkplein 3', when: '', contact: request.contact });
    s = await summary();
    expect(foodOf(s).requests).toEqual({ open: 0, matched: 1, inProgress: 0, done: 0 });
    expect(s.mostNeeded).toEqual([]);

    // matching again is a conflict: both are matched now
    const again = await call(`${h.url}/api/staff/help/match`, 'POST', { offer: o.id, request: r.id }, h.staff);
    expect(again.status).toBe(409);
    expect(again.body.error).toMatch(/not open/);

    const prog = await call<{ entries: HelpEntry[] }>(`${h.url}/api/staff/help/status`, 'POST', { id: r.id, status: 'in-progress' }, h.staff);
    expect(prog.body.data!.entries.map((e) => [e.id, e.status]).sort()).toEqual([[o.id, 'in-progress'], [r.id, 'in-progress']].sort());
    expect(foodOf(await summary()).offers).toEqual({ open: 0, matched: 0, inProgress: 1, done: 0 });

    const done = await call<{ entries: HelpEntry[] }>(`${h.url}/api/staff/help/status`, 'POST', { id: o.id, status: 'done' }, h.staff);
    expect(done.body.data!.entries.every((e) => e.status === 'done')).toBe(true);
    expect(foodOf(await summary())).toMatchObject({ requests: { open: 0, matched: 0, inProgress: 0, done: 1 }, offers: { done: 1 } });

    // done is final; the resident's code can no longer withdraw it, but still shows the outcome
    expect((await call(`${h.url}/api/staff/help/status`, 'POST', { id: r.id, status: 'open' }, h.staff)).status).toBe(409);
    expect((await call(`${h.url}/api/help/withdraw`, 'POST', { code: r.code })).status).toBe(404);
    expect((await call<{ status: string }>(`${h.url}/api/help/lookup`, 'POST', { code: r.code.toLowerCase() })).body.data!.status).toBe('done');

    // the staff list: active by default, everything with status=all
    expect(await staffList()).toEqual([]);
    expect((await staffList('?status=all')).map((e) => e.id).sort()).toEqual([o.id, r.id].sort());
    expect((await staffList('?status=done&kind=offer')).map((e) => e.id)).toEqual([o.id]);
  });

  it('a resident withdraws with the right code only; the matched partner goes back to open', async () => {
    const o = await register('offers', offer);
    const r = await register('requests', request);
    await call(`${h.url}/api/staff/help/match`, 'POST', { offer: o.id, request: r.id }, h.staff);

    const wrong = await call(`${h.url}/api/help/withdraw`, 'POST', { code: o.code === 'ABCDEF' ? 'ABCDEG' : 'ABCDEF' });
    expect(wrong.status).toBe(404);
    expect(wrong.body.error).toBe('no open entry with this code');
    const garbage = await call(`${h.url}/api/help/withdraw`, 'POST', { code: '!!' });
    expect(garbage.status).toBe(404);

    // with a dash and in lower case, as a resident might type it
    const typed = `${r.code.slice(0, 3)}-${r.code.slice(3)}`.toLowerCase();
    const ok = await call<{ id: string; status: string }>(`${h.url}/api/help/withdraw`, 'POST', { code: typed });
    expect(ok.status).toBe(200);
    expect(ok.body.data).toMatchObject({ id: r.id, status: 'withdrawn' });
    expect(JSON.stringify(ok.body.data)).not.toContain('Kerkplein');

    const entries = await staffList('?status=all');
    expect(entries.find((e) => e.id === o.id)).toMatchObject({ status: 'open', matchedWith: null });
    expect(entries.find((e) => e.id === r.id)).toMatchObject({ status: 'withdrawn' });
    // a second withdraw with the same code: nothing open behind it
    expect((await call(`${h.url}/api/help/withdraw`, 'POST', { code: r.code })).status).toBe(404);
    // staff may withdraw too
    const byStaff = await call<{ entries: HelpEntry[] }>(`${h.url}/api/staff/help/status`, 'POST', { id: o.id, status: 'withdrawn' }, h.staff);
    expect(byStaff.body.data!.entries[0]).toMatchObject({ id: o.id, status: 'withdrawn' });
  });

  it('unmatching puts both back to open', async () => {
    const o = await register('offers', offer);
    const r = await register('requests', request);
    await call(`${h.url}/api/staff/help/match`, 'POST', { offer: o.id, request: r.id }, h.staff);
    const un = await call<{ entries: HelpEntry[] }>(`${h.url}/api/staff/help/status`, 'POST', { id: o.id, status: 'open' }, h.staff);
    expect(un.body.data!.entries.map((e) => [e.status, e.matchedWith])).toEqual([['open', null], ['open', null]]);
    expect(foodOf(await summary()).requests.open).toBe(1);
  });

  it('open and matched entries expire after the configured lifetime; in-progress ones do not', async () => {
    const a = await register('requests', request);
    const o = await register('offers', offer);
    const r = await register('requests', { ...request, category: 'water', urgency: 'urgent', people: null });
    await call(`${h.url}/api/staff/help/match`, 'POST', { offer: o.id, request: r.id }, h.staff);
    await call(`${h.url}/api/staff/help/status`, 'POST', { id: r.id, status: 'in-progress' }, h.staff);

    h.clock.advance(71 * HOUR);
    expect((await staffList()).length).toBe(3);
    h.clock.advance(2 * HOUR); // the hourly maintenance runs past the 72 h lifetime
    const all = await staffList('?status=all');
    expect(all.find((e) => e.id === a.id)!.status).toBe('expired');
    expect(all.find((e) => e.id === r.id)!.status).toBe('in-progress');
    expect(all.find((e) => e.id === o.id)!.status).toBe('in-progress');
    expect((await call(`${h.url}/api/help/withdraw`, 'POST', { code: a.code })).status).toBe(404);
    expect((await summary()).mostNeeded).toEqual([]);
  });

  it('most needed weighs open requests by urgency and people', async () => {
    await register('requests', { ...request, category: 'water', urgency: 'low', people: 10 }); // 10
    await register('requests', { ...request, category: 'medicine', urgency: 'urgent', people: null }); // 8
    await register('requests', { ...request, category: 'medicine', urgency: 'normal', people: 2 }); // 4
    await register('requests', { ...request, category: 'care', urgency: 'normal', people: 1 }); // 2
    await register('requests', { ...request, category: 'power', urgency: 'low', people: 1 }); // 1
    const s = await summary();
    expect(s.mostNeeded.map((m) => [m.category, m.score])).toEqual([['medicine', 12], ['water', 10], ['care', 2]]);
    expect(s.totals.requests.open).toBe(5);
  });

  it('escalates a request to the coordinator as a needs report through the report service', async () => {
    const r = await register('requests', { ...request, category: 'shelter', what: 'Slaapplek voor 6 mensen' , people: 6 });
    const o = await register('offers', offer);
    const e = await call<{ entry: HelpEntry; report: { id: string; kind: string } }>(`${h.url}/api/staff/help/escalate`, 'POST', { id: r.id, note: 'geen plek hier' }, h.staff);
    expect(e.status).toBe(201);
    expect(e.body.data!.report.kind).toBe('need');
    expect(e.body.data!.entry.escalation).toEqual({ reportId: e.body.data!.report.id, at: h.clock.now() });
    await h.api.reports.idle();
    expect(h.sink.sent).toHaveLength(1);
    expect(h.sink.sent[0]).toMatchObject({ kind: 'need', body: { category: 'shelter', people: 6, where: 'Kerkplein 3', details: 'Slaapplek voor 6 mensen — geen plek hier' } });
    expect((await call(`${h.url}/api/staff/help/escalate`, 'POST', { id: r.id }, h.staff)).status).toBe(409);
    expect((await call(`${h.url}/api/staff/help/escalate`, 'POST', { id: o.id }, h.staff)).body.error).toMatch(/not a request/);
  });
});

describe('access control and input', () => {
  it('residents cannot list, match or export; staff need the CSRF header', async () => {
    const o = await register('offers', offer);
    const r = await register('requests', request);
    expect((await call(`${h.url}/api/staff/help`, 'GET')).status).toBe(401);
    expect((await call(`${h.url}/api/staff/help/export`, 'GET')).status).toBe(401);
    expect((await call(`${h.url}/api/staff/help/match`, 'POST', { offer: o.id, request: r.id })).status).toBe(401);
    const noCsrf = await call(`${h.url}/api/staff/help/match`, 'POST', { offer: o.id, request: r.id }, { cookie: h.staff.cookie! });
    expect(noCsrf.status).toBe(403);
    // a cross-site page cannot register in a resident's name
    const cross = await call(`${h.url}/api/help/offers`, 'POST', offer, { origin: 'http://evil.example' });
    expect(cross.status).toBe(403);
    // nothing in the public summary or lookup reveals another resident's entry
    const lookup = await call<Record<string, unknown>>(`${h.url}/api/help/lookup`, 'POST', { code: r.code });
    expect(Object.keys(lookup.body.data!).sort()).toEqual(['category', 'createdAt', 'expiresAt', 'id', 'kind', 'status']);
  });

  it('rejects malformed input with a clear error', async () => {
    const bad = async (path: string, body: unknown) => {
      const r = await call(`${h.url}${path}`, 'POST', body);
      expect(r.status, JSON.stringify(body)).toBe(400);
      return r.body.error!;
    };
    expect(await bad('/api/help/offers', { ...offer, category: 'chainsaws' })).toMatch(/^invalid input: category/);
    expect(await bad('/api/help/offers', { ...offer, what: 'x' })).toMatch(/^invalid input: what/);
    expect(await bad('/api/help/offers', { ...offer, phone: '0612345678' })).toMatch(/^invalid input/);
    expect(await bad('/api/help/requests', { ...request, people: 0 })).toMatch(/^invalid input: people/);
    expect(await bad('/api/help/requests', { ...request, urgency: 'asap' })).toMatch(/^invalid input: urgency/);
    expect(await bad('/api/help/requests', { ...request, contact: { method: 'address', note: '' } })).toMatch(/^invalid input: contact.note an address contact needs a note/);
    expect(await bad('/api/help/requests', { ...request, what: 'hulp\u0007nodig' })).toMatch(/control characters/);
    expect(await bad('/api/help/withdraw', {})).toMatch(/^invalid input: code/);
    const notJson = await fetch(`${h.url}/api/help/offers`, { method: 'POST', headers: { 'content-type': 'text/plain' }, body: 'hi' });
    expect(notJson.status).toBe(415);
    const q = await call(`${h.url}/api/staff/help?limit=0`, 'GET', undefined, h.staff);
    expect(q.status).toBe(400);
    expect(q.body.error).toMatch(/^invalid input: limit/);
    const st = await call(`${h.url}/api/staff/help/status`, 'POST', { id: 'nope', status: 'done' }, h.staff);
    expect(st.status).toBe(404);
  });

  it('rate-limits resident registrations per client', async () => {
    let last = 0;
    for (let i = 0; i < 31; i++) last = (await call(`${h.url}/api/help/offers`, 'POST', offer)).status;
    // the kiosk's own budget (burst 30) is used up by the 31st
    expect(last).toBe(429);
  });
});

describe('retention and evidence', () => {
  it('purges personal fields after the retention; counts and the export keep counts only', async () => {
    const o = await register('offers', offer);
    const r = await register('requests', request);
    await call(`${h.url}/api/staff/help/match`, 'POST', { offer: o.id, request: r.id }, h.staff);
    await call(`${h.url}/api/staff/help/status`, 'POST', { id: r.id, status: 'done' }, h.staff);
    h.clock.advance(30 * 24 * HOUR + HOUR);
    const all = await staffList('?status=all');
    expect(all).toHaveLength(2);
    for (const e of all) {
      expect(e.personal).toBeNull();
      expect(e.purgedAt).not.toBeNull();
    }
    const raw = h.db.prepare('SELECT personal, code_hash FROM help_entries').all() as { personal: string | null; code_hash: string | null }[];
    expect(raw.every((x) => x.personal === null && x.code_hash === null)).toBe(true);
    expect(foodOf(await summary()).requests.done).toBe(1);
    // the code no longer finds anything
    expect((await call(`${h.url}/api/help/lookup`, 'POST', { code: r.code })).status).toBe(404);

    const ex = await call<{ filename: string; csv: string }>(`${h.url}/api/staff/help/export`, 'GET', undefined, h.staff);
    expect(ex.body.data!.filename).toBe('help-evidence-p1-2026-12-27.csv');
    expect(ex.body.data!.csv).toBe(
      'day,kind,category,registered,matched,done,withdrawn,expired,escalated,people\n' +
        '2026-11-27,offer,food,1,1,1,0,0,0,0\n' +
        '2026-11-27,request,food,1,1,1,0,0,0,4\n',
    );
  });
});

describe('a gateway without citizen help', () => {
  it('answers 404 on the help routes', async () => {
    const bare = await startHelpHarness({ withHelp: false });
    try {
      const r = await call(`${bare.url}/api/help/summary`, 'GET');
      expect(r.status).toBe(404);
      expect(r.body.error).toBe('this gateway does not run citizen help');
      expect((await call(`${bare.url}/api/directory`, 'GET')).body.error).toBe('this gateway does not run the neighbourhood directory');
    } finally {
      await bare.close();
    }
  });
});
