// End-to-end: the coordinator console in Debian's Chromium against the simulated site (`noodsteun start`:
// coordinator, point gateway, simulated nodes running the real firmware). The point starts with little fuel.
// A coordinator logs in through the console, sees the point's fuel alert, reads an emergency report filed at
// the point, composes a broadcast, previews the e-ink frame, sends it, sees the point accept it, and the
// point's board image changes. Every screen passes axe (WCAG 2.1 A/AA).
// NOODSTEUN_SCREENSHOTS=1 also writes the screenshots in kiosk-ui/docs/.
import { mkdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, skipWithoutChromium } from '../support/chromium.js';
import { axeViolations } from '../support/axe.js';
import { addAccount, setupTechnician, startSimSite, waitFor, type SimSite } from '../support/site.js';

const skip = skipWithoutChromium('coordinator console end-to-end test');
const DOCS = fileURLToPath(new URL('../../docs/', import.meta.url));
const SHOTS = process.env.NOODSTEUN_SCREENSHOTS === '1';
const CAP_FILE = fileURLToPath(new URL('../../../edge-gateway/test/coordinator/fixtures/cap/cap12-spec-a2-severe-thunderstorm.xml', import.meta.url));

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(DOCS, { recursive: true });
  await page.screenshot({ path: `${DOCS}${name}`, fullPage: true });
}

async function boardPng(site: SimSite): Promise<Buffer | null> {
  const res = await fetch(`${site.pointUrl}/api/board/latest.png`);
  return res.ok ? Buffer.from(await res.arrayBuffer()) : null;
}

describe.skipIf(skip)('coordinator console against the simulated site, in Chromium', { timeout: 300_000 }, () => {
  let site: SimSite;
  let browser: Browser;
  let page: Page;
  const username = 'coordinator1';
  const password = 'a long coordinator passphrase';

  beforeAll(async () => {
    // 4 L in the 60 L tank: below the 10 % fuel-low threshold from the first status.
    site = await startSimSite({ scenario: { generator: { initialFuelL: 4 } } });
    // First-run set-up on the coordinator with the code from its data folder, then a coordinator account.
    const tech = await setupTechnician(site, 'coordinator');
    await addAccount(tech, 'coordinator', username, password);
    browser = await launchChromium();
    // bypassCSP: the gateway's CSP (rightly) blocks the inline axe-core script the accessibility check injects
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'nl-NL', bypassCSP: true });
    page = await context.newPage();
    page.on('pageerror', (err) => {
      throw err;
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await site?.stop();
  });

  it('logs in and sees the simulated point with its fuel alert on the overview', async () => {
    await page.goto(`${site.coordinatorUrl}/console/#/coordinator`);
    await page.locator('#login-username').fill(username);
    await page.locator('#login-password').fill(password);
    await page.locator('form button[type="submit"]').click();
    const row = page.locator('table[data-table="coordinator-points"] tbody tr').first();
    await row.waitFor({ timeout: 90_000 });
    const point = (await row.getAttribute('data-point'))!;
    expect(point).toBeTruthy();
    // the fuel-low alert is raised after its 30 s (simulated) delay and pushed live
    await page.locator(`tr[data-point="${point}"] td[data-cell="alerts"][data-tone="bad"]`).waitFor({ timeout: 90_000 });
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'console-coordinator.png');

    await page.locator('.co-subnav a', { hasText: /^Meldingen/ }).click();
    const fuel = page.locator(`li.co-alert[data-rule="fuel-low"]`).first();
    await fuel.waitFor();
    expect(await fuel.getAttribute('data-severity')).toBe('critical');
    expect(await fuel.textContent()).toContain('Brandstof bijna op');
    expect(await axeViolations(page)).toEqual([]);
    // acknowledge it from the keyboard
    await fuel.locator('button', { hasText: 'Gezien' }).focus();
    await page.keyboard.press('Enter');
    await page.locator(`li.co-alert[data-rule="fuel-low"][data-state="acknowledged"]`).first().waitFor();

    // the point's detail, with its four charts drawn by uPlot
    await page.goto(`${site.coordinatorUrl}/console/#/coordinator/point?id=${point}`);
    await page.locator('[data-chart="fuel"] .co-chart__plot[data-ready="true"] canvas').waitFor();
    for (const c of ['fuel', 'battery', 'visitors', 'charging']) await page.locator(`[data-chart="${c}"] canvas`).waitFor();
    expect(await page.locator('[data-chart="fuel"] .co-chart__summary').textContent()).toMatch(/metingen/);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'console-coordinator-point.png');

    // steering: switch the point's phone charging off (the command goes out over the coordinator's broker)
    const sent = page.waitForResponse((r) => r.url().endsWith('/api/points/charging-policy'));
    await page.locator('button', { hasText: 'Laden uitzetten' }).click();
    expect((await sent).status()).toBe(202);
    await page.locator('[role="status"]', { hasText: 'Opdracht verstuurd' }).waitFor();

    // pilot evidence: counts as CSV behind a download link
    await page.goto(`${site.coordinatorUrl}/console/#/coordinator/evidence`);
    await page.locator('button', { hasText: 'Gegevens ophalen' }).click();
    const link = page.locator('a[data-evidence]');
    await link.waitFor();
    expect(await link.getAttribute('download')).toMatch(/^noodsteun-evidence-.*\.csv$/);
    const download = page.waitForEvent('download');
    await link.click();
    const csv = readFileSync((await (await download).path())!, 'utf8');
    expect(csv.split('\n')[0]).toContain('visitors_entries');
    expect(csv).toContain(point);
    expect(await axeViolations(page)).toEqual([]);
  });

  it('reads an emergency report filed at the point, first in the inbox and marked as an emergency', async () => {
    const res = await fetch(`${site.pointUrl}/api/reports/emergency`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Origin: site.pointUrl },
      body: JSON.stringify({ what: 'medical', where: 'Achter de kerk, Brinkweg 4', details: 'Man onwel', people: 1 }),
    });
    expect(res.status).toBe(201);
    await page.goto(`${site.coordinatorUrl}/console/#/coordinator/inbox`);
    const first = page.locator('ul.co-inbox > li').first();
    await first.waitFor({ timeout: 90_000 });
    expect(await first.getAttribute('data-kind')).toBe('emergency');
    expect(await first.locator('h3').textContent()).toContain('NOODMELDING');
    expect(await first.textContent()).toContain('medical');
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'console-coordinator-inbox.png');
    await first.locator('button', { hasText: 'Afgehandeld' }).click();
    await page.locator('ul.co-inbox > li[data-kind="emergency"][data-handled="true"]').first().waitFor();
  });

  it('previews and sends a broadcast; the point accepts it and its board image changes', async () => {
    // The point renders its first board in a child process: minutes on a machine that is busy with other work.
    const before = await waitFor('the point’s first board image', () => boardPng(site), 240_000, site);
    await page.goto(`${site.coordinatorUrl}/console/#/coordinator/broadcast`);
    // a real CAP 1.2 alert (English only) as the starting point: English text taken over, Dutch scaffolded
    await page.locator('#co-cap').setInputFiles(CAP_FILE);
    await page.locator('.co-notes', { hasText: 'CAP-bericht geïmporteerd' }).waitFor({ timeout: 60_000 });
    expect(await page.locator('#co-en-situation').inputValue()).not.toBe('');
    expect(await page.locator('#co-nl-situation').inputValue()).not.toBe('');
    await page.locator('#co-authority').fill('Veiligheidsregio Drenthe');
    await page.locator('#co-pointname').fill('Dorpshuis De Linde');
    await page.locator('#co-nl-situation').fill('Stroomstoring in de hele gemeente. Test van het coördinatiepunt.');
    await page.locator('#co-nl-actions').fill('Blijf thuis als het veilig is.\nHelp uw buren.');
    await page.locator('#co-nl-outlook').fill('Morgen na 18:00 weer stroom.');
    await page.locator('#co-en-situation').fill('Power cut in the whole municipality. Coordinator test.');
    await page.locator('#co-en-actions').fill('Stay at home if it is safe.\nHelp your neighbours.');
    await page.locator('#co-en-outlook').fill('Power back tomorrow after 18:00.');
    const send = page.locator('button[data-action="send"]');
    expect(await send.isDisabled()).toBe(true); // no preview yet
    const img = page.locator('.co-previews[data-fresh="true"] figure img').first();
    const problem = page.locator('.co-composer [role="alert"]');
    // The first preview starts the gateway's renderer process; on a machine busy with other work it can
    // exceed the renderer's 60 s limit (HTTP 500), and the operator asks again: so may this test, once.
    for (let attempt = 1; ; attempt++) {
      await page.locator('button[data-action="preview"]').click();
      if (attempt > 1) await problem.first().waitFor({ state: 'detached' });
      await img.or(problem).first().waitFor({ timeout: 180_000 });
      const errors = await problem.allTextContents();
      if (errors.length === 0) break;
      if (attempt === 2 || !errors.join(' ').includes('internal error')) expect(errors).toEqual([]);
      console.warn(`preview attempt ${attempt} failed (${errors.join(' | ')}); retrying once`);
    }
    expect(await img.getAttribute('src')).toMatch(/^data:image\/png;base64,/);
    expect(await send.isDisabled()).toBe(false);
    expect(await axeViolations(page)).toEqual([]);
    await shot(page, 'console-coordinator-broadcast.png');

    await send.click();
    const accepted = page.locator('section[aria-labelledby="co-sent-title"] li[data-delivery="accepted"]');
    await accepted.first().waitFor({ timeout: 90_000 });
    expect(await page.locator('section[aria-labelledby="co-sent-title"] li[data-delivery]').count()).toBe(1);
    // the point now holds the signed content...
    const content = (await (await fetch(`${site.pointUrl}/api/board/content`)).json()) as { data: { content: { source: string; authority: string; text: { nl: { situation: string } } } } };
    expect(content.data.content).toMatchObject({ source: 'coordinator', authority: 'Veiligheidsregio Drenthe', text: { nl: { situation: 'Stroomstoring in de hele gemeente. Test van het coördinatiepunt.' } } });

    // ...and its board re-renders (never within 180 simulated seconds of the last refresh)
    const after = await waitFor('a changed board image', async () => {
      const png = await boardPng(site);
      return png && !png.equals(before) ? png : null;
    }, 240_000, site);
    expect(after.equals(before)).toBe(false);
  }, 720_000);
});
