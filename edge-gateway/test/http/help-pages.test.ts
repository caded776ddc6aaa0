// Citizen help and the directory without JavaScript, over a real HTTP server with a real SQLite file: plain
// form posts (application/x-www-form-urlencoded, as a browser without JavaScript sends them) and the HTML
// that comes back, in Dutch and Arabic.
import { request } from 'node:http';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { helpStrings } from '../../../kiosk-ui/src/lib/i18n/tables/help.js';
import { HOUR, startHelpHarness, type HelpHarness } from '../help/harness.js';

const nl = helpStrings.nl;
const ar = helpStrings.ar;

interface Page {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  html: string;
}

/** A request as a browser without JavaScript makes it: a GET, or a form post (from `from`, a loopback address). */
function browse(url: string, o: { form?: Record<string, string>; origin?: string; lang?: string; from?: string } = {}): Promise<Page> {
  const body = o.form ? new URLSearchParams(o.form).toString() : undefined;
  const headers: Record<string, string> = {};
  if (body !== undefined) Object.assign(headers, { 'Content-Type': 'application/x-www-form-urlencoded', 'Content-Length': String(Buffer.byteLength(body)) });
  if (o.origin) headers.Origin = o.origin;
  if (o.lang) headers['Accept-Language'] = o.lang;
  return new Promise((resolve, reject) => {
    const req = request(url, { method: body === undefined ? 'GET' : 'POST', headers, ...(o.from ? { localAddress: o.from } : {}) }, (res) => {
      let html = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (html += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, html }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const codeOf = (html: string) => /data-code="([A-Z0-9]+)"/.exec(html)?.[1];
const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const OFFER = { category: 'food', what: 'Ik kan koken voor 30 mensen', transport: 'yes', when: 'middag', where: 'Dorpsstraat 4', contact: 'at-point', note: '', consent: 'yes' };
const REQUEST = { category: 'water', what: 'Drinkwater voor ons gezin', where: 'Kerkplein 3', urgency: 'high', people: '4', contact: 'at-point', note: '', consent: 'yes' };

describe('citizen help without JavaScript', () => {
  let s: HelpHarness;
  beforeAll(async () => {
    s = await startHelpHarness({ pages: {} });
  });
  afterAll(async () => s.close());

  it('the hub shows the counts and links to real paths, with no app script', async () => {
    const p = await browse(`${s.url}/help?lang=nl`);
    expect(p.status).toBe(200);
    expect(p.html).toContain('<html lang="nl" dir="ltr">');
    expect(p.html).toContain('data-screen="help"');
    expect(p.html).toContain(esc(nl['needed.none']));
    for (const [a, href] of [['offer', '/help/offer?lang=nl'], ['request', '/help/request?lang=nl'], ['withdraw', '/help/withdraw?lang=nl'], ['places', '/places?lang=nl']])
      expect(p.html).toContain(`href="${href}" data-action="${a}"`);
    expect(p.html).not.toMatch(/<script/);
    // the help screens' stylesheet comes inline (in the app it comes with their chunk)
    expect(p.html).toMatch(/<style>[\s\S]*\.nh-actions[\s\S]*<\/style>/);
  });

  it('an offer posted as a plain form gives the page with the withdraw code, and the hub counts it', async () => {
    const form = await browse(`${s.url}/help/offer?lang=nl`);
    expect(form.status).toBe(200);
    expect(form.html).toContain('method="post" action="/help/offer?lang=nl"');
    expect(form.html).toContain(`href="/help?lang=nl"`);

    const done = await browse(`${s.url}/help/offer?lang=nl`, { form: OFFER, origin: s.url });
    expect(done.status).toBe(200);
    expect(done.headers['cache-control']).toBe('no-store');
    expect(done.html).toContain(esc(nl['done.offer']));
    const code = codeOf(done.html);
    expect(code).toMatch(/^[23456789ABCDEFGHJKMNPQRSTUVWXYZ]{6}$/);
    expect(s.help.lookup(code!)).toMatchObject({ kind: 'offer', category: 'food', status: 'open' });
    const entry = s.help.list({ kind: 'offer' }).find((e) => e.id === s.help.lookup(code!)!.id)!;
    expect(entry).toMatchObject({ origin: 'resident', transport: true, personal: { what: OFFER.what, where: 'Dorpsstraat 4', when: 'middag', contact: { method: 'at-point', note: '' } } });

    const hub = await browse(`${s.url}/help?lang=nl`);
    expect(hub.html).toMatch(/data-stat="offers"><dt>[^<]*<\/dt><dd>1<\/dd>/);
    expect(hub.html).toContain('data-category="food" data-requests="0" data-offers="1"');
  });

  it('a request with invalid input comes back with status 400, the error and every value kept', async () => {
    const before = s.help.list({ kind: 'request', status: 'all' }).length;
    // "come to my address" without the address note
    const bad = { ...REQUEST, contact: 'address', note: '  ' };
    const p = await browse(`${s.url}/help/request?lang=nl`, { form: bad, origin: s.url });
    expect(p.status).toBe(400);
    expect(p.html).toContain(`role="alert">${esc(nl['error.invalid'])}`);
    expect(p.html).toMatch(/name="category" value="water" required checked/);
    expect(p.html).toMatch(/name="urgency" value="high" required checked/);
    expect(p.html).toMatch(/name="contact" value="address" required checked/);
    expect(p.html).toContain(`>${REQUEST.what}</textarea>`);
    expect(p.html).toMatch(/name="where"[^>]*value="Kerkplein 3"/);
    expect(p.html).toMatch(/name="people"[^>]*value="4"/);
    expect(p.html).toContain('method="post" action="/help/request?lang=nl"');
    // no consent (an old browser need not enforce `required`), and a bad count of people: refused too
    expect((await browse(`${s.url}/help/request`, { form: { ...REQUEST, consent: '' }, origin: s.url })).status).toBe(400);
    expect((await browse(`${s.url}/help/request`, { form: { ...REQUEST, people: '0' }, origin: s.url })).status).toBe(400);
    expect((await browse(`${s.url}/help/request`, { form: { ...REQUEST, what: 'x'.repeat(201) }, origin: s.url })).status).toBe(400);
    expect(s.help.list({ kind: 'request', status: 'all' })).toHaveLength(before);

    const ok = await browse(`${s.url}/help/request?lang=nl`, { form: REQUEST, origin: s.url });
    expect(ok.status).toBe(200);
    expect(ok.html).toContain(esc(nl['done.request']));
    expect(s.help.lookup(codeOf(ok.html)!)).toMatchObject({ kind: 'request', category: 'water', status: 'open' });
  });

  it('withdraws by code: code → the entry → confirm → withdrawn; a wrong code says so', async () => {
    const code = codeOf((await browse(`${s.url}/help/offer?lang=nl`, { form: OFFER, origin: s.url })).html)!;
    const start = await browse(`${s.url}/help/withdraw?lang=nl`);
    expect(start.status).toBe(200);
    expect(start.html).toContain('method="post" action="/help/withdraw?lang=nl"');

    // typed as a person might: lower case, with a dash
    const typed = `${code.slice(0, 3).toLowerCase()}-${code.slice(3)}`;
    const found = await browse(`${s.url}/help/withdraw?lang=nl`, { form: { code: typed }, origin: s.url });
    expect(found.status).toBe(200);
    expect(found.html).toContain(esc(nl['withdraw.found.offer']));
    expect(found.html).toContain(`<input type="hidden" name="code" value="${code}"/><input type="hidden" name="confirm" value="yes"/>`);
    expect(s.help.lookup(code)!.status).toBe('open');

    const done = await browse(`${s.url}/help/withdraw?lang=nl`, { form: { code, confirm: 'yes' }, origin: s.url });
    expect(done.status).toBe(200);
    expect(done.html).toContain(esc(nl['withdraw.done']));
    expect(s.help.lookup(code)!.status).toBe('withdrawn');

    // once more: the entry is closed now, and the page says so
    const again = await browse(`${s.url}/help/withdraw?lang=nl`, { form: { code, confirm: 'yes' }, origin: s.url });
    expect(again.status).toBe(409);
    expect(again.html).toContain(esc(nl['withdraw.closed']));

    for (const wrong of ['ZZZZZZ', 'abc', '']) {
      const p = await browse(`${s.url}/help/withdraw?lang=nl`, { form: { code: wrong }, origin: s.url });
      expect(p.status, wrong).toBe(404);
      expect(p.html).toContain(`role="alert">${esc(nl['withdraw.notFound'])}`);
      // what was typed stays in the field (an empty value renders as a bare attribute)
      expect(p.html).toMatch(wrong ? new RegExp(`name="code"[^>]*value="${wrong}"`) : /name="code"[^>]*value aria-describedby/);
    }
  });

  it('the directory lists a place the staff entered, with status, services, distance and walking time, and the sketch map', async () => {
    const res = await fetch(`${s.url}/api/staff/directory`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', origin: s.url, ...s.staff },
      body: JSON.stringify({ kind: 'shelter', name: 'Sporthal De Wending', address: 'Sportlaan 1', lat: 52.0997, lon: 5.1214, services: ['water', 'shelter'], status: 'open', hours: '08:00–22:00' }),
    });
    expect(res.status).toBe(201);
    const p = await browse(`${s.url}/places?lang=nl`);
    expect(p.status).toBe(200);
    expect(p.html).toContain('data-screen="places"');
    expect(p.html).toMatch(/<li class="nd-place" data-place="[^"]+" data-status="open">/);
    expect(p.html).toContain('Sporthal De Wending');
    expect(p.html).toContain(esc(nl['place.shelter']));
    expect(p.html).toContain(esc(nl['status.open']));
    expect(p.html).toContain(`${esc(nl['places.services'])}: ${nl['svc.water']}, ${nl['svc.shelter']}`);
    // 0.009° north ≈ 1 km: rounded to 1 km, 13 minutes at 4.8 km/h (whatever the walking speed, in minutes)
    expect(p.html).toMatch(/<p class="nd-walk">1 km, \d+ min lopen<\/p>/);
    expect(p.html).toMatch(/<svg viewBox="0 0 320 320" role="img"[^>]*>[\s\S]*data-mark="1"[\s\S]*<\/svg>/);
    expect(p.html).not.toMatch(/<script/);
  });

  it('refuses a post from another site (403) and registers nothing', async () => {
    const before = s.help.list({ status: 'all' }).length;
    const p = await browse(`${s.url}/help/offer`, { form: OFFER, origin: 'http://evil.example' });
    expect(p.status).toBe(403);
    expect((await browse(`${s.url}/help/withdraw`, { form: { code: 'ZZZZZZ' }, origin: 'http://evil.example' })).status).toBe(403);
    expect(s.help.list({ status: 'all' })).toHaveLength(before);
  });

  it('speaks Arabic right to left, by ?lang= and by Accept-Language', async () => {
    const byQuery = await browse(`${s.url}/help/offer?lang=ar`);
    expect(byQuery.html).toContain('<html lang="ar" dir="rtl">');
    expect(byQuery.html).toContain(esc(ar['offer.title']));
    expect(byQuery.html).toContain('action="/help/offer?lang=ar"');
    const byHeader = await browse(`${s.url}/places`, { lang: 'ar,en;q=0.5' });
    expect(byHeader.html).toContain('<html lang="ar" dir="rtl">');
    expect(byHeader.html).toContain(esc(ar['places.title']));

    const done = await browse(`${s.url}/help/request?lang=ar`, { form: REQUEST, origin: s.url });
    expect(done.status).toBe(200);
    expect(done.html).toContain('dir="rtl"');
    expect(done.html).toContain(esc(ar['done.request']));
    expect(codeOf(done.html)).toMatch(/^[A-Z0-9]{6}$/);
    const nlPage = await browse(`${s.url}/help`, { lang: 'nl-NL' });
    expect(nlPage.html).toContain('<html lang="nl" dir="ltr">');
    expect(nlPage.html).toContain(esc(nl['help.title']));
  });
});

describe('rate limit, the built app shell and an absent service', () => {
  let s: HelpHarness;
  let uiDir: string;
  beforeAll(async () => {
    uiDir = mkdtempSync(join(tmpdir(), 'ns-help-ui-'));
    writeFileSync(
      join(uiDir, 'index.html'),
      '<!doctype html>\n<html lang="nl" dir="ltr">\n<head><title>x</title><script type="module" crossorigin src="/assets/resident-1.js"></script>\n<link rel="modulepreload" crossorigin href="/assets/chunk-2.js">\n<link rel="stylesheet" crossorigin href="/assets/resident-3.css">\n</head><body><div id="app"></div></body></html>',
    );
    s = await startHelpHarness({ pages: { uiDir }, limits: { residentLimit: { capacity: 2, refillMs: HOUR } } });
  });
  afterAll(async () => {
    await s.close();
    rmSync(uiDir, { recursive: true, force: true });
  });

  it('over the resident limit the form comes back (429, Retry-After) with what was typed', async () => {
    // a phone on the point Wi-Fi (not the kiosk's own screen on 127.0.0.1)
    const from = '127.0.0.2';
    expect((await browse(`${s.url}/help/offer`, { form: OFFER, origin: s.url, from })).status).toBe(200);
    expect((await browse(`${s.url}/help/offer`, { form: OFFER, origin: s.url, from })).status).toBe(200);
    const p = await browse(`${s.url}/help/offer?lang=nl`, { form: { ...OFFER, what: 'Een aggregaat lenen' }, origin: s.url, from });
    expect(p.status).toBe(429);
    expect(Number(p.headers['retry-after'])).toBeGreaterThan(0);
    expect(p.html).toContain(`role="alert">${esc(nl['error.rate'])}`);
    expect(p.html).toContain('>Een aggregaat lenen</textarea>');
    const w = await browse(`${s.url}/help/withdraw?lang=nl`, { form: { code: 'ABCDEF' }, origin: s.url, from });
    expect(w.status).toBe(429);
    expect(w.html).toContain(esc(nl['error.rate']));
    expect(s.help.list({ kind: 'offer' })).toHaveLength(2);
  });

  it('uses the built page shell with its stylesheet but without the app script', async () => {
    const p = await browse(`${s.url}/help/request?lang=nl`);
    expect(p.status).toBe(200);
    expect(p.html).toContain('<link rel="stylesheet" crossorigin href="/assets/resident-3.css">');
    expect(p.html).not.toContain('resident-1.js');
    expect(p.html).not.toContain('modulepreload');
    expect(p.html).toContain(`<title>${esc(nl['request.title'])} · `);
    expect(p.html).toMatch(/<div id="app"><div class="ns-page" data-screen="help-request">/);
  });

  it('answers 404 where citizen help or the directory does not run', async () => {
    const bare = await startHelpHarness({ withHelp: false, pages: {} });
    try {
      for (const path of ['/help', '/help/offer', '/help/withdraw', '/places']) expect((await browse(bare.url + path)).status, path).toBe(404);
      expect((await browse(`${bare.url}/help/request`, { form: REQUEST, origin: bare.url })).status).toBe(404);
    } finally {
      await bare.close();
    }
  });
});
