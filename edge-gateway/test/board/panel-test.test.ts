// The board's one-off test frame through the real UC8179 driver on the recording bus, in virtual time: the
// panel's minimum interval both ways, no overlap with a refresh in progress, content changed during the
// test shown after it, a failing panel reported as such.
import { describe, expect, it } from 'vitest';
import { BoardService, type BoardDisplay } from '../../src/board/board-service.js';
import type { BoardContent } from '../../src/board/content.js';
import type { Frame } from '../../src/board/frame.js';
import { PanelTestBusyError, PanelTestError, type PanelTestStatus } from '../../src/board/panel-test.js';
import { panelProfile } from '../../src/board/panels.js';
import { sampleContent } from '../../src/board/sample-content.js';
import { testPatternFrame } from '../../src/commissioning/test-pattern.js';
import { ManualClock } from '../../src/core/clock.js';
import { CMD } from '../../src/drivers/epd-uc8179/commands.js';
import { RecordingBackend, type RecordingOptions } from '../../src/drivers/epd-uc8179/recording-backend.js';
import { Uc8179 } from '../../src/drivers/epd-uc8179/uc8179.js';

const panel = panelProfile('waveshare-7in5-v2');
const MIN = 180_000;
const pattern = testPatternFrame(panel.width, panel.height);

/** A frame per content: the whole panel filled with a byte that names the content's Dutch situation text. */
function contentFrames() {
  const seen: string[] = [];
  const frameOf = (content: BoardContent): Frame => {
    const key = content.text.nl?.situation ?? '';
    if (!seen.includes(key)) seen.push(key);
    return { width: panel.width, height: panel.height, data: new Uint8Array((panel.width / 8) * panel.height).fill(0x11 * (seen.indexOf(key) + 1)) };
  };
  return { frameOf, renderer: async (_p: unknown, content: BoardContent) => frameOf(content) };
}

function setup(opts: { rec?: RecordingOptions; gate?: boolean } = {}) {
  const clock = new ManualClock(Date.parse('2026-11-27T10:00:00Z'));
  // BUSY stays low for 30 polls after power on, refresh and power off: the driver's waits take virtual time.
  const rec = new RecordingBackend(opts.rec ?? { busyReads: 30 });
  const epd = new Uc8179({
    width: panel.width,
    height: panel.height,
    spi: rec,
    gpio: rec,
    timing: { now: () => clock.now(), sleep: async (ms) => clock.advance(ms) },
    busyTimeoutMs: 1000,
  });
  // Wraps the driver to see refreshes start and end, and (gate) to hold one open.
  let active = 0;
  let maxActive = 0;
  const calls: { mode: string; start: number; end: number | null }[] = [];
  let release: (() => void) | null = null;
  const display: BoardDisplay = {
    async refresh(frame, mode, win) {
      const call = { mode, start: clock.now(), end: null as number | null };
      calls.push(call);
      maxActive = Math.max(maxActive, ++active);
      try {
        if (opts.gate && calls.length === 1) await new Promise<void>((r) => (release = r));
        await epd.refresh(frame, mode, win);
      } finally {
        active--;
        call.end = clock.now();
      }
    },
  };
  const { frameOf, renderer } = contentFrames();
  const content = sampleContent('power-outage');
  const svc = new BoardService({ clock, panel, display, content, renderer, rotateEveryMs: 24 * 3600_000 });
  /** What the last DATA_START_NEW carried to the panel: the frame it shows. */
  const onPanel = () => rec.dataAfter(CMD.DATA_START_NEW, rec.commands().filter((c) => c === CMD.DATA_START_NEW).length - 1);
  const refreshes = () => rec.commands().filter((c) => c === CMD.DISPLAY_REFRESH).length;
  const partials = () => rec.commands().filter((c) => c === CMD.PARTIAL_IN).length;
  return { clock, rec, svc, calls, content, frameOf, onPanel, refreshes, partials, maxActive: () => maxActive, release: () => release?.() };
}

/** Lets every refresh started so far (and the checks they chain) finish. */
async function settle(svc: BoardService): Promise<void> {
  for (let quiet = 0; quiet < 3; ) {
    await new Promise((r) => setTimeout(r, 2));
    quiet = svc.status().inFlight ? 0 : quiet + 1;
  }
}

async function advance(clock: ManualClock, svc: BoardService, ms: number): Promise<void> {
  const end = clock.now() + ms;
  while (clock.now() < end) {
    clock.advance(Math.min(5_000, end - clock.now()));
    await settle(svc);
  }
}

const same = (a: Uint8Array, b: Uint8Array) => Buffer.from(a).equals(Buffer.from(b));

describe('BoardService test frame (recording UC8179 bus, virtual time)', () => {
  it('waits for the minimum interval, shows the pattern with a full refresh, and restores the content one interval later', async () => {
    const b = setup();
    b.svc.start();
    await settle(b.svc);
    expect(b.refreshes()).toBe(1);
    const contentEnd = b.svc.status().lastRefreshAt!;
    await advance(b.clock, b.svc, 60_000);

    const { status, shown } = b.svc.showTestFrame(pattern);
    expect(status).toMatchObject({ phase: 'pending', dueAt: contentEnd + MIN, shownAt: null });
    expect(b.svc.status().test?.phase).toBe('pending');
    await advance(b.clock, b.svc, contentEnd + MIN - 1_000 - b.clock.now());
    expect(b.refreshes()).toBe(1); // not before the panel's minimum interval
    expect(b.svc.status().test?.phase).toBe('pending');

    await advance(b.clock, b.svc, 1_000);
    const s = await shown;
    expect(s.phase).toBe('showing');
    expect(b.refreshes()).toBe(2);
    expect(b.calls[1]).toMatchObject({ mode: 'full', start: contentEnd + MIN });
    // The driver put exactly the pattern on the panel; its waits (reset, BUSY) took virtual time.
    expect(same(b.onPanel(), pattern.data)).toBe(true);
    expect(s.refreshMs).toBe(b.calls[1]!.end! - b.calls[1]!.start);
    expect(s.refreshMs).toBeGreaterThan(300);
    expect(s.shownAt).toBe(b.calls[1]!.end);
    expect(s.restoreFrom).toBe(s.shownAt! + MIN);
    expect(b.svc.shownFrame()).toBe(pattern);

    // Confirmed at once: the content still waits for the minimum interval after the pattern.
    const ended = b.svc.endTestFrame();
    expect(ended).toMatchObject({ phase: 'showing', restoreAt: s.shownAt! + MIN });
    await advance(b.clock, b.svc, s.shownAt! + MIN - 1_000 - b.clock.now());
    expect(b.refreshes()).toBe(2);
    await advance(b.clock, b.svc, 1_000);
    const after = b.svc.status().test!;
    expect(after.phase).toBe('restored');
    expect(after.restoredAt).toBe(b.calls[2]!.end);
    expect(b.calls[2]).toMatchObject({ mode: 'full', start: s.shownAt! + MIN });
    expect(same(b.onPanel(), b.frameOf(b.content).data)).toBe(true);
    expect(b.partials()).toBe(0);
    // Nothing more to do: the board is back to its normal rhythm.
    await advance(b.clock, b.svc, 2 * MIN);
    expect(b.refreshes()).toBe(3);
    await b.svc.stop();
  });

  it('keeps content that changes during the test and shows it when the hold ends by itself', async () => {
    const b = setup();
    b.svc.start();
    await settle(b.svc);
    await advance(b.clock, b.svc, MIN);
    const { shown } = b.svc.showTestFrame(pattern, { holdMs: 5 * 60_000 });
    await advance(b.clock, b.svc, 1_000);
    const s = await shown;
    expect(s).toMatchObject({ phase: 'showing', holdUntil: s.shownAt! + 5 * 60_000 });

    const next = { ...sampleContent('power-outage'), updatedAt: '2026-11-27T11:00:00+01:00' };
    next.text = { ...next.text, nl: { ...next.text.nl!, situation: 'De stroom is terug in het noorden van de gemeente.' } };
    b.svc.setContent(next);
    b.svc.setCharging({ enabled: true, portsFree: 1, portsTotal: 8, queue: 4 });
    await advance(b.clock, b.svc, MIN + 30_000);
    // Past the minimum interval, but nobody ended the test: the pattern stays until the hold ends.
    expect(b.refreshes()).toBe(2);
    expect(b.svc.status().test?.phase).toBe('showing');
    expect(b.svc.status().test?.restoreAt).toBe(s.holdUntil);

    await advance(b.clock, b.svc, s.holdUntil! - b.clock.now() + 1_000);
    expect(b.svc.status().test?.phase).toBe('restored');
    expect(b.refreshes()).toBe(3);
    expect(b.calls[2]?.start).toBe(s.holdUntil);
    // The content that came in during the test, not the one before it.
    expect(same(b.onPanel(), b.frameOf(next).data)).toBe(true);
    expect(b.svc.currentContent().charging).toMatchObject({ portsFree: 1, queue: 4 });
    await b.svc.stop();
  });

  it('never overlaps a refresh in progress: the pattern waits for it and then the minimum interval', async () => {
    const b = setup({ gate: true });
    b.svc.start();
    await new Promise((r) => setTimeout(r, 5));
    expect(b.svc.status().inFlight).toBe(true);
    const { status, shown } = b.svc.showTestFrame(pattern);
    // While the content's refresh runs the moment is not known yet.
    expect(status).toMatchObject({ phase: 'pending', dueAt: null });
    b.release();
    await settle(b.svc);
    const contentEnd = b.calls[0]!.end!;
    expect(b.svc.status().test).toMatchObject({ phase: 'pending', dueAt: contentEnd + MIN });
    await advance(b.clock, b.svc, contentEnd + MIN - b.clock.now());
    expect((await shown).phase).toBe('showing');
    expect(b.calls.map((c) => c.mode)).toEqual(['full', 'full']);
    expect(b.calls[1]!.start).toBeGreaterThanOrEqual(contentEnd + MIN);
    expect(b.maxActive()).toBe(1);
    await b.svc.stop();
  });

  it('a panel stuck BUSY fails the test with the driver error, and the content is redrawn in full after the interval', async () => {
    const busy: RecordingOptions = { busyReads: 5 };
    const b = setup({ rec: busy });
    b.svc.start();
    await settle(b.svc);
    await advance(b.clock, b.svc, MIN);
    busy.stuckBusy = true;
    const { shown } = b.svc.showTestFrame(pattern);
    await advance(b.clock, b.svc, 1_000);
    const s: PanelTestStatus = await shown;
    expect(s.phase).toBe('failed');
    expect(s.error).toMatch(/BUSY for more than 1000 ms/);
    expect(s.shownAt).toBeNull();
    expect(b.svc.status().lastError).toMatch(/BUSY/);
    expect(b.svc.shownFrame()).toBeNull();
    // A failed test is over: a new one may be asked for, and the content comes back without anyone asking.
    busy.stuckBusy = false;
    const before = b.refreshes();
    await advance(b.clock, b.svc, MIN + 20_000);
    expect(b.refreshes()).toBe(before + 1);
    expect(b.partials()).toBe(0);
    expect(same(b.onPanel(), b.frameOf(b.content).data)).toBe(true);
    await b.svc.stop();
  });

  it('one test at a time, at the panel size; one still waiting is cancelled without touching the panel', async () => {
    const b = setup();
    b.svc.start();
    await settle(b.svc);
    expect(() => b.svc.showTestFrame(testPatternFrame(640, 384))).toThrow(PanelTestError);
    const first = b.svc.showTestFrame(pattern);
    expect(() => b.svc.showTestFrame(pattern)).toThrow(PanelTestBusyError);
    expect(b.svc.endTestFrame()?.phase).toBe('cancelled');
    expect((await first.shown).phase).toBe('cancelled');
    // Stopping the gateway cancels one that is still waiting, too.
    const second = b.svc.showTestFrame(pattern);
    await b.svc.stop();
    expect((await second.shown).phase).toBe('cancelled');
    b.svc.start();
    await advance(b.clock, b.svc, MIN + 30_000);
    expect(b.refreshes()).toBe(1);

    // Ended while its refresh runs: not cancelled (the panel is being driven), the content follows one interval later.
    const third = b.svc.showTestFrame(pattern);
    expect(b.svc.status().inFlight).toBe(true);
    expect(b.svc.endTestFrame()?.phase).toBe('pending');
    const s = await third.shown;
    expect(s).toMatchObject({ phase: 'showing', restoreAt: s.shownAt! + MIN });
    expect(s.restoreRequestedAt).not.toBeNull();
    await advance(b.clock, b.svc, MIN + 5_000);
    expect(b.svc.status().test?.phase).toBe('restored');
    expect(b.refreshes()).toBe(3);
    await b.svc.stop();
  });
});
