// The wizard's board step on a real board service: UC8179 driver on the simulated panel (PNG backend, as in
// `noodsteun start`) or the recording bus, the gateway's real core (SQLite), virtual time for the panel.
// The pattern reaches the panel only when its minimum interval allows; 'drivenToPanel' only after the
// driver's refresh completed; the technician's verdict; the content back after. Then the same over HTTP.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { BoardService } from '../../src/board/board-service.js';
import type { BoardContent } from '../../src/board/content.js';
import type { Frame } from '../../src/board/frame.js';
import { panelProfile } from '../../src/board/panels.js';
import { decodePng } from '../../src/board/png.js';
import { sampleContent } from '../../src/board/sample-content.js';
import { ManualClock } from '../../src/core/clock.js';
import { CommissioningError, type CommissioningService } from '../../src/commissioning/index.js';
import type { BoardTestView } from '../../src/commissioning/board-test.js';
import type { Measurement } from '../../src/commissioning/store.js';
import { testPatternFrame } from '../../src/commissioning/test-pattern.js';
import { PngPanelBackend } from '../../src/drivers/epd-uc8179/png-backend.js';
import { RecordingBackend } from '../../src/drivers/epd-uc8179/recording-backend.js';
import { Uc8179 } from '../../src/drivers/epd-uc8179/uc8179.js';
import { until } from '../support/until.js';
import { core, type Core } from './core.js';
import { startCommissioningApi, type CommissioningApiHarness, type Session } from './api-harness.js';

const panel = panelProfile('waveshare-7in5-v2');
/** The panel's least time between two refreshes (the refresh policy's default minIntervalMs). */
const MIN_INTERVAL_MS = 180_000;
const pattern = testPatternFrame(panel.width, panel.height);
const contentFrame = (c: BoardContent): Frame => ({
  width: panel.width,
  height: panel.height,
  data: new Uint8Array((panel.width / 8) * panel.height).fill(c.text.nl?.situation.length ?? 1),
});

/** A board on the simulated panel (latest.png in `dir`) or on a recording bus stuck BUSY. */
function rig(c: Core, kind: 'png' | 'stuck') {
  const clock = new ManualClock(Date.parse('2026-11-27T09:00:00Z'));
  const dir = join(c.dir, 'board');
  const png = new PngPanelBackend({ width: panel.width, height: panel.height, dir, now: () => clock.now() });
  const rec = new RecordingBackend({ stuckBusy: true });
  const bus = kind === 'png' ? png : rec;
  const epd = new Uc8179({ width: panel.width, height: panel.height, spi: bus, gpio: bus, timing: { now: () => clock.now(), sleep: async (ms) => clock.advance(ms) }, busyTimeoutMs: 2000 });
  const content = sampleContent('power-outage');
  const board = new BoardService({ clock, panel, display: epd, content, renderer: async (_p, cnt) => contentFrame(cnt), rotateEveryMs: 24 * 3600_000 });
  const latestImage = join(dir, 'latest.png');
  const svc = c.svc({
    clock,
    board: { status: () => board.status(), showTestFrame: (f, o) => board.showTestFrame(f, o), endTestFrame: () => board.endTestFrame(), width: panel.width, height: panel.height, panelId: panel.id, latestImage },
  });
  const settle = async () => {
    for (let quiet = 0; quiet < 3; ) {
      await new Promise((r) => setTimeout(r, 2));
      quiet = board.status().inFlight ? 0 : quiet + 1;
    }
  };
  const advance = async (ms: number) => {
    const end = clock.now() + ms;
    while (clock.now() < end) {
      clock.advance(Math.min(5_000, end - clock.now()));
      await settle();
    }
  };
  const onPanel = () => decodePng(readFileSync(latestImage)).data;
  const boardMeasurements = () => svc.current()?.measurements.filter((m) => m.step === 'board') ?? [];
  return { clock, board, svc, content, settle, advance, onPanel, boardMeasurements, png };
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('commissioning board test on the board service', () => {
  let c: Core;
  beforeEach(async () => {
    c = await core();
  });
  afterEach(async () => {
    await c.close();
    rmSync(c.dir, { recursive: true, force: true });
  });

  it('drives the pattern to the simulated panel when the minimum interval allows, records it, takes the verdict, restores the content', async () => {
    const r = rig(c, 'png');
    r.board.start();
    await r.settle();
    const contentAt = r.board.status().lastRefreshAt!;
    expect(same(r.onPanel(), contentFrame(r.content).data)).toBe(true);
    r.svc.start('tech-anna');
    await r.advance(60_000);

    const v: BoardTestView = r.svc.boardTest('tech-anna');
    expect(v.test).toMatchObject({ phase: 'pending', dueAt: contentAt + MIN_INTERVAL_MS });
    expect(v.image).toBe('/api/commissioning/board-test.png');
    expect(v.panelImage).toBe('/api/board/latest.png');
    expect(v.now).toBe(r.clock.now());
    const img = decodePng(readFileSync(r.svc.boardTestImage));
    expect([img.width, img.height]).toEqual([800, 480]);
    expect(same(img.data, pattern.data)).toBe(true);
    // Not on the panel yet: nothing recorded, no verdict possible, a second start refused.
    expect(r.boardMeasurements()).toEqual([]);
    expect(() => r.svc.boardVerdict(true, 'tech-anna')).toThrow(/not on the panel yet/);
    expect(() => r.svc.boardTest('tech-anna')).toThrow(expect.objectContaining({ status: 409 }) as Error);

    await r.advance(contentAt + MIN_INTERVAL_MS - r.clock.now());
    const driven = await until('test pattern recorded', async () => r.boardMeasurements().find((m) => m.what === 'test pattern'));
    expect(driven.ok).toBe(true);
    const t = r.svc.boardTestView().test!;
    expect(t.phase).toBe('showing');
    expect(driven.value).toMatchObject({ drivenToPanel: true, outcome: 'showing', width: 800, height: 480, shownAt: t.shownAt, refreshMs: t.refreshMs, error: null });
    // The driver's reset and refresh waits ran on the panel's clock: the refresh took time, after the wait.
    expect(t.refreshMs).toBeGreaterThan(200);
    expect((driven.value as { waitedMs: number }).waitedMs).toBe(contentAt + MIN_INTERVAL_MS - t.requestedAt);
    // The simulated panel shows the pattern: the same bytes went through the UC8179 byte stream.
    expect(same(r.onPanel(), pattern.data)).toBe(true);

    const seen: Measurement = r.svc.boardVerdict(true, 'tech-anna');
    expect(seen).toMatchObject({ step: 'board', what: 'test pattern seen', ok: true, by: 'tech-anna', value: { technicianConfirmed: true, drivenToPanel: true, contentBackAt: t.shownAt! + MIN_INTERVAL_MS } });
    await r.advance(MIN_INTERVAL_MS);
    expect(r.svc.boardTestView().test?.phase).toBe('restored');
    expect(same(r.onPanel(), contentFrame(r.content).data)).toBe(true);
    expect(r.png.log.map((e) => e.mode)).toEqual(['full', 'full', 'full']);
    await r.board.stop();
  });

  it('a panel that stays BUSY: not driven, with the driver error; the technician can still record the failure', async () => {
    const r = rig(c, 'stuck');
    r.svc.start('tech');
    r.svc.boardTest('tech');
    await r.advance(5_000);
    const m = await until('test pattern recorded', async () => r.boardMeasurements().find((x) => x.what === 'test pattern'));
    expect(m.ok).toBe(false);
    expect(m.value).toMatchObject({ drivenToPanel: false, outcome: 'failed', shownAt: null });
    expect((m.value as { error: string }).error).toMatch(/BUSY for more than 2000 ms/);
    // Even a technician who thinks they see it cannot pass a panel the driver did not complete.
    expect(r.svc.boardVerdict(true, 'tech')).toMatchObject({ ok: false, value: { technicianConfirmed: true, drivenToPanel: false } });
    expect(r.svc.boardVerdict(false, 'tech')).toMatchObject({ ok: false, value: { technicianConfirmed: false } });
    await r.board.stop();
  });

  it('restore ends a test still waiting (cancelled, recorded as not driven); a point without a board answers 404', async () => {
    const r = rig(c, 'png');
    r.board.start();
    await r.settle();
    r.svc.start('tech');
    r.svc.boardTest('tech');
    expect(r.svc.boardRestore().test?.phase).toBe('cancelled');
    const m = await until('cancel recorded', async () => r.boardMeasurements().find((x) => x.what === 'test pattern'));
    expect(m).toMatchObject({ ok: false, value: { drivenToPanel: false, outcome: 'cancelled' } });
    expect(() => r.svc.boardVerdict(true, 'tech')).toThrow(/start it again/);
    await r.advance(MIN_INTERVAL_MS + 30_000);
    expect(r.png.log).toHaveLength(1);
    await r.board.stop();

    const none = c.svc();
    expect(() => none.boardTest('tech')).toThrow(CommissioningError);
    expect(() => none.boardTestView()).toThrow(expect.objectContaining({ status: 404 }) as Error);
  });
});


describe('commissioning board test over HTTP', () => {
  let c: Core;
  let r: ReturnType<typeof rig>;
  let svc: CommissioningService;
  let h: CommissioningApiHarness;
  let url: string;
  let tech: Session;
  let staff: Session;

  const call = (...a: Parameters<CommissioningApiHarness['call']>) => h.call(...a);

  beforeAll(async () => {
    c = await core();
    r = rig(c, 'png');
    svc = r.svc;
    r.board.start();
    await r.settle();
    h = await startCommissioningApi(c.store.db, svc);
    ({ url, tech, staff } = h);
  });

  afterAll(async () => {
    await r?.board.stop();
    await h?.close();
    await c?.close();
    if (c) rmSync(c.dir, { recursive: true, force: true });
  });

  it('technician only', async () => {
    for (const [method, path] of [
      ['GET', '/api/commissioning/board-test'],
      ['POST', '/api/commissioning/board-test'],
      ['POST', '/api/commissioning/board-test/verdict'],
      ['POST', '/api/commissioning/board-test/restore'],
    ] as const) {
      const body = method === 'POST' ? {} : undefined;
      expect((await call(method, path, body, null)).status, `${method} ${path} anonymous`).toBe(401);
      expect((await call(method, path, body, staff)).status, `${method} ${path} staff`).toBe(403);
    }
  });

  it('starts the test, follows it to the panel, takes the verdict, and the content comes back', async () => {
    expect((await call('GET', '/api/commissioning/board-test', undefined, tech)).data).toMatchObject({ test: null, image: null });
    expect((await call('POST', '/api/commissioning/board-test', {}, tech)).status).toBe(409); // no run yet
    expect((await call('POST', '/api/commissioning/start', {}, tech)).status).toBe(200);
    expect((await call('POST', '/api/commissioning/board-test', { holdMin: 1 }, tech)).status).toBe(400);
    const started = await call('POST', '/api/commissioning/board-test', { holdMin: 5 }, tech);
    expect(started.status).toBe(200);
    const dueAt = (started.data.test as { dueAt: number }).dueAt;
    expect(started.data).toMatchObject({ test: { phase: 'pending' }, image: '/api/commissioning/board-test.png' });
    expect(dueAt).toBe(r.board.status().lastRefreshAt! + MIN_INTERVAL_MS);
    expect((await call('POST', '/api/commissioning/board-test', {}, tech)).status).toBe(409);
    expect((await call('POST', '/api/commissioning/board-test/verdict', { seen: true }, tech)).status).toBe(409);
    const png = await fetch(url + '/api/commissioning/board-test.png', { headers: { cookie: tech.cookie } });
    expect(png.headers.get('content-type')).toBe('image/png');
    expect(decodePng(Buffer.from(await png.arrayBuffer())).width).toBe(800);

    await r.advance(dueAt - r.clock.now());
    const shown = (await call('GET', '/api/commissioning/board-test', undefined, tech)).data.test as { phase: string; shownAt: number; holdUntil: number };
    expect(shown).toMatchObject({ phase: 'showing', holdUntil: shown.shownAt + 5 * 60_000 });
    const verdict = await call('POST', '/api/commissioning/board-test/verdict', { seen: true }, tech);
    expect(verdict.data).toMatchObject({ what: 'test pattern seen', ok: true, by: 'tech-anna', value: { technicianConfirmed: true, drivenToPanel: true } });
    expect((await call('POST', '/api/commissioning/board-test/verdict', { seen: 'yes' }, tech)).status).toBe(400);
    expect(((await call('POST', '/api/commissioning/board-test/restore', {}, tech)).data.test as { restoreAt: number }).restoreAt).toBe(shown.shownAt + MIN_INTERVAL_MS);
    await r.advance(MIN_INTERVAL_MS);
    expect((await call('GET', '/api/commissioning/board-test', undefined, tech)).data.test).toMatchObject({ phase: 'restored' });
    const state = await call('GET', '/api/commissioning', undefined, tech);
    const board = (state.data.run as { measurements: Measurement[] }).measurements.filter((m) => m.step === 'board').map((m) => [m.what, m.ok]);
    expect(board).toEqual([
      ['test pattern', true],
      ['test pattern seen', true],
    ]);
    expect(existsSync(svc.boardTestImage)).toBe(true);
  });
});
