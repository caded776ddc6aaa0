import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { envelope, postJson, postJsonFrom, startHarness, type Harness } from './harness.js';

interface Receipt {
  id: string;
  receipt: string;
  kind: string;
  status: string;
  createdAt: number;
  sentAt: number | null;
  confirmedAt: number | null;
}

const EMERGENCY = { what: 'medical', where: 'Dorpsstraat 12, achterom', people: 2, details: 'oudere man gevallen' };

describe('resident reports API', () => {
  let hx: Harness;
  beforeEach(async () => {
    hx = await startHarness();
  });
  afterEach(async () => hx.close());

  const receiptOf = async (r: string) => (await envelope(await fetch(`${hx.url}/api/reports/receipt?r=${encodeURIComponent(r)}`))).data as Receipt;

  it('stores an emergency report, hands it to the sink (sent) and shows the confirmation', async () => {
    const res = await postJson(`${hx.url}/api/reports/emergency`, EMERGENCY);
    expect(res.status).toBe(201);
    const r = (await envelope(res)).data as Receipt;
    expect(r.kind).toBe('emergency');
    expect(r.createdAt).toBe(hx.clock.now());
    await hx.api.reports.idle();
    expect(hx.sink.sent).toHaveLength(1);
    expect(hx.sink.sent[0]).toMatchObject({ id: r.id, kind: 'emergency', body: { what: 'medical', where: EMERGENCY.where, people: 2 } });

    const sent = await receiptOf(r.receipt);
    expect(sent.status).toBe('sent');
    expect(sent.sentAt).toBe(hx.clock.now());
    expect(sent.confirmedAt).toBeNull();

    hx.clock.advance(90_000);
    expect(hx.api.reports.markConfirmed(r.id)).toBe(true);
    const confirmed = await receiptOf(r.receipt);
    expect(confirmed).toMatchObject({ status: 'confirmed', confirmedAt: hx.clock.now(), sentAt: sent.sentAt });
    expect(hx.api.reports.markConfirmed(r.id)).toBe(false);
  });

  it('keeps a report submitted while the sink fails and sends it on the next round', async () => {
    hx.sink.fail = true;
    const r = (await envelope(await postJson(`${hx.url}/api/reports/need`, { category: 'water', people: 4 }))).data as Receipt;
    await hx.api.reports.idle();
    expect((await receiptOf(r.receipt)).status).toBe('submitted');
    hx.sink.fail = false;
    hx.clock.advance(3_600_000);
    await hx.api.reports.idle();
    expect((await receiptOf(r.receipt)).status).toBe('sent');
    expect(hx.sink.sent.map((s) => s.id)).toEqual([r.id]);
  });

  it('does not reveal a report without its receipt', async () => {
    const r = (await envelope(await postJson(`${hx.url}/api/reports/emergency`, EMERGENCY))).data as Receipt;
    const byId = await fetch(`${hx.url}/api/reports/receipt?r=${r.id}`);
    expect(byId.status).toBe(404);
    const stored = hx.db.prepare('SELECT receipt_hash FROM reports').get() as { receipt_hash: string };
    expect(stored.receipt_hash).not.toBe(r.receipt);
  });

  it.each([
    ['missing where', { what: 'fire', people: null }],
    ['where too short', { ...EMERGENCY, where: 'x' }],
    ['unknown kind', { ...EMERGENCY, what: 'alien' }],
    ['unknown field', { ...EMERGENCY, phone: '0612345678' }],
    ['people out of range', { ...EMERGENCY, people: 0 }],
    ['people not an integer', { ...EMERGENCY, people: 2.5 }],
    ['details too long', { ...EMERGENCY, details: 'x'.repeat(501) }],
    ['control characters', { ...EMERGENCY, where: 'Dorp\u0007straat' }],
    ['not an object', [1, 2]],
  ])('refuses invalid input: %s', async (_name, body) => {
    const res = await postJson(`${hx.url}/api/reports/emergency`, body);
    expect(res.status).toBe(400);
    expect((await envelope(res)).error).toMatch(/^invalid input/);
    expect(hx.db.prepare('SELECT count(*) AS n FROM reports').get()).toEqual({ n: 0 });
  });

  it('refuses a wrong content type, broken JSON and an oversized body', async () => {
    const form = await fetch(`${hx.url}/api/reports/need`, { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: '{}' });
    expect(form.status).toBe(415);
    const broken = await fetch(`${hx.url}/api/reports/need`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"category":' });
    expect(broken.status).toBe(400);
    const big = await postJson(`${hx.url}/api/reports/need`, { category: 'food', people: 1, details: 'x'.repeat(20_000) });
    expect(big.status).toBe(413);
  });

  it('needs consent for "I am safe" and keeps only name and message', async () => {
    const noConsent = await postJson(`${hx.url}/api/reports/safe`, { name: 'Fatima', consent: false });
    expect(noConsent.status).toBe(400);
    const ok = await postJson(`${hx.url}/api/reports/safe`, { name: ' Fatima ', message: 'bij mijn zus in Zwolle', consent: true });
    expect(ok.status).toBe(201);
    const row = hx.db.prepare('SELECT summary, personal FROM reports').get() as { summary: string; personal: string };
    expect(JSON.parse(row.personal)).toEqual({ name: 'Fatima', message: 'bij mijn zus in Zwolle' });
    expect(JSON.parse(row.summary)).toEqual({});
  });

  it('purges personal fields after the retention and keeps the statistics', async () => {
    await postJson(`${hx.url}/api/reports/safe`, { name: 'Piet', consent: true });
    await postJson(`${hx.url}/api/reports/emergency`, EMERGENCY);
    hx.clock.advance(29 * 86_400_000);
    await postJson(`${hx.url}/api/reports/need`, { category: 'medicine', people: 1, where: 'Kerkstraat 3' });
    expect(hx.api.reports.purge()).toBe(0);
    // the maintenance timer does it by itself
    hx.clock.advance(1 * 86_400_000 + 3_600_000);
    const rows = hx.db.prepare('SELECT kind, summary, personal, purged_at FROM reports ORDER BY created_at').all() as {
      kind: string;
      summary: string;
      personal: string | null;
      purged_at: number | null;
    }[];
    expect(rows.map((r) => [r.kind, r.personal === null])).toEqual([
      ['safe', true],
      ['emergency', true],
      ['need', false],
    ]);
    expect(JSON.parse(rows[1]!.summary)).toEqual({ what: 'medical', people: 2 });
    expect(rows[0]!.purged_at).not.toBeNull();
    expect(JSON.stringify(hx.api.reports.recent())).not.toContain('Piet');
  });

  it('rate-limits submissions per client address', async () => {
    const phone = (n: number) => postJsonFrom('127.0.0.2', `${hx.url}/api/reports/need`, { category: 'food', people: n });
    const codes: number[] = [];
    for (let i = 0; i < 12; i++) codes.push((await phone(1)).status);
    expect(codes.slice(0, 10)).toEqual(Array(10).fill(201));
    expect(codes.slice(10)).toEqual([429, 429]);
    expect((await phone(1)).retryAfter).toBe('60');
    // another phone is not affected
    expect((await postJsonFrom('127.0.0.3', `${hx.url}/api/reports/need`, { category: 'food', people: 1 })).status).toBe(201);
    hx.clock.advance(60_000);
    expect((await phone(1)).status).toBe(201);
  });

  it('gives the kiosk screen itself (127.0.0.1, shared by everyone at it) a larger budget', async () => {
    const codes: number[] = [];
    for (let i = 0; i < 31; i++) codes.push((await postJson(`${hx.url}/api/reports/need`, { category: 'water', people: 1 })).status);
    expect(codes.slice(0, 30)).toEqual(Array(30).fill(201));
    expect(codes[30]).toBe(429);
    hx.clock.advance(5_000);
    expect((await postJson(`${hx.url}/api/reports/need`, { category: 'water', people: 1 })).status).toBe(201);
  });

  it('refuses a cross-site submission', async () => {
    const res = await postJson(`${hx.url}/api/reports/emergency`, EMERGENCY, { Origin: 'http://evil.example' });
    expect(res.status).toBe(403);
  });

  it('works without JavaScript: form post, redirect, receipt page', async () => {
    const form = await fetch(`${hx.url}/report/emergency?lang=en`);
    expect(form.status).toBe(200);
    const html = await form.text();
    expect(html).toContain('<form');
    expect(html).toContain('action="/report/emergency?lang=en"');
    expect(html).toContain('lang="en" dir="ltr"');

    const post = await fetch(`${hx.url}/report/emergency?lang=en`, {
      method: 'POST',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ what: 'fire', where: 'Schoolplein', people: '' }).toString(),
    });
    expect(post.status).toBe(303);
    const location = post.headers.get('location')!;
    expect(location).toMatch(/^\/report\/receipt\?r=[A-Za-z0-9_-]+&lang=en$/);
    const receipt = await (await fetch(hx.url + location)).text();
    expect(receipt).toContain('data-status="sent"');
    expect(receipt).toContain('Sent to the coordination point at');

    const bad = await fetch(`${hx.url}/report/safe?lang=ar`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ name: 'Ali' }).toString(),
    });
    expect(bad.status).toBe(400);
    const badHtml = await bad.text();
    expect(badHtml).toContain('dir="rtl"');
    expect(badHtml).toContain('role="alert"');
    expect(badHtml).toContain('value="Ali"');
  });

  it('shows staff the reports with their status', async () => {
    await postJson(`${hx.url}/api/reports/emergency`, EMERGENCY);
    await hx.api.reports.idle();
    const recent = hx.api.reports.recent();
    expect(recent).toHaveLength(1);
    expect(recent[0]).toMatchObject({ kind: 'emergency', status: 'sent', personal: { where: EMERGENCY.where } });
  });
});
