// Suite `ui`: what a resident's phone pays for the resident screens, and whether they are accessible.
// Builds the kiosk UI afresh (with Vite's manifest), serves it with the gateway's own HTTP server, API
// routes (real SQLite) and server-rendered pages in-process — no simulator — and drives Debian's Chromium.
// Figures are defined in bench/README.md `## ui`.
import Database from 'better-sqlite3';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import type { Browser, Page } from 'playwright-core';
import { SystemClock } from '../../edge-gateway/src/core/clock.js';
import { silentLogger } from '../../edge-gateway/src/log/logger.js';
import { createHttpServer, type HttpServer, type RouteTable } from '../../edge-gateway/src/http/server.js';
import { createResidentPage } from '../../edge-gateway/src/http/resident-page.js';
import { buildStatusData } from '../../edge-gateway/src/http/status-view.js';
import { migrate } from '../../edge-gateway/src/store/migrations.js';
import { API_MIGRATIONS, createApi, MemoryReportSink } from '../../edge-gateway/src/api/index.js';
import { sampleContent } from '../../edge-gateway/src/board/sample-content.js';
import { KIOSK_ROOT } from '../../kiosk-ui/test/support/ui-server.js';
import { CHROMIUM_PATH, launchChromium } from '../../kiosk-ui/test/support/chromium.js';
import { MockCharging } from '../../kiosk-ui/mock/api.js';

type Figure = { value: number; unit: string };
type ManifestChunk = { file: string; isEntry?: boolean; imports?: string[]; dynamicImports?: string[] };
type Manifest = Record<string, ManifestChunk>;

const RUNS = 3;
/** Slow Wi-Fi at a crowded point: 400 kbit/s each way, 400 ms round trip; an old phone: CPU 4× slower. */
const NETWORK = { offline: false, latency: 400, downloadThroughput: (400 * 1000) / 8, uploadThroughput: (400 * 1000) / 8 };
const CPU_SLOWDOWN = 4;
/** Interactive = the app has taken over and the main thread then stays free of long tasks this long. */
const QUIET_MS = 500;

async function buildUi(outDir: string): Promise<Manifest> {
  const { build } = await import('vite');
  await build({ configFile: join(KIOSK_ROOT, 'vite.config.ts'), logLevel: 'warn', build: { outDir, emptyOutDir: true, manifest: true } });
  return JSON.parse(readFileSync(join(outDir, '.vite', 'manifest.json'), 'utf8')) as Manifest;
}

/** Files of a chunk and everything it imports statically (what the browser fetches before the app runs). */
function staticClosure(manifest: Manifest, key: string, seen = new Set<string>()): Set<string> {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const k of manifest[key]?.imports ?? []) staticClosure(manifest, k, seen);
  return seen;
}

function gzipKb(dir: string, files: Iterable<string>): number {
  let bytes = 0;
  for (const f of files) bytes += gzipSync(readFileSync(join(dir, f)), { level: 9 }).length;
  return Math.round((bytes / 1024) * 10) / 10;
}

/** Gzip size of the resident entry's JavaScript: entry + static imports; and with every lazily loaded chunk. */
function residentJs(dir: string, manifest: Manifest): { kb: number; withLazyKb: number; oneLanguageKb: number; files: string[] } {
  const entry = Object.keys(manifest).find((k) => manifest[k]!.isEntry && k.endsWith('index.html') && !k.includes('console'));
  if (!entry) throw new Error('no resident entry (index.html) in the Vite manifest');
  const keys = staticClosure(manifest, entry);
  const files = [...keys].map((k) => manifest[k]!.file).filter((f) => f.endsWith('.js'));
  const lazy = new Set(keys);
  for (const k of keys) for (const d of manifest[k]?.dynamicImports ?? []) staticClosure(manifest, d, lazy);
  const lazyFiles = [...lazy].map((k) => manifest[k]!.file).filter((f) => f.endsWith('.js'));
  // Texts split per language (`…/nl.ts`, `…/ar.ts`): a phone loads only its own; count the largest.
  const isLang = (k: string) => /\/(nl|en|ar|uk|pl|tr)\.ts$/.test(k);
  const shared = [...lazy].filter((k) => !isLang(k)).map((k) => manifest[k]!.file).filter((f) => f.endsWith('.js'));
  const langKb = [...lazy].filter(isLang).map((k) => gzipKb(dir, [manifest[k]!.file]));
  const oneLanguageKb = Math.round((gzipKb(dir, shared) + Math.max(0, ...langKb)) * 10) / 10;
  return { kb: gzipKb(dir, files), withLazyKb: gzipKb(dir, lazyFiles), oneLanguageKb, files };
}

interface Served {
  url: string;
  close(): Promise<void>;
}

/** The gateway's HTTP server with the resident routes, board content, a charging queue and the built UI. */
async function serve(uiDir: string, dataDir: string): Promise<Served> {
  const db = new Database(join(dataDir, 'gateway.db'));
  migrate(db, API_MIGRATIONS);
  const clock = new SystemClock();
  const api = createApi({ db, clock, log: silentLogger, sink: new MemoryReportSink(), personalRetentionDays: 30, uiDir });
  api.start();
  const content = sampleContent();
  const page = createResidentPage(uiDir);
  const status = () => buildStatusData({ point: { id: 'p1', name: content.point.name, role: 'point' }, registry: null, now: clock.now(), board: { image: null, updatedAt: null } });
  // The charging queue is the dev server's stand-in (kiosk-ui/mock): the screens' markup is what is measured.
  let shift = 0;
  const charging = new MockCharging(() => Date.now() + shift);
  const json = (data: unknown, status = 200) => ({ kind: 'json' as const, status, data });
  const shell = readFileSync(join(uiDir, 'index.html'), 'utf8');
  const routes: RouteTable = {
    ...api.routes,
    'GET /': (req, u) => ({ kind: 'html', body: page(status(), { lang: u.searchParams.get('lang'), acceptLanguage: req.headers['accept-language'] }, content) }),
    'GET /charging': () => ({ kind: 'html', body: shell }),
    'GET /api/status': () => json(status()),
    'GET /api/board/content': () => json({ content }),
    'POST /api/charging/number': () => json(charging.take(), 201),
    'GET /api/charging/board': () => json(charging.board()),
    'GET /api/charging/ticket': (_r, u) => {
      shift = 25_000; // straight to "go to port 3": the screen with the most on it
      const t = charging.ticket(u.searchParams.get('token') ?? '');
      return t ? json(t) : json(null, 404);
    },
  };
  const http: HttpServer = createHttpServer({ routes, staticDir: uiDir, log: silentLogger });
  const url = `http://127.0.0.1:${await http.listen(0, '127.0.0.1')}`;
  return {
    url,
    async close() {
      api.stop();
      await http.close();
      db.close();
    },
  };
}

const AXE_SOURCE = () => readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core (WCAG 2.0/2.1 A and AA rules): serious and critical findings, one per rule and element. */
async function seriousViolations(page: Page, axe: string): Promise<string[]> {
  await page.addScriptTag({ content: axe });
  return page.evaluate(async () => {
    type V = { id: string; impact: string | null; nodes: { target: string[] }[] };
    const a = (window as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: V[] }> } }).axe;
    const r = await a.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } });
    return r.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').flatMap((v) => v.nodes.map((n) => `${v.id}: ${n.target.join(' ')}`));
  });
}

async function a11y(browser: Browser, url: string): Promise<{ count: number; found: string[] }> {
  const axe = AXE_SOURCE();
  const found: string[] = [];
  for (const lang of ['nl', 'ar']) {
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, bypassCSP: true, locale: lang === 'ar' ? 'ar' : 'nl-NL' });
    const page = await context.newPage();
    const check = async (what: string) => {
      for (const v of await seriousViolations(page, axe)) found.push(`${lang} ${what}: ${v}`);
    };
    await page.goto(`${url}/?lang=${lang}`);
    await page.locator('html[data-app="ready"]').waitFor();
    await check('status');
    for (const kind of ['emergency', 'need', 'safe']) {
      await page.goto(`${url}/report/${kind}?lang=${lang}`);
      await page.locator('html[data-app="ready"]').waitFor();
      await check(`report ${kind}`);
    }
    await page.goto(`${url}/charging?lang=${lang}&new=1`);
    await page.locator('button[data-action="take"]').waitFor();
    await check('charging start');
    await page.click('button[data-action="take"]');
    await page.locator('.ns-ticket[data-state="offered"]').waitFor();
    await check('charging ticket');
    await context.close();
  }
  return { count: found.length, found };
}

/**
 * Time to interactive of the status page on a slow network and a slow CPU, cold cache: from navigation start
 * until (1) the status content has been painted (first contentful paint), (2) the app has taken over
 * (performance mark `ns-app-ready`, set right after the first client render) and (3) no long task (≥ 50 ms) has run for
 * 500 ms since. TTI = the latest of FCP, app ready and the end of the last long task before that quiet window.
 */
async function tti(browser: Browser, url: string): Promise<{ tti: number; fcp: number }> {
  const context = await browser.newContext({ viewport: { width: 360, height: 740 }, locale: 'nl-NL' });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN });
  await page.addInitScript(() => {
    const w = window as unknown as { __longTaskEnd: number };
    w.__longTaskEnd = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) w.__longTaskEnd = Math.max(w.__longTaskEnd, e.startTime + e.duration);
    }).observe({ type: 'longtask', buffered: true });
  });
  await page.goto(`${url}/`, { waitUntil: 'commit' });
  const handle = await page.waitForFunction(
    (quiet: number) => {
      const w = window as unknown as { __longTaskEnd: number };
      const fcp = performance.getEntriesByName('first-contentful-paint')[0]?.startTime;
      // main.tsx marks the moment the app has rendered over the server's page
      const ready = performance.getEntriesByName('ns-app-ready')[0]?.startTime;
      if (fcp === undefined || ready === undefined || !document.querySelector('[data-slot="situation"] .ns-slot__text')) return null;
      const t = Math.max(fcp, ready, w.__longTaskEnd);
      return performance.now() - t >= quiet ? { tti: t, fcp } : null;
    },
    QUIET_MS,
    { timeout: 120_000, polling: 100 },
  ).catch(async (err: unknown) => {
    const state = await page.evaluate(() => ({
      fcp: performance.getEntriesByName('first-contentful-paint')[0]?.startTime ?? null,
      ready: performance.getEntriesByName('ns-app-ready')[0]?.startTime ?? null,
      attr: document.documentElement.getAttribute('data-app'),
      slot: Boolean(document.querySelector('[data-slot="situation"] .ns-slot__text')),
      now: performance.now(),
    }));
    throw new Error(`status page never became interactive: ${JSON.stringify(state)}`, { cause: err });
  });
  const t = (await handle.jsonValue()) as { tti: number; fcp: number };
  await context.close();
  return { tti: Math.round(t.tti), fcp: Math.round(t.fcp) };
}

export default async function run(): Promise<Record<string, Figure>> {
  const work = mkdtempSync(join(tmpdir(), 'ns-bench-ui-'));
  const uiDir = join(work, 'dist');
  let served: Served | null = null;
  let browser: Browser | null = null;
  try {
    const manifest = await buildUi(uiDir);
    const js = residentJs(uiDir, manifest);
    process.stderr.write(`ui: resident JavaScript (entry + static imports): ${js.files.join(', ')}\n`);
    served = await serve(uiDir, work);
    if (!existsSync(CHROMIUM_PATH)) throw new Error(`ui bench needs Chromium at ${CHROMIUM_PATH} (apt-get install chromium)`);
    browser = await launchChromium();
    const axe = await a11y(browser, served.url);
    for (const f of axe.found) process.stderr.write(`ui: a11y ${f}\n`);
    const runs: { tti: number; fcp: number }[] = [];
    for (let i = 0; i < RUNS; i++) runs.push(await tti(browser, served.url));
    process.stderr.write(`ui: tti runs ${runs.map((r) => `${r.tti} (fcp ${r.fcp})`).join(', ')} ms\n`);
    const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
    return {
      resident_js_gzip_kb: { value: js.kb, unit: 'KiB' },
      resident_js_gzip_kb_with_lazy: { value: js.withLazyKb, unit: 'KiB' },
      resident_js_gzip_kb_every_screen: { value: js.oneLanguageKb, unit: 'KiB' },
      a11y_serious_violations: { value: axe.count, unit: 'violations' },
      tti_ms_slow_network: { value: median(runs.map((r) => r.tti)), unit: 'ms' },
      fcp_ms_slow_network: { value: median(runs.map((r) => r.fcp)), unit: 'ms' },
    };
  } finally {
    await browser?.close();
    await served?.close();
    rmSync(work, { recursive: true, force: true });
  }
}
