// The board step of the commissioning wizard: the test pattern goes onto the e-ink panel through the board
// service (its driver, its refresh rules), the wizard follows it (waiting for the panel, on the panel since,
// content back), and the technician standing at the unit says whether the panel shows it right.
// Two measurements: 'test pattern' when the panel's refresh has ended (driven or not, how long it took),
// and 'test pattern seen' with the technician's verdict.
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BoardStatus, TestFrameHandle, TestFrameOptions } from '../board/board-service.js';
import type { Frame } from '../board/frame.js';
import { PanelTestBusyError, type PanelTestStatus } from '../board/panel-test.js';
import { encodePng } from '../board/png.js';
import { errorMessage, type Logger } from '../log/logger.js';
import type { Measurement } from './store.js';
import { blackShare, testPatternFrame } from './test-pattern.js';

/** What the wizard needs from the point's board (BoardService and its panel profile). */
export interface BoardTestPanel {
  status(): BoardStatus;
  width: number;
  height: number;
  panelId: string;
  /** The simulated panel's image file (what the panel shows), null on real hardware. */
  latestImage: string | null;
  showTestFrame(frame: Frame, opts?: TestFrameOptions): TestFrameHandle;
  endTestFrame(): PanelTestStatus | null;
}

export interface BoardTestView {
  /** The last test on the panel (null before the first since the gateway started). */
  test: PanelTestStatus | null;
  /** The pattern as drawn, for comparing with the panel. */
  image: string | null;
  /** What the panel shows now, where the gateway has it (the simulated panel). */
  panelImage: string | null;
  /** The gateway's clock now (times above are on it; a simulation may run it fast). */
  now: number;
}

export class BoardTestError extends Error {
  override name = 'BoardTestError';
  constructor(
    message: string,
    readonly status: 409,
    opts?: { cause?: unknown },
  ) {
    super(message, opts);
  }
}

export const BOARD_TEST_IMAGE_URL = '/api/commissioning/board-test.png';
const PANEL_IMAGE_URL = '/api/board/latest.png';

export interface BoardTestDeps {
  board: BoardTestPanel;
  dir: string;
  now: () => number;
  log: Logger;
  /** Records a measurement in the board step of the open run (throws when none is open). */
  record(what: string, ok: boolean | null, value: unknown, by: string): Measurement;
}

/** Where the last test frame's picture is kept (served at BOARD_TEST_IMAGE_URL). */
export function boardTestImagePath(dir: string): string {
  return join(dir, 'board-test.png');
}

export class BoardTestFlow {
  constructor(private readonly d: BoardTestDeps) {}

  get imagePath(): string {
    return boardTestImagePath(this.d.dir);
  }

  view(): BoardTestView {
    const latest = this.d.board.latestImage;
    return {
      test: this.d.board.status().test,
      image: existsSync(this.imagePath) ? BOARD_TEST_IMAGE_URL : null,
      panelImage: latest && existsSync(latest) ? PANEL_IMAGE_URL : null,
      now: this.d.now(),
    };
  }

  /**
   * Asks the board to put the pattern on the panel (when the panel's minimum interval allows) and returns at
   * once; the 'test pattern' measurement is recorded when the panel's refresh has ended.
   */
  start(by: string, holdMs?: number): BoardTestView {
    const b = this.d.board;
    const frame = testPatternFrame(b.width, b.height);
    let handle: TestFrameHandle;
    try {
      handle = b.showTestFrame(frame, holdMs === undefined ? {} : { holdMs });
    } catch (err) {
      if (err instanceof PanelTestBusyError) throw new BoardTestError(err.message, 409, { cause: err });
      throw err;
    }
    writeFileSync(this.imagePath, encodePng(frame));
    const share = Math.round(blackShare(frame) * 1000) / 1000;
    void handle.shown.then((s) => this.recordDriven(s, share, by));
    return this.view();
  }

  private recordDriven(s: PanelTestStatus, share: number, by: string): void {
    const b = this.d.board;
    const driven = s.phase === 'showing';
    const startedAt = s.shownAt !== null && s.refreshMs !== null ? s.shownAt - s.refreshMs : null;
    try {
      this.d.record(
        'test pattern',
        driven,
        {
          panel: b.panelId,
          width: b.width,
          height: b.height,
          blackShare: share,
          test: s.id,
          // True only when the driver completed the full refresh (BUSY released, panel asleep again).
          drivenToPanel: driven,
          outcome: s.phase,
          requestedAt: s.requestedAt,
          waitedMs: startedAt === null ? null : startedAt - s.requestedAt,
          shownAt: s.shownAt,
          refreshMs: s.refreshMs,
          holdUntil: s.holdUntil,
          error: s.error,
        },
        by,
      );
    } catch (err) {
      // The run was finished or none is open any more: the panel's result still goes to the log.
      this.d.log.warn('board test result not recorded', { test: s.id, outcome: s.phase, error: errorMessage(err) });
    }
  }

  /** The technician's verdict ("I see the pattern" or not); the content then returns as soon as the panel allows. */
  verdict(seen: boolean, by: string): Measurement {
    const t = this.d.board.status().test;
    if (!t) throw new BoardTestError('put the test pattern on the panel first', 409);
    if (t.phase === 'pending') throw new BoardTestError('the test pattern is not on the panel yet: wait for it, or end the test', 409);
    if (t.phase === 'cancelled') throw new BoardTestError('the test ended before the pattern reached the panel: start it again', 409);
    const driven = t.shownAt !== null;
    const after = this.d.board.endTestFrame() ?? t;
    return this.d.record(
      'test pattern seen',
      seen && driven,
      { test: t.id, technicianConfirmed: seen, drivenToPanel: driven, shownAt: t.shownAt, refreshMs: t.refreshMs, contentBackAt: after.restoredAt ?? after.restoreAt, error: t.error },
      by,
    );
  }

  /** Ends the test without a verdict: cancels one still waiting, or brings the content back as soon as allowed. */
  restore(): BoardTestView {
    this.d.board.endTestFrame();
    return this.view();
  }
}
