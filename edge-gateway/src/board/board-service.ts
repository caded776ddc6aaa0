// The board as a gateway service: holds the current content and charging status, rotates pages and
// languages, renders the page due, and asks the refresh policy whether and how to update the
// panel. One refresh in flight at most; the driver puts the panel to sleep after each one.
import type { Clock } from '../core/clock.js';
import { silentLogger, type Logger } from '../log/logger.js';
import { DEFAULT_STALE_AFTER_MS, isStale, parseBoardContent, type BoardContent, type ChargingStatus, type HelpBoard } from './content.js';
import type { Frame, Rect } from './frame.js';
import { layoutBoard, sizesFor, type Page, type Sizes } from './layout.js';
import type { PanelProfile } from './panels.js';
import { DEFAULT_REFRESH_POLICY, decideRefresh, type PanelState, type RefreshPolicyConfig } from './refresh-policy.js';

const DEFAULT_CHECK_EVERY_MS = 15_000;

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
}

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
    this.stopTimer = this.opts.clock.setInterval(() => void this.check(), this.opts.checkEveryMs ?? DEFAULT_CHECK_EVERY_MS);
    void this.check();
  }

  /** Stops checking and waits for a refresh in flight to finish. */
  async stop(): Promise<void> {
    this.stopTimer?.();
    this.stopTimer = null;
    await this.inFlight;
  }

  /** New content from the coordinator or local staff (validated here). */
  setContent(input: unknown): void {
    const next = parseBoardContent(input);
    const current = this.content;
    // Charging figures come live from the charging service: new text must not blank them until its next feed.
    this.content = next.charging || !this.content.charging ? next : { ...next, charging: this.content.charging };
    // Likewise the citizen-help counts, which come live from the help service.
    if (!next.help && current.help) this.content = { ...this.content, help: current.help };
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
    };
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
        this.lastError = err instanceof Error ? err.message : String(err);
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
    const decision = decideRefresh(frame, this.state, now, { ...this.cfg, maxIntervalMs: this.cfg.maxIntervalMs - margin });
    if (decision.kind === 'none') return;
    this.log.debug(() => `refresh ${decision.kind} page ${page.lang} ${page.index + 1}/${page.count}`);
    // Counted as a refresh before it runs: a failed attempt must not be retried sooner than the
    // minimum interval either (the panel may have been driven half-way).
    this.state = { ...this.state, lastRefreshAt: now };
    // The interval runs from the end of a refresh: the panel's own refresh moment lies somewhere
    // inside the call, so measuring from the start would let two panel refreshes come too close.
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
    } finally {
      this.state = { ...this.state, lastRefreshAt: this.opts.clock.now() };
    }
  }
}
