// The whole chain with real parts: content → layout → satori/resvg render → refresh policy →
// UC8179 driver → simulated panel that decodes the byte stream.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createBoard } from '../../src/board/index.js';
import { decodePng } from '../../src/board/png.js';
import { BoardService } from '../../src/board/board-service.js';
import { layoutBoard, sizesFor } from '../../src/board/layout.js';
import { panelProfile } from '../../src/board/panels.js';
import { renderPage } from '../../src/board/render.js';
import { sampleContent } from '../../src/board/sample-content.js';
import { ManualClock } from '../../src/core/clock.js';
import { memoryLogger } from '../../src/log/logger.js';
import { PngPanelBackend } from '../../src/drivers/epd-uc8179/png-backend.js';
import { RecordingBackend } from '../../src/drivers/epd-uc8179/recording-backend.js';
import { Uc8179 } from '../../src/drivers/epd-uc8179/uc8179.js';

const panel = panelProfile('waveshare-7in5-v2');
const instant = { sleep: async () => {}, now: () => 0 };

async function settle(svc: BoardService): Promise<void> {
  while (svc.status().inFlight) await new Promise((r) => setTimeout(r, 5));
}
/** Virtual time in the service's check period, letting each check finish before the next. */
async function advance(clock: ManualClock, svc: BoardService, ms: number): Promise<void> {
  for (let t = 0; t < ms; t += 15_000) {
    clock.advance(15_000);
    await settle(svc);
  }
}

// Real renders: generous timeouts for loaded CI machines.
describe('BoardService with the real renderer and the simulated panel', { timeout: 90_000 }, () => {
  it('full refresh first; a charging change becomes a partial refresh of the footer after 180 s', async () => {
    const clock = new ManualClock(Date.parse('2026-11-27T14:10:00+01:00'));
    const png = new PngPanelBackend({ width: panel.width, height: panel.height, now: () => clock.now() });
    const epd = new Uc8179({ width: panel.width, height: panel.height, spi: png, gpio: png, timing: instant });
    const content = sampleContent('power-outage');
    const svc = new BoardService({ clock, panel, display: epd, content, rotateEveryMs: 3600_000 });
    svc.start();
    await settle(svc);
    expect(png.log.map((e) => e.mode)).toEqual(['full']);
    const sizes = sizesFor(panel);
    const [page] = layoutBoard(content, panel, sizes);
    if (!page) throw new Error('no page');
    const expected1 = await renderPage(page, content, panel, sizes, { stale: false });
    expect(Buffer.from(png.image).equals(Buffer.from(expected1.data))).toBe(true);

    const charging = { enabled: true, portsFree: 5, portsTotal: 8, queue: 0 };
    svc.setCharging(charging);
    await settle(svc);
    expect(png.log).toHaveLength(1); // too soon: waits for the 180 s minimum
    await advance(clock, svc, 180_000);
    expect(png.log.map((e) => e.mode)).toEqual(['full', 'partial']);
    const win = png.log[1]?.window;
    expect(win?.y).toBeGreaterThan(panel.height - sizes.footerH - 1);
    const expected2 = await renderPage(page, { ...content, charging }, panel, sizes, { stale: false });
    // The partial window brought the panel exactly to the new frame.
    expect(Buffer.from(png.image).equals(Buffer.from(expected2.data))).toBe(true);
    await svc.stop();
  });

  it('rejects invalid content from staff and keeps showing the old one', () => {
    const clock = new ManualClock();
    const rec = new RecordingBackend();
    const svc = new BoardService({
      clock,
      panel,
      display: new Uc8179({ width: 800, height: 480, spi: rec, gpio: rec, timing: instant }),
      content: sampleContent(),
    });
    expect(() => svc.setContent({ point: { name: 'x' } })).toThrow(/invalid board content/);
    expect(svc.status().views).toBe(6);
  });

  it('a panel stuck BUSY is logged, reported in status, and not retried before 180 s', async () => {
    const clock = new ManualClock();
    const rec = new RecordingBackend({ stuckBusy: true });
    let t = 0;
    const timing = { now: () => t, sleep: async (ms: number) => void (t += ms) };
    const log = memoryLogger('gw:board');
    const svc = new BoardService({
      clock,
      panel,
      display: new Uc8179({ width: 800, height: 480, spi: rec, gpio: rec, timing, busyTimeoutMs: 1000 }),
      content: sampleContent('opening-phase'),
      logger: log,
      renderer: async () => ({ width: 800, height: 480, data: new Uint8Array(48_000) }),
    });
    svc.start();
    await settle(svc);
    expect(svc.status().lastError).toMatch(/BUSY for more than 1000 ms/);
    expect(log.records.some((r) => r.level === 'error' && r.msg === 'board refresh failed')).toBe(true);
    const attempts = () => rec.commands().filter((c) => c === 0x01).length;
    expect(attempts()).toBe(1);
    await advance(clock, svc, 165_000);
    expect(attempts()).toBe(1);
    await advance(clock, svc, 30_000);
    expect(attempts()).toBe(2);
    await svc.stop();
  });

  it('createBoard (simulated) writes latest.png and the refresh log for the UI', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'board-sim-'));
    try {
      const clock = new ManualClock();
      const { service, simulatedPanel } = createBoard({ clock, backend: 'simulated', dir, content: sampleContent('opening-phase') });
      service.start();
      // The driver's reset and refresh delays run on the virtual clock.
      for (let i = 0; i < 20 && !existsSync(join(dir, 'latest.png')); i++) {
        clock.advance(200);
        await new Promise((r) => setTimeout(r, 20));
      }
      await advance(clock, service, 15_000);
      await service.stop();
      expect(decodePng(readFileSync(join(dir, 'latest.png'))).width).toBe(800);
      expect(readFileSync(join(dir, 'refresh-log.jsonl'), 'utf8')).toMatch(/"mode":"full"/);
      expect(simulatedPanel?.asleep).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
