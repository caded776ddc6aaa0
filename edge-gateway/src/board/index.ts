// Public face of the board: build a BoardService for the simulator (PNG panel) or for the Pi
// (spidev + libgpiod), then feed it content and charging status from gateway state.
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log/logger.js';
import { LibgpiodCliGpio } from '../drivers/epd-uc8179/libgpiod-backend.js';
import { PngPanelBackend } from '../drivers/epd-uc8179/png-backend.js';
import { SpidevBus } from '../drivers/epd-uc8179/spidev-backend.js';
import { Uc8179 } from '../drivers/epd-uc8179/uc8179.js';
import { BoardService, type BoardServiceOptions } from './board-service.js';
import type { BoardContent } from './content.js';
import { DEFAULT_PANEL_ID, panelProfile } from './panels.js';
import { sampleContent } from './sample-content.js';

export { BoardService, type BoardDisplay, type BoardStatus, type TestFrameHandle, type TestFrameOptions } from './board-service.js';
export { PanelTestError, PanelTestBusyError, type PanelTestStatus, type PanelTestPhase } from './panel-test.js';
export { parseBoardContent, BoardContentSchema, type BoardContent, type ChargingStatus } from './content.js';
export { PANELS, panelProfile } from './panels.js';
export { sampleContent } from './sample-content.js';

export interface CreateBoardOptions extends Partial<Omit<BoardServiceOptions, 'clock' | 'panel' | 'display' | 'content'>> {
  clock: Clock;
  panelId?: string;
  content?: BoardContent;
  logger?: Logger;
  /** 'simulated': PNG panel writing latest.png + refresh-log.jsonl into `dir`; 'pi': spidev + libgpiod. */
  backend: 'simulated' | 'pi';
  dir?: string;
  spiDevice?: string;
}

export interface Board {
  service: BoardService;
  /** The simulated panel (image and refresh log) when backend is 'simulated'. */
  simulatedPanel: PngPanelBackend | null;
}

export class BoardSetupError extends Error {
  override name = 'BoardSetupError';
}

export function createBoard(opts: CreateBoardOptions): Board {
  const panel = panelProfile(opts.panelId ?? DEFAULT_PANEL_ID);
  let epd: Uc8179;
  let simulatedPanel: PngPanelBackend | null = null;
  if (opts.backend === 'simulated') {
    simulatedPanel = new PngPanelBackend({ width: panel.width, height: panel.height, dir: opts.dir, now: () => opts.clock.now() });
    epd = new Uc8179({
      width: panel.width,
      height: panel.height,
      spi: simulatedPanel,
      gpio: simulatedPanel,
      timing: { now: () => opts.clock.now(), sleep: (ms) => new Promise((r) => opts.clock.setTimeout(r, ms)) },
    });
  } else {
    if (panel.controller !== 'uc8179') throw new BoardSetupError(`panel ${panel.id} has no driver for real hardware yet`);
    epd = new Uc8179({ width: panel.width, height: panel.height, spi: new SpidevBus(opts.spiDevice), gpio: new LibgpiodCliGpio() });
  }
  const { clock, content, logger, backend: _b, dir: _d, spiDevice: _s, panelId: _p, ...rest } = opts;
  const service = new BoardService({ ...rest, clock, panel, display: epd, content: content ?? sampleContent(), logger: logger?.child('board') });
  return { service, simulatedPanel };
}
