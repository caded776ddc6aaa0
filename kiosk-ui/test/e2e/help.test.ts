// End-to-end against the gateway in simulation (`noodsteun start`: point, coordinator, simulated nodes), in
// Debian's Chromium: citizen help and the neighbourhood directory. A resident on a phone offers help, another
// on the kiosk (in Arabic, right-to-left) asks for help; the overview's aggregate shows both; staff match them
// in the console, mark the pair in progress and done; the board's help counts change (its content and its
// image); the coordinator's point list carries the counts; a request the point cannot serve is passed on as a
// needs report. A resident withdraws an offer with the code. Staff
// add a place to the directory and residents see it in the list and on the sketch map. axe-core: no WCAG 2.1
// A/AA violations on the resident screens. NOODSTEUN_SCREENSHOTS=1 also writes screenshots in kiosk-ui/docs/.
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, skipWithoutChromium } from '../support/chromium.js';
import { axeViolations } from '../support/axe.js';
import { addAccount, setupTechnician, startSimSite, useSessionIn, waitFor, type ApiSession, type SimSite } from '../support/site.js';

const skip = skipWithoutChromium('kiosk-ui citizen help against the simulated site');
const SHOTS = process.env.NOODSTEUN_SCREENSHOTS === '1';
const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const PHONE = { width: 360, height: 740 };
const KIOSK = { width: 1280, height: 1024 };

interface Envelope<T> {
  status: string;
  data: T;
}
async function getJson<T>(url: string): Promise<T> {
  return ((await (await fetch(url)).json()) as Envelope<T>).data;
}

type BoardHelp = { requestsOpen: number; offersOpen: number; matched: number; done: number; mostNeeded: string[] };
type CatCounts = Record<string, { open: number; matched: number; done: number }>;
type PointRow = { id: string; status: { help?: { requests: CatCounts; offers: CatCounts; mostNeeded: string[] } } | null };

describe.skipIf(skip)('citizen help and the directory against the simulated site, in Chromium', { timeout: 180_000 }, () => {
  let site: SimSite;
  let browser: Browser;
  let staff: ApiSession;
  const ids: { offer?: string; request?: string } = {};

  beforeAll(async () => {
    site = await startSimSite({ speed: 30, timeoutMs: 240_000 });
    browser = await launchChromium();
    const tech = await setupTechnician(site, 'point');
    staff = await addAccount(tech, 'staff', 'medewerker', 'a long staff passphrase');
  }, 420_000);

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  async function newPage(viewport: { width: number; height: number }, locale = 'nl-NL', login?: ApiSession): Promise<Page> {
    // bypassCSP: the gateway's CSP (rightly) blocks the inline axe-core script the accessibility check injects
    const context = await browser.newContext({ viewport, locale, bypassCSP: true });
    if (login) await useSessionIn(context, login);
    const page = await context.newPage();
    page.on('pageerror', (err) => {
      throw err;
    });
    return page;
  }

  it('a resident on a phone offers help from the start page and gets a withdraw code', async () => {
    const page = await newPage(PHONE);
    await page.goto(`${site.pointUrl}/`);
    await page.click('a[data-help-link="help"]');
    await page.locator('[data-screen="help"] h1', { hasText: 'Burenhulp' }).waitFor();
    await page.locator('.nh-glance').waitFor();
    expect(await page.textContent('.nh-needed')).toContain('Op dit moment zijn er geen open hulpvragen.');
    expect(await axeViolations(page)).toEqual([]);
    // large touch targets on a phone
    for (const h of await page.$$eval('.nh-actions .ns-action', (els) => els.map((e) => e.getBoundingClientRect().height))) expect(h).toBeGreaterThanOrEqual(48);
    if (SHOTS) await page.screenshot({ path: `${DOCS}help-phone.png`, fullPage: true });

    await page.click('a[data-action="offer"]');
    await page.locator('form[data-form="offer"]').waitFor();
    expect(await page.textContent('.ns-privacy')).toContain('Geen naam en geen telefoonnummer');
    // how long: the gateway's own settings (entry lifetime, personal-data retention)
    await page.locator('.ns-privacy [data-retention$="d"]').waitFor();
    expect(await page.textContent('.ns-privacy')).toMatch(/Na \d+ uur vervalt uw vraag of aanbod\. Na \d+ dagen wissen we uw tekst/);
    expect(await axeViolations(page)).toEqual([]);
    await page.getByLabel('Eten').check();
    await page.getByLabel(/Wat kunt u doen of uitlenen\?/).fill('Koken voor 30 mensen');
    await page.getByLabel(/Ik heb vervoer/).check();
    await page.getByLabel(/Wanneer kunt u\?/).fill('Elke middag');
    await page.getByLabel(/Waar\? \(straat of buurt\)/).fill('Dorpsstraat');
    await page.getByLabel(/Huisnummer of kenmerk/).fill('Anna, blauwe jas');
    await page.getByLabel('Ik heb dit gelezen en ik ga akkoord.').check();
    if (SHOTS) await page.screenshot({ path: `${DOCS}help-offer-phone.png`, fullPage: true });
    const posted = page.waitForResponse((r) => r.url().endsWith('/api/help/offers') && r.request().method() === 'POST');
    await page.click('form[data-form="offer"] button[type="submit"]');
    const res = await posted;
    expect(res.status()).toBe(201);
    ids.offer = ((await res.json()) as Envelope<{ id: string }>).data.id;
    const code = await page.locator('.nh-done [data-code]').getAttribute('data-code');
    expect(code).toMatch(/^[2-9A-HJKMNP-Z]{6}$/);
    expect(await page.textContent('.nh-done')).toContain('Dank u! Uw aanbod staat op de lijst.');
    expect(await axeViolations(page)).toEqual([]);
    await page.context().close();
  });

  it('another resident asks for help on the kiosk in Arabic, right to left', async () => {
    const page = await newPage(KIOSK, 'ar');
    await page.goto(`${site.pointUrl}/?lang=ar#/help/request`);
    await page.locator('form[data-form="request"]').waitFor();
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    // one page only: the server-rendered start page was taken over, not left under the form
    expect(await page.locator('h1').allTextContents()).toEqual(['طلب المساعدة']);
    // right to left: a choice's radio button sits at its right edge
    const choice = (await page.locator('.ns-choice').first().boundingBox())!;
    const radio = (await page.locator('.ns-choice input').first().boundingBox())!;
    expect(radio.x).toBeGreaterThan(choice.x + choice.width / 2);
    expect(await axeViolations(page)).toEqual([]);

    await page.check('input[name="category"][value="food"]');
    await page.fill('#h-what', 'وجبات لعائلة في الطابق الثالث');
    await page.fill('#h-where', 'Kerkstraat');
    await page.check('input[name="urgency"][value="high"]');
    await page.fill('#h-people', '3');
    await page.check('input[name="contact"][value="address"]');
    // "come to my address" makes the house number required
    expect(await page.getAttribute('#h-note', 'required')).not.toBeNull();
    await page.fill('#h-note', 'Kerkstraat 12');
    await page.check('input[name="consent"]');
    if (SHOTS) await page.screenshot({ path: `${DOCS}help-request-ar-kiosk.png`, fullPage: true });
    const posted = page.waitForResponse((r) => r.url().endsWith('/api/help/requests') && r.request().method() === 'POST');
    await page.click('form[data-form="request"] button[type="submit"]');
    const res = await posted;
    expect(res.status()).toBe(201);
    ids.request = ((await res.json()) as Envelope<{ id: string }>).data.id;
    await page.locator('.nh-done [data-code]').waitFor();
    expect(await page.textContent('.nh-done h2')).toBe('طلبك موجود في القائمة.');
    expect(await axeViolations(page)).toEqual([]);

    // the overview counts both, in aggregate only, and names what is most needed now
    await page.goto(`${site.pointUrl}/?lang=nl#/help`);
    await page.locator('.nh-cat[data-category="food"][data-requests="1"][data-offers="1"]').waitFor();
    expect(await page.getAttribute('.nh-needed', 'data-most-needed')).toBe('food');
    const text = await page.textContent('main');
    for (const personal of ['Kerkstraat 12', 'Anna', 'Koken voor 30']) expect(text).not.toContain(personal);
    if (SHOTS) await page.screenshot({ path: `${DOCS}help-kiosk.png`, fullPage: true });
    await page.context().close();
  });

  it('staff match the offer to the request, mark it in progress and done; the board and the coordinator follow', async () => {
    const boardHelp = async () => (await getJson<{ content: { help?: BoardHelp } | null }>(`${site.pointUrl}/api/board/content`)).content?.help ?? null;
    const before = await waitFor('the board\'s help counts', async () => {
      const h = await boardHelp();
      return h && h.requestsOpen === 1 && h.offersOpen === 1 ? h : null;
    }, 30_000, site);
    expect(before.mostNeeded).toEqual(['food']);
    const imageBefore = (await getJson<{ board: { updatedAt: number | null } }>(`${site.pointUrl}/api/status`)).board.updatedAt;

    const page = await newPage(KIOSK, 'nl-NL', staff);
    await page.goto(`${site.pointUrl}/console/#/help`);
    const req = page.locator(`[data-entry="${ids.request}"]`);
    await req.waitFor();
    expect(await req.textContent()).toContain('Kerkstraat 12');
    expect(await page.locator(`[data-entry="${ids.offer}"]`).textContent()).toContain('Anna, blauwe jas');
    expect(await page.inputValue(`select[name="match-${ids.request}"]`)).toBe(ids.offer);
    expect(await axeViolations(page)).toEqual([]);
    await req.locator('[data-do="match"]').click();
    await page.locator(`[data-entry="${ids.request}"][data-status="matched"]`).waitFor();
    await page.locator(`[data-entry="${ids.offer}"][data-status="matched"]`).waitFor();
    const matched = await waitFor('the board to count the match', async () => {
      const h = await boardHelp();
      return h && h.matched > 0 && h.requestsOpen === 0 ? h : null;
    }, 30_000, site);
    expect(matched).toMatchObject({ requestsOpen: 0, offersOpen: 0, done: 0 });
    if (SHOTS) await page.screenshot({ path: `${DOCS}console-help.png`, fullPage: true });

    await req.locator('[data-do="in-progress"]').click();
    await page.locator(`[data-entry="${ids.request}"][data-status="in-progress"]`).waitFor();
    await req.locator('[data-do="done"]').click();
    await page.locator(`[data-entry="${ids.request}"]`).waitFor({ state: 'detached' }); // done leaves the active list
    await page.check('text=Ook afgeronde, ingetrokken en verlopen tonen');
    await page.locator(`[data-entry="${ids.request}"][data-status="done"]`).waitFor();
    await page.locator(`[data-entry="${ids.offer}"][data-status="done"]`).waitFor();
    const done = await waitFor('the board to count the pair done', async () => {
      const h = await boardHelp();
      return h && h.done > 0 ? h : null;
    }, 30_000, site);
    expect(done).toMatchObject({ requestsOpen: 0, offersOpen: 0, matched: 0 });
    // the panel itself was redrawn since (refresh policy: at most every 180 simulated seconds)
    await waitFor('a new board image', async () => {
      const at = (await getJson<{ board: { updatedAt: number | null } }>(`${site.pointUrl}/api/status`)).board.updatedAt;
      return at !== null && (imageBefore === null || at > imageBefore);
    }, 60_000, site);

    // the coordination point sees the counts in the point's status
    // (its overview is for logged-in coordinators: the coordinator's first technician)
    const coordinator = await setupTechnician(site, 'coordinator');
    const help = await waitFor('the coordinator to see the help counts', async () => {
      const pts = await coordinator.get<{ points: PointRow[] } | PointRow[]>('/api/points');
      const rows = Array.isArray(pts) ? pts : pts.points;
      const h = rows.find((p) => p.status?.help)?.status?.help;
      return h && h.requests.food?.done === 1 ? h : null;
    }, 60_000, site);
    expect(help.requests.food).toEqual({ open: 0, matched: 0, done: 1 });
    expect(help.offers.food).toEqual({ open: 0, matched: 0, done: 1 });

    // staff enter a request for a resident at the desk; the withdraw code is shown once, to write down
    await page.goto(`${site.pointUrl}/console/#/help/new`);
    const form = page.locator('form[data-form="staff-help"]');
    await form.waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await form.locator('select[name="category"]').selectOption('water');
    await form.locator('textarea[name="what"]').fill('Drinkwater voor de zorgflat');
    await form.locator('input[name="where"]').fill('Zorgflat Oost');
    await form.locator('select[name="urgency"]').selectOption('urgent');
    await form.locator('input[name="people"]').fill('40');
    await form.locator('button[type="submit"]').click();
    const registered = page.locator('[data-registered]');
    await registered.waitFor();
    const water = { id: (await registered.getAttribute('data-registered'))!, code: (await registered.locator('[data-code]').getAttribute('data-code'))! };
    expect(water.code).toMatch(/^[A-Z0-9]{6}$/);
    const entered = (await staff.get<{ entries: { id: string; origin: string; category: string; people: number | null }[] }>('/api/staff/help')).entries.find((e) => e.id === water.id);
    expect(entered).toMatchObject({ origin: 'staff', category: 'water', people: 40 });

    // a request this point cannot serve goes to the coordination point as a needs report
    await page.goto(`${site.pointUrl}/console/#/help`);
    const card = page.locator(`[data-entry="${water.id}"]`);
    await card.waitFor();
    await card.locator('input[type="text"]').fill('Geen water meer op dit punt');
    await card.locator('[data-do="escalate"]').click();
    await page.locator(`[data-entry="${water.id}"] [data-escalated]`).waitFor();
    expect(await card.locator('[data-do="escalate"]').count()).toBe(0);
    const reports = await staff.get<{ reports: { kind: string; summary: { category?: string; people?: number | null } }[] }>('/api/staff/reports?limit=10');
    expect(reports.reports.find((r) => r.kind === 'need')?.summary).toMatchObject({ category: 'water', people: 40 });
    await page.context().close();
  });

  it('a resident withdraws an offer with the code', async () => {
    const page = await newPage(PHONE, 'en-GB');
    await page.goto(`${site.pointUrl}/?lang=en#/help/offer`);
    await page.check('input[name="category"][value="transport"]');
    await page.fill('#h-what', 'Van with a driver, 8 seats');
    await page.check('input[name="consent"]');
    await page.click('form[data-form="offer"] button[type="submit"]');
    const code = (await page.locator('.nh-done [data-code]').getAttribute('data-code'))!;

    const openBefore = (await getJson<{ totals: { offers: { open: number } } }>(`${site.pointUrl}/api/help/summary`)).totals.offers.open;
    await page.goto(`${site.pointUrl}/?lang=en#/help/withdraw`);
    await page.locator('#h-code').waitFor();
    await page.fill('#h-code', `${code.slice(0, 3).toLowerCase()}-${code.slice(3)}`); // as people type it
    await page.click('button[type="submit"]');
    await page.locator('.nh-found[data-status="open"]').waitFor();
    expect(await page.textContent('.nh-found')).toContain('Found: your offer.');
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await page.screenshot({ path: `${DOCS}help-withdraw-phone.png`, fullPage: true });
    await page.click('text=Yes, withdraw');
    await page.locator('.nh-found[data-status="withdrawn"]').waitFor();
    expect(await page.textContent('.nh-found')).toContain('Withdrawn. It is no longer on the list.');
    const summary = await getJson<{ totals: { offers: { open: number } } }>(`${site.pointUrl}/api/help/summary`);
    expect(summary.totals.offers.open).toBe(openBefore - 1);
    await page.context().close();
  });

  it('staff add a place to the directory; residents see it with its status, services and on the sketch map', async () => {
    const page = await newPage(KIOSK, 'nl-NL', staff);
    await page.goto(`${site.pointUrl}/console/#/help/places`);
    await page.locator('table[data-table="places"]').waitFor();
    await page.click('[data-do="add"]');
    await page.selectOption('#pl-kind', 'shelter');
    await page.fill('#pl-name', 'Sporthal De Wissel');
    await page.fill('#pl-address', 'Sportlaan 3');
    await page.fill('#pl-lat', '52,0921');
    await page.fill('#pl-lon', '5.1189');
    await page.selectOption('#pl-status', 'open');
    await page.check('input[value="shelter"]');
    await page.check('input[value="toilets"]');
    await page.fill('#pl-hours', 'dag en nacht');
    await page.click('form[data-form="place"] button[type="submit"]');
    await page.locator('tr[data-status="open"]', { hasText: 'Sporthal De Wissel' }).waitFor();
    // a second place, then its status changes to closed
    await page.click('[data-do="add"]');
    await page.selectOption('#pl-kind', 'water');
    await page.fill('#pl-name', 'Watertappunt Markt');
    await page.fill('#pl-lat', '52.0899');
    await page.fill('#pl-lon', '5.1222');
    await page.click('form[data-form="place"] button[type="submit"]');
    const tap = page.locator('tr', { hasText: 'Watertappunt Markt' });
    await tap.waitFor();
    await tap.locator('[data-do="edit"]').click();
    await page.selectOption('#pl-status', 'closed');
    await page.click('form[data-form="place"] button[type="submit"]');
    await page.locator('tr[data-status="closed"]', { hasText: 'Watertappunt Markt' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    if (SHOTS) await page.screenshot({ path: `${DOCS}console-help-places.png`, fullPage: true });
    await page.context().close();

    for (const [viewport, shot] of [
      [PHONE, 'places-phone.png'],
      [KIOSK, 'places-kiosk.png'],
    ] as const) {
      const res = await newPage(viewport);
      await res.goto(`${site.pointUrl}/`);
      await res.click('a[data-help-link="places"]');
      await res.locator('.nd-place').first().waitFor();
      const hall = res.locator('.nd-place', { hasText: 'Sporthal De Wissel' });
      expect(await hall.getAttribute('data-status')).toBe('open');
      expect(await hall.textContent()).toMatch(/Opvang.*Open.*dag en nacht.*Sportlaan 3.*Opvang en warmte, Wc/);
      expect(await res.locator('.nd-place[data-status="closed"]', { hasText: 'Watertappunt Markt' }).textContent()).toContain('Dicht');
      expect(await res.locator('.nd-map svg [data-mark]').count()).toBeGreaterThanOrEqual(2 + 2); // 2 places, north, scale
      expect(await axeViolations(res)).toEqual([]);
      if (SHOTS) await res.screenshot({ path: `${DOCS}${shot}`, fullPage: true });
      await res.context().close();
    }
  });
});
