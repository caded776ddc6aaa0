// End-to-end smoke test: the built UI in Debian's Chromium, served with the mock API (no gateway).
// Checks what a resident sees, the language switch (Arabic → dir=rtl), WCAG 2.1 AA rules with axe-core,
// the polling fallback when there is no WebSocket, and the console routes.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { StatusPage } from '../../src/resident/StatusPage.js';
import { createI18n } from '../../src/lib/i18n/i18n.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { defaultMockState, type MockState } from '../../mock/api.js';
import { statusFixture } from '../../mock/fixtures.js';
import { launchChromium, skipWithoutChromium } from '../support/chromium.js';
import { axeViolations } from '../support/axe.js';
import { builtUi, startUiServer, type BuiltUi, type UiServer } from '../support/ui-server.js';

const skip = skipWithoutChromium('kiosk-ui end-to-end test');
/** Goal from the project brief: the resident app stays small enough for a slow point Wi-Fi and old phones. */
const RESIDENT_JS_GZIP_LIMIT = 60 * 1024;

// One build per run, shared by the describes below.
let uiOnce: Promise<BuiltUi> | null = null;
const getUi = () => (uiOnce ??= builtUi());
// file-level: runs after both describes; removes a temporary build (never kiosk-ui/dist)
afterAll(async () => (await uiOnce)?.cleanup());

describe('kiosk-ui build', () => {
  let ui: BuiltUi;
  beforeAll(async () => {
    ui = await getUi();
  }, 120_000);

  it('keeps the JavaScript the resident page loads under 60 KB gzip', () => {
    const html = readFileSync(join(ui.dir, 'index.html'), 'utf8');
    const scripts = [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
    expect(scripts.length).toBeGreaterThan(0);
    const gzip = scripts.reduce((sum, s) => sum + gzipSync(readFileSync(join(ui.dir, s))).length, 0);
    console.log(`kiosk-ui e2e: resident page JS ${scripts.length} files, ${(gzip / 1024).toFixed(1)} KB gzip`);
    expect(gzip).toBeLessThanOrEqual(RESIDENT_JS_GZIP_LIMIT);
    // the console's tables (lazy routes of the other entry) are not part of it
    for (const s of scripts) expect(readFileSync(join(ui.dir, s), 'utf8'), s).not.toContain('data-table');
  });

  it('emits the fallback stylesheet under a stable name for the no-JS page', () => {
    expect(readFileSync(join(ui.dir, 'fallback.css'), 'utf8')).toContain('.ns-status__item');
  });
});

// Chromium on a busy 2-core machine: a page step can take seconds.
describe.skipIf(skip)('kiosk-ui in Chromium', { timeout: 90_000 }, () => {
  let ui: BuiltUi;
  let server: UiServer;
  let browser: Browser;
  let role: 'point' | 'coordinator' = 'point';
  const state: MockState = {
    status: () => {
      const s = statusFixture();
      s.point.role = role;
      return s;
    },
    points: () => (role === 'coordinator' ? defaultMockState.points() : null),
  };

  beforeAll(async () => {
    ui = await getUi();
    console.log(`kiosk-ui e2e: UI from ${ui.how === 'dist' ? 'kiosk-ui/dist' : `a fresh build (${Math.round(ui.ms)} ms)`}`);
    server = await startUiServer(ui.dir, state, {
      // what the gateway's no-JS fallback does: the same view rendered on the server into the app's page
      '/ssr.html': () =>
        readFileSync(join(ui.dir, 'index.html'), 'utf8').replace(
          '<div id="app"></div>',
          `<div id="app">${renderToString(h(StatusPage, { i18n: createI18n('nl'), status: state.status(), mode: 'polling', lost: false }))}</div>`,
        ),
    });
    browser = await launchChromium();
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  /** `locale` is the browser's language: Dutch on the kiosk, anything on a resident's phone. */
  async function newPage(locale = 'nl-NL'): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 800, height: 1280 }, locale });
    const page = await context.newPage();
    page.on('pageerror', (err) => {
      throw err;
    });
    return page;
  }

  it('shows the point name and plain status with large targets, polls without a socket, and switches to Arabic right-to-left', async () => {
    const page = await newPage();
    await page.goto(`${server.url}/`);
    await page.locator('h1.ns-header__name', { hasText: 'Dorpshuis De Linde' }).waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('nl');
    expect(await page.getAttribute('html', 'dir')).toBe('ltr');
    expect(await page.textContent('[data-kind="fuel"] .ns-status__value')).toBe('Wordt minder');
    // the mock has no /api/live socket: the page must say it polls instead
    await page.locator('.ns-conn[data-state="polling"]').waitFor();
    // touch targets: the language buttons are at least 44 × 44 CSS px (WCAG 2.5.5)
    const sizes = await page.$$eval('.ns-lang__button', (els) => els.map((e) => e.getBoundingClientRect()).map((r) => [r.width, r.height]));
    expect(sizes).toHaveLength(6); // nl en ar uk pl tr
    for (const [w, h] of sizes) {
      expect(w).toBeGreaterThanOrEqual(44);
      expect(h).toBeGreaterThanOrEqual(44);
    }

    expect(await axeViolations(page)).toEqual([]);

    await page.click('a[data-lang="ar"]');
    await page.locator('html[dir="rtl"]').waitFor();
    expect(await page.getAttribute('html', 'lang')).toBe('ar');
    expect(await page.textContent('#slot-situation')).toBe('ماذا يحدث؟');
    expect(await page.textContent('h1.ns-header__name')).toBe('Dorpshuis De Linde');
    expect(await axeViolations(page)).toEqual([]);

    // the choice survives a reload (kiosk screens get reloaded by staff)
    expect(new URL(page.url()).searchParams.get('lang')).toBe('ar');
    await page.reload();
    await page.locator('h1.ns-header__name', { hasText: 'Dorpshuis De Linde' }).waitFor();
    expect(await page.getAttribute('html', 'dir')).toBe('rtl');
    await page.click('a[data-lang="en"]');
    await page.locator('html[dir="ltr"][lang="en"]').waitFor();
    expect(await page.textContent('#slot-action')).toBe('What can you do?');
    await page.context().close();
  });

  it('server-rendered markup reads without JavaScript, and the app takes it over without duplicating it', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false, locale: 'nl-NL' });
    const noJs = await context.newPage();
    await noJs.goto(`${server.url}/ssr.html`);
    expect(await noJs.textContent('h1')).toBe('Dorpshuis De Linde');
    expect(await noJs.textContent('[data-kind="battery"] .ns-status__value')).toBe('Goed vol');
    // styled by the bundled stylesheet: the status items are laid out as cards, not a bulleted list
    expect(await noJs.$eval('.ns-status__list', (el) => getComputedStyle(el).display)).toBe('grid');
    expect(await noJs.getAttribute('a[data-lang="en"]', 'href')).toBe('?lang=en');
    await context.close();

    const page = await newPage();
    await page.goto(`${server.url}/ssr.html`);
    await page.locator('.ns-conn[data-state="polling"]').waitFor();
    await page.click('a[data-lang="en"]'); // handled by the app: no navigation
    await page.locator('html[lang="en"]').waitFor();
    expect(await page.locator('.ns-page').count()).toBe(1);
    expect(await page.locator('h1').count()).toBe(1);
    expect(await page.textContent('[data-kind="battery"] .ns-status__value')).toBe('Well charged');
    await page.context().close();
  });

  it('starts in the language of a phone set to Arabic', async () => {
    const page = await newPage('ar-SY');
    await page.goto(`${server.url}/`);
    await page.locator('html[lang="ar"][dir="rtl"]').waitFor();
    expect(await page.textContent('#slot-action')).toBe('ماذا يمكنك أن تفعل؟');
    await page.context().close();
  });

  // The console's screens themselves are tested against the simulated site (staff-site, commissioning, coordinator).
  it('console: an anonymous visitor gets the login screen and none of the screens behind it', async () => {
    for (const r of ['point', 'coordinator'] as const) {
      role = r;
      const page = await newPage();
      await page.goto(`${server.url}/console/#/technician`);
      await page.locator('[data-screen="login"]').waitFor();
      expect(await page.locator('#login-username').isVisible()).toBe(true);
      expect(await page.locator('table').count()).toBe(0);
      expect(await page.locator('[data-placeholder="auth"]').count()).toBe(0); // the old "not secured" banner is gone
      expect(await axeViolations(page)).toEqual([]);
      await page.context().close();
    }
  });
});
