// The board as a gateway service: holds the current content and charging status, rotates pages and
// languages, renders the page due, and asks the refresh policy whether and how to update the
// panel. One refresh in flight at most; the driver puts the panel to sleep after each one. A one-off
// test frame (commissioning) takes the same path and the same minimum interval, then the content returns.
import type { Clock } from '../core/clock.js';
import { errorMessage, silentLogger, type Logger } from '../log/logger.js';
import { DEFAULT_STALE_AFTER_MS, isStale, parseBoardContent, type BoardContent, type ChargingStatus, type HelpBoard } from './content.js';
import type { Frame, Rect } from './frame.js';
import { layoutBoard, sizesFor, type Page, type Sizes } from './layout.js';
import type { PanelProfile } from './panels.js';
import { DEFAULT_TEST_HOLD_MS, MAX_TEST_HOLD_MS, PanelTestBusyError, PanelTestError, isTestActive, restoreDueAt, type PanelTestStatus } from './panel-test.js';
import { DEFAULT_REFRESH_POLICY, decideRefresh, type PanelState, type RefreshDecision, type RefreshPolicyConfig } from './refresh-policy.js';

const DEFAULT_CHECK_EVERY_MS = 15_000;
/** Blocks fed live by a service (setCharging, setHelp) rather than by the content's author. */
const LIVE_BLOCKS = ['charging', 'help'] as const;

/** What the board needs from a panel driver (Uc8179 fits; so does any simulated twin). */
export interface BoardDisplay {
  refresh(frame: Frame, mode: 'full' | 'fast' | 'partial', window?: Rect): Promise<void>;
}

export type PageRenderer = (page: Page, content: BoardContent, sizes: Sizes, stale: boolean) => Promise<Frame>;

export interface BoardServiceOptions {
  clock: Clock;
  panel: PanelProfile;
  display: BoardDisplay;
  content: BoardContent;
  logger?: Logger;
  policy?: Partial<RefreshPolicyConfig>;
  /** Time each page stays up before the next page/language; at least the minimum refresh interval. */
  rotateEveryMs?: number;
  /** How often the service checks whether something is due. */
  checkEveryMs?: number;
  staleAfterMs?: number;
  readingDistanceM?: number;
  timeZone?: string;
  /** Injected for tests that count refreshes without paying for real rendering. */
  renderer?: PageRenderer;
}

export interface BoardStatus {
  lastRefreshAt: number | null;
  refreshes: { full: number; partial: number };
  page: { lang: string; index: number; count: number } | null;
  views: number;
  inFlight: boolean;
  lastError: string | null;
  /** The last test frame (commissioning), null when none was asked for since the start. */
  test: PanelTestStatus | null;
}

export interface TestFrameOptions {
  /** Longest time the frame stays before the content returns by itself; clamped to [minimum interval, 30 min]. */
  holdMs?: number;
}

export interface TestFrameHandle {
  status: PanelTestStatus;
  /** Settles once the test frame's refresh has ended: phase 'showing' (driven), 'failed' or 'cancelled'. */
  shown: Promise<PanelTestStatus>;
}

/** A test as the service holds it; `drawing` while its frame's refresh runs (phase still 'pending'). */
type TestRun = PanelTestStatus & { frame: Frame; holdMs: number; drawing: boolean; settle: (s: PanelTestStatus) => void };

export class BoardService {
  private content: BoardContent;
  private readonly cfg: RefreshPolicyConfig;
  private readonly sizes: Sizes;
  private readonly log: Logger;
  private readonly rotateEveryMs: number;
  private readonly staleAfterMs: number;
  private pages: Page[] = [];
  private view = 0;
  private viewSince: number;
  private version = 0;
  private state: PanelState = { shown: null, lastRefreshAt: null, partialsSinceFull: 0 };
  private cache: { key: string; frame: Frame } | null = null;
  private inFlight: Promise<void> | null = null;
  private stopTimer: (() => void) | null = null;
  private readonly counts = { full: 0, partial: 0 };
  private lastError: string | null = null;
  private test: TestRun | null = null;
  private testSeq = 0;
  private testTimer: (() => void) | null = null;
  private stopped = false;
  /** The driver is refreshing the panel now (a check in flight may only be rendering and deciding). */
  private driving = false;

  constructor(private readonly opts: BoardServiceOptions) {
    this.cfg = { ...DEFAULT_REFRESH_POLICY, partialSupported: opts.panel.supportsPartial, ...opts.policy };
    this.sizes = sizesFor(opts.panel, opts.readingDistanceM);
    this.log = opts.logger ?? silentLogger;
    this.rotateEveryMs = Math.max(opts.rotateEveryMs ?? 300_000, this.cfg.minIntervalMs);
    this.staleAfterMs = opts.staleAfterMs ?? DEFAULT_STALE_AFTER_MS;
    this.content = opts.content;
    this.viewSince = opts.clock.now();
    this.relayout();
  }

  start(): void {
    if (this.stopTimer) return;
    this.stopped = false;
    this.stopTimer = this.opts.clock.setInterval(() => void this.check(), this.opts.checkEveryMs ?? DEFAULT_CHECK_EVERY_MS);
    void this.check();
  }

  /** Stops checking and waits for a refresh in flight to finish. */
  async stop(): Promise<void> {
    this.stopTimer?.();
    this.stopTimer = null;
    this.stopped = true;
    this.testTimer?.();
    this.testTimer = null;
    // A test frame still waiting never reaches the panel; one on the panel stays there (e-ink keeps its image).
    if (this.test?.phase === 'pending' && !this.test.drawing) this.endTest(this.test, 'cancelled');
    await this.inFlight;
  }

  /**
   * Puts a one-off frame on the panel with a full refresh, as soon as the minimum interval since the last
   * refresh allows (never overlapping a refresh in progress); keeps it at least one interval and at most
   * `holdMs`, then the content comes back with a full refresh. Content that changes meanwhile is kept and
   * shown then. One test at a time (PanelTestBusyError).
   */
  showTestFrame(frame: Frame, opts: TestFrameOptions = {}): TestFrameHandle {
    const { width, height } = this.opts.panel;
    if (frame.width !== width || frame.height !== height) throw new PanelTestError(`test frame is ${frame.width}×${frame.height}, the panel is ${width}×${height}`);
    if (this.test && isTestActive(this.test.phase)) throw new PanelTestBusyError(`a test frame is already ${this.test.phase === 'pending' ? 'waiting for' : 'on'} the panel: end it first`);
    const holdMs = Math.min(MAX_TEST_HOLD_MS, Math.max(this.cfg.minIntervalMs, opts.holdMs ?? DEFAULT_TEST_HOLD_MS));
    let settle: (s: PanelTestStatus) => void = () => {};
    const shown = new Promise<PanelTestStatus>((resolve) => (settle = resolve));
    const now = this.opts.clock.now();
    this.test = {
      id: ++this.testSeq,
      phase: 'pending',
      requestedAt: now,
      dueAt: null,
      shownAt: null,
      refreshMs: null,
      restoreFrom: null,
      holdUntil: null,
      restoreRequestedAt: null,
      restoreAt: null,
      restoredAt: null,
      error: null,
      frame,
      holdMs,
      drawing: false,
      settle,
    };
    const status = this.testStatus() as PanelTestStatus;
    this.log.info('test frame requested', { test: status.id, dueAt: status.dueAt, holdMs });
    this.kickTest();
    return { status, shown };
  }

  /**
   * Ends the test: a frame still waiting is cancelled; one on the panel gives way to the content as soon
   * as the minimum interval allows. Returns the test's status (null when there was none).
   */
  endTestFrame(): PanelTestStatus | null {
    const t = this.test;
    if (!t) return null;
    if (t.phase === 'pending' && !t.drawing) this.endTest(t, 'cancelled');
    else if ((t.phase === 'showing' || t.drawing) && t.restoreRequestedAt === null) {
      // While its refresh runs the frame is as good as shown: the content comes back one interval after it.
      t.restoreRequestedAt = this.opts.clock.now();
      this.log.info('test frame: content back requested', { test: t.id, at: restoreDueAt(t) });
      this.kickTest();
    }
    return this.testStatus();
  }

  /** New content from the coordinator or local staff (validated here). */
  setContent(input: unknown): void {
    const next = parseBoardContent(input);
    if (this.test && isTestActive(this.test.phase)) this.log.info('new board content held until the test frame leaves the panel', { test: this.test.id });
    // Charging figures and help counts come live from their services: new text must not blank them until their next feed.
    let content = next;
    for (const block of LIVE_BLOCKS) if (!next[block] && this.content[block]) content = { ...content, [block]: this.content[block] };
    this.content = content;
    this.relayout();
    void this.check();
  }

  /** Live charging availability and queue from the charging service. */
  setCharging(charging: ChargingStatus): void {
    this.content = { ...this.content, charging };
    this.version++;
    void this.check();
  }

  /** Live citizen-help counts; a change of the numbers lays the pages out again (the help block may grow). */
  setHelp(help: HelpBoard): void {
    const h = this.content.help;
    if (h && JSON.stringify(h) === JSON.stringify(help)) return;
    this.content = { ...this.content, help };
    this.relayout();
    void this.check();
  }

  /** The content shown now (with the live charging figures), e.g. for the resident screens. */
  currentContent(): BoardContent {
    return this.content;
  }

  status(): BoardStatus {
    const p = this.pages[this.view];
    return {
      lastRefreshAt: this.state.lastRefreshAt,
      refreshes: { ...this.counts },
      page: p ? { lang: p.lang, index: p.index, count: p.count } : null,
      views: this.pages.length,
      inFlight: this.inFlight !== null,
      lastError: this.lastError,
      test: this.testStatus(),
    };
  }

  private testStatus(): PanelTestStatus | null {
    const t = this.test;
    if (!t) return null;
    const { frame: _f, holdMs: _h, drawing: _d, settle: _s, ...status } = t;
    return {
      ...status,
      dueAt: t.phase === 'pending' && !t.drawing && !this.driving ? Math.max(this.opts.clock.now(), this.nextRefreshAllowedAt()) : null,
      restoreAt: t.phase === 'showing' ? restoreDueAt(t) : null,
    };
  }

  private nextRefreshAllowedAt(): number {
    const last = this.state.lastRefreshAt;
    return last === null ? this.opts.clock.now() : last + this.cfg.minIntervalMs;
  }

  private endTest(t: TestRun, phase: 'cancelled'): void {
    t.phase = phase;
    this.testTimer?.();
    this.testTimer = null;
    this.log.info('test frame cancelled before it reached the panel', { test: t.id });
    t.settle(this.testStatus() as PanelTestStatus);
  }

  /**
   * Runs a check at the moment the test's next step is due (test frame on, or content back), so it
   * happens on time rather than at the next periodic check; after a refresh in progress, never during it.
   */
  private kickTest(): void {
    this.testTimer?.();
    this.testTimer = null;
    const t = this.test;
    if (!t || this.stopped || (t.phase !== 'pending' && t.phase !== 'showing')) return;
    if (this.inFlight) {
      void this.inFlight.then(() => this.kickTest());
      return;
    }
    const at = t.phase === 'pending' ? this.nextRefreshAllowedAt() : (restoreDueAt(t) ?? this.nextRefreshAllowedAt());
    const wait = at - this.opts.clock.now();
    if (wait <= 0) void this.check();
    else
      this.testTimer = this.opts.clock.setTimeout(() => {
        this.testTimer = null;
        this.kickTest();
      }, wait);
  }

  /** The frame on the panel now (null before the first refresh). */
  shownFrame(): Frame | null {
    return this.state.shown;
  }

  private relayout(): void {
    this.pages = layoutBoard(this.content, this.opts.panel, this.sizes);
    this.version++;
    if (this.view >= this.pages.length) this.view = 0;
  }

  private async frameFor(page: Page, stale: boolean): Promise<Frame> {
    const key = `${this.version}:${this.view}:${stale}`;
    if (this.cache?.key === key) return this.cache.frame;
    // The renderer (satori, resvg-wasm) is loaded only when a frame is needed and no renderer was injected.
    const render: PageRenderer =
      this.opts.renderer ??
      (async (pg, content, sizes, st) => (await import('./render.js')).renderPage(pg, content, this.opts.panel, sizes, { stale: st, timeZone: this.opts.timeZone }));
    const frame = await render(page, this.content, this.sizes, stale);
    this.cache = { key, frame };
    return frame;
  }

  /** Checks whether a refresh is due and runs it; resolves when any refresh it started is done. */
  check(): Promise<void> {
    if (this.inFlight) return this.inFlight;
    const run = this.runCheck()
      .catch((err: unknown) => {
        this.lastError = errorMessage(err);
        this.log.error('board refresh failed', { error: this.lastError });
      })
      .finally(() => {
        this.inFlight = null;
      });
    this.inFlight = run;
    return run;
  }

  private async runCheck(): Promise<void> {
    const now = this.opts.clock.now();
    // Rotation only moves on when a refresh could show the next page anyway.
    const canRefresh = this.state.lastRefreshAt === null || now - this.state.lastRefreshAt >= this.cfg.minIntervalMs;
    if (!canRefresh) return;
    const test = this.test;
    if (test?.phase === 'pending') return this.showTest(test);
    // The test frame stays until the technician is done or the hold ends; the content waits, not lost.
    const restoring = test?.phase === 'showing' ? test : null;
    if (restoring && now < (restoreDueAt(restoring) ?? Infinity)) return;
    if (this.pages.length > 1 && now - this.viewSince >= this.rotateEveryMs) {
      this.view = (this.view + 1) % this.pages.length;
      this.viewSince = now;
    }
    const page = this.pages[this.view];
    if (!page) return;
    const frame = await this.frameFor(page, isStale(this.content, now, this.staleAfterMs));
    // Aim the daily refresh early by the check period plus a minute for the refresh itself, so
    // the gap between refreshes stays within 24 h, not 24 h plus polling delay.
    const margin = 2 * (this.opts.checkEveryMs ?? DEFAULT_CHECK_EVERY_MS) + 60_000;
    // After a test frame the content comes back in full: the whole panel changes, and a full refresh clears
    // the ghosting of the high-contrast pattern.
    const decision: RefreshDecision = restoring
      ? { kind: 'full', reason: 'after-test' }
      : decideRefresh(frame, this.state, now, { ...this.cfg, maxIntervalMs: this.cfg.maxIntervalMs - margin });
    if (decision.kind === 'none') return;
    if (restoring) restoring.phase = 'restoring';
    this.log.debug(() => `refresh ${decision.kind} page ${page.lang} ${page.index + 1}/${page.count}`);
    // Counted as a refresh before it runs: a failed attempt must not be retried sooner than the
    // minimum interval either (the panel may have been driven half-way).
    this.state = { ...this.state, lastRefreshAt: now };
    // The interval runs from the end of a refresh: the panel's own refresh moment lies somewhere
    // inside the call, so measuring from the start would let two panel refreshes come too close.
    this.driving = true;
    try {
      if (decision.kind === 'partial') {
        await this.opts.display.refresh(frame, 'partial', decision.window);
        this.state = { shown: frame, lastRefreshAt: now, partialsSinceFull: this.state.partialsSinceFull + 1 };
        this.counts.partial++;
      } else {
        await this.opts.display.refresh(frame, 'full');
        this.state = { shown: frame, lastRefreshAt: now, partialsSinceFull: 0 };
        this.counts.full++;
      }
    } catch (err) {
      if (restoring) {
        // Unknown what the panel shows now: the next refresh (after the interval) redraws the content in full.
        this.state = { ...this.state, shown: null };
        restoring.phase = 'failed';
        restoring.error = `restoring the content: ${errorMessage(err)}`;
      }
      throw err;
    } finally {
      this.driving = false;
      this.state = { ...this.state, lastRefreshAt: this.opts.clock.now() };
    }
    if (restoring) {
      restoring.phase = 'restored';
      restoring.restoredAt = this.state.lastRefreshAt;
      this.log.info('test frame: content back on the panel', { test: restoring.id });
    }
  }

  /** The test frame's full refresh. Errors are the test's outcome (and the board's last error), not thrown. */
  private async showTest(t: TestRun): Promise<void> {
    const start = this.opts.clock.now();
    this.state = { ...this.state, lastRefreshAt: start };
    t.drawing = true;
    try {
      await this.opts.display.refresh(t.frame, 'full');
      const end = this.opts.clock.now();
      this.state = { shown: t.frame, lastRefreshAt: end, partialsSinceFull: 0 };
      this.counts.full++;
      t.phase = 'showing';
      t.shownAt = end;
      t.refreshMs = end - start;
      t.restoreFrom = end + this.cfg.minIntervalMs;
      t.holdUntil = end + t.holdMs;
      this.log.info('test frame on the panel', { test: t.id, refreshMs: t.refreshMs, holdUntil: t.holdUntil });
    } catch (err) {
      const end = this.opts.clock.now();
      // The panel may have been driven half-way: the content's next refresh is a full one.
      this.state = { shown: null, lastRefreshAt: end, partialsSinceFull: 0 };
      const msg = errorMessage(err);
      t.phase = 'failed';
      t.refreshMs = end - start;
      t.error = msg;
      this.lastError = msg;
      this.log.error('test frame refresh failed', { test: t.id, error: msg });
    }
    t.drawing = false;
    t.settle(this.testStatus() as PanelTestStatus);
    this.kickTest();
  }
}
