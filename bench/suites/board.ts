// Suite `board`: cost of rendering an e-ink page, memory stability over many renders, and what the
// refresh policy does to the panel over 72 simulated hours. See bench/README.md `## board`.
import v8 from 'node:v8';
import { runInNewContext } from 'node:vm';
import { BoardService } from '../../edge-gateway/src/board/board-service.js';
import type { BoardContent } from '../../edge-gateway/src/board/content.js';
import { layoutBoard, sizesFor } from '../../edge-gateway/src/board/layout.js';
import { panelProfile } from '../../edge-gateway/src/board/panels.js';
import { renderPage } from '../../edge-gateway/src/board/render.js';
import { sampleContent } from '../../edge-gateway/src/board/sample-content.js';
import { ManualClock } from '../../edge-gateway/src/core/clock.js';
import { PngPanelBackend } from '../../edge-gateway/src/drivers/epd-uc8179/png-backend.js';
import { Uc8179 } from '../../edge-gateway/src/drivers/epd-uc8179/uc8179.js';

type Figure = { value: number; unit: string };

const panel = panelProfile('waveshare-7in5-v2');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Renders the pages of the sample content in turn, with the charging figures changing each time. */
function renderer() {
  const content = sampleContent('power-outage');
  const sizes = sizesFor(panel);
  const pages = layoutBoard(content, panel, sizes);
  let i = 0;
  return async () => {
    const page = pages[i % pages.length]!;
    const c: BoardContent = { ...content, charging: { enabled: true, portsTotal: 8, portsFree: i % 9, queue: i % 4 } };
    i++;
    return renderPage(page, c, panel, sizes, { stale: false });
  };
}

/** Wall-clock and CPU (user + system) milliseconds per render. */
async function renderTimes(n: number): Promise<{ wall: number[]; cpu: number[] }> {
  const render = renderer();
  for (let i = 0; i < 10; i++) await render(); // warm-up: wasm, fonts, JIT
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const c = process.cpuUsage();
    await render();
    const dc = process.cpuUsage(c);
    wall.push(performance.now() - t);
    cpu.push((dc.user + dc.system) / 1000);
  }
  return { wall, cpu };
}

// `npm run bench` runs without --expose-gc; the flag can still be switched on from inside.
v8.setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as (() => void) | undefined;

/**
 * RSS growth over n renders. RSS after a GC swings by ±25 MB between samples here (allocator
 * arenas, not live data), so compare medians of samples taken every 50 renders over the first and
 * the last fifth of the run instead of two single readings.
 */
async function rssGrowth(n: number): Promise<number> {
  const render = renderer();
  // Warm-up until caches (fonts, glyph paths, JIT code) have settled.
  for (let i = 0; i < 100; i++) await render();
  const samples: number[] = [];
  for (let i = 0; i <= n; i++) {
    if (i % 50 === 0) {
      gc?.();
      samples.push(process.memoryUsage().rss);
    }
    if (i < n) await render();
  }
  const k = Math.max(1, Math.floor(samples.length / 5));
  return (median(samples.slice(-k)) - median(samples.slice(0, k))) / (1024 * 1024);
}

/** 72 h: page rotation every 10 min, charging changes every 4 min, new official content every 6 h. */
async function simulate72h() {
  const clock = new ManualClock(Date.parse('2026-11-27T00:00:00Z'));
  const png = new PngPanelBackend({ width: panel.width, height: panel.height, now: () => clock.now() });
  const epd = new Uc8179({ width: panel.width, height: panel.height, spi: png, gpio: png, timing: { now: () => clock.now(), sleep: async () => {} } });
  const content = sampleContent('power-outage');
  const svc = new BoardService({ clock, panel, display: epd, content, rotateEveryMs: 10 * 60_000 });
  svc.start();
  const settle = async () => {
    while (svc.status().inFlight) await new Promise((r) => setImmediate(r));
  };
  let n = 0;
  for (let t = 0; t < 72 * 3600_000; t += 15_000) {
    if (t % 240_000 === 0) {
      n++;
      svc.setCharging({ enabled: true, portsTotal: 8, portsFree: n % 9, queue: (n * 3) % 5 });
    }
    if (t > 0 && t % (6 * 3600_000) === 0) svc.setContent({ ...content, updatedAt: new Date(clock.now()).toISOString() });
    clock.advance(15_000);
    await settle();
  }
  await svc.stop();
  const log = png.log;
  const gaps = log.slice(1).map((e, i) => (e.at - log[i]!.at) / 1000);
  return {
    minInterval: Math.min(...gaps),
    full: log.filter((e) => e.mode !== 'partial').length,
    partial: log.filter((e) => e.mode === 'partial').length,
  };
}

export default async function run(): Promise<Record<string, Figure>> {
  const times = await renderTimes(100);
  const growth = await rssGrowth(1000);
  const sim = await simulate72h();
  return {
    render_ms_median: { value: Math.round(median(times.wall) * 10) / 10, unit: 'ms' },
    render_cpu_ms_median: { value: Math.round(median(times.cpu) * 10) / 10, unit: 'ms' },
    rss_growth_mb_1000_renders: { value: Math.round(growth * 10) / 10, unit: 'MB' },
    min_refresh_interval_s: { value: sim.minInterval, unit: 's' },
    full_refreshes_72h: { value: sim.full, unit: 'refreshes' },
    partial_refreshes_72h: { value: sim.partial, unit: 'refreshes' },
  };
}
