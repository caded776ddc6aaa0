// End-to-end: the resident report screens in Debian's Chromium against a real gateway HTTP server (the
// gateway's own server, its API routes on a real SQLite file, its server-rendered resident page and the
// built UI as static files). A resident files an emergency report and follows it to "confirmed", switches
// to Arabic (right-to-left), files "I am safe" without JavaScript; staff endpoints refuse the anonymous.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SystemClock } from '../../../edge-gateway/src/core/clock.js';
import { memoryLogger } from '../../../edge-gateway/src/log/logger.js';
import { createHttpServer, type HttpServer } from '../../../edge-gateway/src/http/server.js';
import { createResidentPage } from '../../../edge-gateway/src/http/resident-page.js';
import { buildStatusData } from '../../../edge-gateway/src/http/status-view.js';
import { migrate } from '../../../edge-gateway/src/store/migrations.js';
import { API_MIGRATIONS, MemoryReportSink, createApi, type Api } from '../../../edge-gateway/src/api/index.js';
import { launchChromium, skipWithoutChromium } from '../support/chromium.js';
import { axeViolations } from '../support/axe.js';
import { builtUi, type BuiltUi } from '../support/ui-server.js';

const skip = skipWithoutChromium('kiosk-ui report screens end-to-end test');

describe.skipIf(skip)('resident report screens against the gateway, in Chromium', { timeout: 90_000 }, () => {
  let ui: BuiltUi;
  let dir: string;
  let db: Database.Database;
  let api: Api;
  let http: HttpServer;
  let url: string;
  let browser: Browser;
  const sink = new MemoryReportSink();

  beforeAll(async () => {
    ui = await builtUi();
    dir = mkdtempSync(join(tmpdir(), 'ns-e2e-reports-'));
    db = new Database(join(dir, 'gateway.db'));
    migrate(db, API_MIGRATIONS);
    const clock = new SystemClock();
    const log = memoryLogger();
    api = createApi({ db, clock, log, sink, personalRetentionDays: 30, uiDir: ui.dir });
    api.start();
    const residentPage = createResidentPage(ui.dir);
    const status = () =>
      buildStatusData({ point: { id: 'p1', name: 'Dorpshuis De Linde', role: 'point' }, registry: null, now: clock.now(), board: { image: null, updatedAt: null } });
    http = createHttpServer({
      routes: {
        ...api.routes,
        'GET /': (req, u) => ({ kind: 'html', body: residentPage(status(), { lang: u.searchParams.get('lang'), acceptLanguage: req.headers['accept-language'] }) }),
        'GET /api/status': () => ({ kind: 'json', data: status() }),
      },
      staticDir: ui.dir,
      log,
    });
    url = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    api?.stop();
    await http?.close();
    db?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
    ui?.cleanup();
  });

  async function newPage(opts: { locale?: string; javaScriptEnabled?: boolean } = {}): Promise<Page> {
    // bypassCSP: the gateway's CSP (rightly) blocks the inline axe-core script the accessibility check injects
    const context = await browser.newContext({
      viewport: { width: 400, height: 800 },
      locale: opts.locale ?? 'nl-NL',
      javaScriptEnabled: opts.javaScriptEnabled ?? true,
      bypassCSP: true,
    });
    const page = await context.newPage();
    page.on('pageerror', (err) => {
      throw err;
    });
    return page;
  }

  it('files an emergency report from the resident page and sees it sent, then confirmed', async () => {
    const page = await newPage();
    await page.goto(`${url}/`);
    await page.click('a[data-report="emergency"]');
    await page.waitForURL(/\/report\/emergency/);
    await page.locator('h1', { hasText: 'Noodgeval melden' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    // every choice is a large touch target
    const heights = await page.$$eval('.ns-choice', (els) => els.map((e) => e.getBoundingClientRect().height));
    expect(heights.length).toBe(6);
    for (const hgt of heights) expect(hgt).toBeGreaterThanOrEqual(44);

    await page.getByLabel('Brand').check();
    await page.getByLabel(/Waar is het\?/).fill('Schoolstraat 4, achter de gymzaal');
    await page.getByLabel('Hoeveel mensen?').fill('3');
    const submitted = page.waitForResponse((r) => r.url().endsWith('/api/reports/emergency') && r.request().method() === 'POST');
    await page.click('button[type="submit"]');
    expect((await submitted).status()).toBe(201);

    await page.locator('.ns-receipt[data-status="sent"]').waitFor();
    expect(await page.textContent('.ns-receipt')).toMatch(/Verstuurd naar het coördinatiepunt om \d\d:\d\d/);
    expect(await page.textContent('.ns-receipt')).toContain('Nog niet bevestigd');
    expect(new URL(page.url()).pathname).toBe('/report/receipt');
    expect(sink.sent.at(-1)?.body).toMatchObject({ what: 'fire', where: 'Schoolstraat 4, achter de gymzaal', people: 3 });
    expect(await axeViolations(page)).toEqual([]);

    // the relay's hook; the receipt address survives a reload and shows the confirmation
    expect(api.reports.markConfirmed(sink.sent.at(-1)!.id)).toBe(true);
    await page.reload();
    await page.locator('.ns-receipt[data-status="confirmed"]').waitFor();
    expect(await page.textContent('.ns-receipt')).toMatch(/Bevestigd door het coördinatiepunt om \d\d:\d\d/);
  });

  it('switches the report screen to Arabic, right-to-left', async () => {
    const page = await newPage();
    await page.goto(`${url}/report/need`);
    await page.locator('h1', { hasText: 'Zeggen wat u nodig hebt' }).waitFor();
    await page.click('a[data-lang="ar"]');
    await page.locator('html[dir="rtl"]').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.textContent('h1')).toBe('أخبرنا بما تحتاجه');
    // the form's first field starts at the right edge in RTL
    const box = (await page.locator('.ns-choice').first().boundingBox())!;
    const legend = (await page.locator('legend').first().boundingBox())!;
    expect(legend.x + legend.width).toBeGreaterThan(box.x + box.width - 40);
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('مياه للشرب').check();
    await page.click('button[type="submit"]');
    await page.locator('.ns-receipt[data-status="sent"]').waitFor();
    expect(await page.textContent('.ns-receipt h2')).toBe('بلاغك');
  });

  it('registers "I am safe" without JavaScript, with the privacy statement', async () => {
    const page = await newPage({ javaScriptEnabled: false, locale: 'en-GB' });
    await page.goto(`${url}/report/safe`);
    expect(await page.textContent('.ns-privacy')).toContain('After 30 days your name and message are deleted automatically');
    await page.getByLabel('Your name').fill('Olena');
    await page.getByLabel('I have read this and I agree.').check();
    await page.click('button[type="submit"]');
    await page.waitForURL(/\/report\/receipt\?r=/);
    expect(await page.getAttribute('.ns-receipt', 'data-status')).toBe('sent');
    expect(sink.sent.at(-1)).toMatchObject({ kind: 'safe', body: { name: 'Olena' } });
  });

  it('refuses staff and technician endpoints to a browser without a login', async () => {
    const page = await newPage();
    await page.goto(`${url}/`);
    const codes = await page.evaluate(async () => {
      const get = async (p: string) => (await fetch(p)).status;
      const post = async (p: string) =>
        (await fetch(p, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ username: 'x', password: 'y'.repeat(12), role: 'staff' }) })).status;
      return [await get('/api/staff/reports'), await get('/api/users'), await post('/api/users'), await get('/api/auth/session')];
    });
    expect(codes).toEqual([401, 401, 401, 401]);
  });
});
