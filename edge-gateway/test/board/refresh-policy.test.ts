import { describe, expect, it } from 'vitest';
import { BoardService, type BoardDisplay, type PageRenderer } from '../../src/board/board-service.js';
import type { BoardContent } from '../../src/board/content.js';
import { blankFrame, type Frame } from '../../src/board/frame.js';
import { panelProfile } from '../../src/board/panels.js';
import { DEFAULT_REFRESH_POLICY, decideRefresh, type PanelState } from '../../src/board/refresh-policy.js';
import { SAMPLE_CONTENT_SETS, sampleContent } from '../../src/board/sample-content.js';
import { ManualClock } from '../../src/core/clock.js';
import { PngPanelBackend } from '../../src/drivers/epd-uc8179/png-backend.js';
import { Uc8179 } from '../../src/drivers/epd-uc8179/uc8179.js';

const W = 800;
const H = 480;
function fill(f: Frame, x0: number, y0: number, w: number, h: number): Frame {
  for (let y = y0; y < y0 + h; y++) for (let x = x0; x < x0 + w; x++) f.data[y * (W / 8) + (x >> 3)]! |= 0x80 >> (x & 7);
  return f;
}
const cfg = DEFAULT_REFRESH_POLICY;
const MIN = cfg.minIntervalMs;

describe('decideRefresh', () => {
  const a = fill(blankFrame(W, H), 0, 0, 400, 300);
  const small = fill(fill(blankFrame(W, H), 0, 0, 400, 300), 600, 440, 40, 20);
  const big = fill(blankFrame(W, H), 200, 0, 600, 400);
  const shown = (partials = 0, at = 0): PanelState => ({ shown: a, lastRefreshAt: at, partialsSinceFull: partials });

  it('first refresh is full', () => {
    expect(decideRefresh(a, { shown: null, lastRefreshAt: null, partialsSinceFull: 0 }, 0, cfg)).toEqual({ kind: 'full', reason: 'first' });
  });
  it('unchanged frame: nothing, until 24 h have passed', () => {
    expect(decideRefresh(a, shown(), MIN, cfg)).toEqual({ kind: 'none', reason: 'unchanged' });
    expect(decideRefresh(a, shown(), cfg.maxIntervalMs, cfg)).toEqual({ kind: 'full', reason: 'daily' });
  });
  it('never sooner than 180 s, even after a failed first attempt', () => {
    expect(decideRefresh(big, shown(0, 1000), 1000 + MIN - 1, cfg)).toEqual({ kind: 'none', reason: 'too-soon' });
    expect(decideRefresh(a, { shown: null, lastRefreshAt: 1000, partialsSinceFull: 0 }, 2000, cfg).kind).toBe('none');
  });
  it('small change: partial window around it; large change: full', () => {
    expect(decideRefresh(small, shown(), MIN, cfg)).toEqual({ kind: 'partial', window: { x: 600, y: 440, w: 40, h: 20 } });
    expect(decideRefresh(big, shown(), MIN, cfg)).toEqual({ kind: 'full', reason: 'large-change' });
  });
  it(`full after ${cfg.partialsBeforeFull} partials, and always full where the panel has no partial mode`, () => {
    expect(decideRefresh(small, shown(cfg.partialsBeforeFull), MIN, cfg)).toEqual({ kind: 'full', reason: 'after-partials' });
    expect(decideRefresh(small, shown(), MIN, { ...cfg, partialSupported: false }).kind).toBe('full');
  });
});

/** Cheap stand-in for the renderer: the page fills the body, charging figures draw in the footer. */
const syntheticRenderer: PageRenderer = async (page, content) => {
  const f = blankFrame(W, H);
  const view = page.index + (page.lang === 'nl' ? 0 : 10);
  fill(f, (view % 8) * 48, 48, 400, 300);
  const c = content.charging;
  if (c) {
    fill(f, 16, 420, 8 + 8 * c.portsFree, 16);
    fill(f, 320, 420, 8 + 8 * c.queue, 16);
  }
  if (content.text.nl?.outlook.includes('update')) fill(f, 700, 60, 50, 50);
  return f;
};

const flush = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('refresh policy over 72 h of virtual time', () => {
  it('content and charging updates: refreshes within the rules, panel asleep between them, one in flight', async () => {
    const clock = new ManualClock(Date.parse('2026-11-27T00:00:00Z'));
    const png = new PngPanelBackend({ width: W, height: H, now: () => clock.now() });
    // The driver's delays run on the virtual clock, so a refresh takes virtual time.
    const timing = { now: () => clock.now(), sleep: (ms: number) => new Promise<void>((r) => clock.setTimeout(r, ms)) };
    const epd = new Uc8179({ width: W, height: H, spi: png, gpio: png, timing });
    let active = 0;
    let maxActive = 0;
    const display: BoardDisplay = {
      async refresh(frame, mode, win) {
        active++;
        maxActive = Math.max(maxActive, active);
        try {
          await epd.refresh(frame, mode, win);
        } finally {
          active--;
        }
      },
    };
    const base = sampleContent('power-outage');
    const svc = new BoardService({
      clock,
      panel: panelProfile('waveshare-7in5-v2'),
      display,
      content: base,
      renderer: syntheticRenderer,
      rotateEveryMs: 10 * 60_000,
      checkEveryMs: 15_000,
    });
    svc.start();
    const STEP = 15_000;
    const END = 72 * 3600_000;
    let asleepViolations = 0;
    let n = 0;
    for (let t = 0; t < END; t += STEP) {
      // Charging changes every 4 minutes; new official content every 6 hours.
      if (t % 240_000 === 0) {
        n++;
        svc.setCharging({ enabled: true, portsTotal: 8, portsFree: n % 9, queue: (n * 3) % 5 });
      }
      if (t > 0 && t % (6 * 3600_000) === 0) {
        const src = SAMPLE_CONTENT_SETS['power-outage'];
        const next: BoardContent = { ...base, updatedAt: new Date(clock.now()).toISOString() };
        svc.setContent({ ...src, updatedAt: next.updatedAt, text: { ...src.text, nl: { ...src.text.nl!, outlook: `Nieuwe update ${t / 3600_000}` } } });
      }
      clock.advance(STEP);
      await flush();
      if (!svc.status().inFlight && !png.asleep && png.log.length > 0) asleepViolations++;
    }
    await svc.stop();

    const log = png.log;
    const gaps = log.slice(1).map((e, i) => e.at - (log[i]?.at ?? 0));
    const full = log.filter((e) => e.mode !== 'partial').length;
    const partial = log.filter((e) => e.mode === 'partial').length;
    expect(Math.min(...gaps)).toBeGreaterThanOrEqual(180_000);
    expect(Math.max(...gaps)).toBeLessThanOrEqual(24 * 3600_000);
    expect(maxActive).toBe(1);
    expect(asleepViolations).toBe(0);
    expect(partial).toBeGreaterThan(50);
    expect(full).toBeGreaterThan(72 * 3); // page rotation alone needs a full refresh per page change
    // Never more than N partials in a row.
    let run = 0;
    for (const e of log) {
      run = e.mode === 'partial' ? run + 1 : 0;
      expect(run).toBeLessThanOrEqual(DEFAULT_REFRESH_POLICY.partialsBeforeFull);
    }
    // The service's counts match what the panel saw, and the panel shows the last frame.
    expect(svc.status().refreshes).toEqual({ full, partial });
    expect(Buffer.from(png.image).equals(Buffer.from(svc.shownFrame()?.data ?? []))).toBe(true);
  }, 120_000);

  it('unchanging content still gets one full refresh per 24 h and nothing in between', async () => {
    const clock = new ManualClock();
    const png = new PngPanelBackend({ width: W, height: H, now: () => clock.now() });
    const epd = new Uc8179({ width: W, height: H, spi: png, gpio: png, timing: { now: () => clock.now(), sleep: async () => {} } });
    const oneLanguage = sampleContent('opening-phase');
    const svc = new BoardService({
      clock,
      panel: panelProfile('waveshare-7in5-v2'),
      display: epd,
      content: { ...oneLanguage, languages: ['nl'] },
      renderer: syntheticRenderer,
      // No rotation: a single page.
      policy: { maxIntervalMs: 24 * 3600_000 },
    });
    svc.start();
    for (let t = 0; t < 72 * 3600_000; t += 15_000) {
      clock.advance(15_000);
      await flush();
    }
    await svc.stop();
    expect(svc.status().views).toBe(1);
    expect(png.log.map((e) => e.mode)).toEqual(['full', 'full', 'full', 'full']);
    const gaps = png.log.slice(1).map((e, i) => e.at - (png.log[i]?.at ?? 0));
    for (const g of gaps) {
      expect(g).toBeLessThanOrEqual(24 * 3600_000);
      expect(g).toBeGreaterThan(23.9 * 3600_000);
    }
  }, 60_000);
});
