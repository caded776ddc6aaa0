// UC8179 e-paper driver: full, fast and partial refresh and deep sleep over an injected SPI bus
// and GPIO lines. It never keeps the panel powered: every refresh is init → data → refresh →
// sleep, because high voltage held too long damages the panel (DESIGN §4).
import { MAX_TRANSFER, realTiming, type EpdGpio, type EpdTiming, type SpiBus } from './bus.js';
import { CMD, DEEP_SLEEP_CHECK, PARTIAL_VCOM_DATA_INTERVAL, SLEEP_VCOM_DATA_INTERVAL, initSteps, type InitMode, type Step } from './commands.js';

/** 1-bit image: rows of ceil(width/8) bytes, MSB = leftmost pixel, bit 1 = black. */
export interface Bitmap {
  width: number;
  height: number;
  data: Uint8Array;
}

export interface Window {
  x: number;
  y: number;
  w: number;
  h: number;
}

export class EpdBusyTimeoutError extends Error {
  override name = 'EpdBusyTimeoutError';
  constructor(
    readonly during: string,
    readonly timeoutMs: number,
  ) {
    super(`e-paper panel stayed BUSY for more than ${timeoutMs} ms during ${during}; check wiring (BUSY on BCM 24) and panel power`);
  }
}

export class EpdUsageError extends Error {
  override name = 'EpdUsageError';
}

export interface Uc8179Options {
  width: number;
  height: number;
  spi: SpiBus;
  gpio: EpdGpio;
  timing?: EpdTiming;
  /** Longest BUSY wait before giving up. A full refresh takes ~4–5 s; default 20 s. */
  busyTimeoutMs?: number;
  busyPollMs?: number;
}

export class Uc8179 {
  readonly width: number;
  readonly height: number;
  private readonly spi: SpiBus;
  private readonly gpio: EpdGpio;
  private readonly timing: EpdTiming;
  private readonly busyTimeoutMs: number;
  private readonly busyPollMs: number;
  private phase = 'idle';

  constructor(opts: Uc8179Options) {
    if (opts.width % 8 !== 0) throw new EpdUsageError('panel width must be a multiple of 8');
    this.width = opts.width;
    this.height = opts.height;
    this.spi = opts.spi;
    this.gpio = opts.gpio;
    this.timing = opts.timing ?? realTiming;
    this.busyTimeoutMs = opts.busyTimeoutMs ?? 20_000;
    this.busyPollMs = opts.busyPollMs ?? 10;
  }

  private async command(cmd: number, data?: ArrayLike<number>): Promise<void> {
    await this.gpio.setDc(0);
    await this.spi.write(Uint8Array.of(cmd));
    if (data && data.length > 0) await this.data(data instanceof Uint8Array ? data : Uint8Array.from(data));
  }

  /** Data bytes in transfers of at most MAX_TRANSFER (spidev's default buffer). */
  private async data(bytes: Uint8Array): Promise<void> {
    await this.gpio.setDc(1);
    for (let off = 0; off < bytes.length; off += MAX_TRANSFER) {
      await this.spi.write(bytes.subarray(off, Math.min(bytes.length, off + MAX_TRANSFER)));
    }
  }

  private async waitIdle(): Promise<void> {
    const deadline = this.timing.now() + this.busyTimeoutMs;
    while ((await this.gpio.readBusy()) === 0) {
      if (this.timing.now() >= deadline) throw new EpdBusyTimeoutError(this.phase, this.busyTimeoutMs);
      await this.timing.sleep(this.busyPollMs);
    }
  }

  private async run(steps: Step[]): Promise<void> {
    for (const s of steps) {
      if ('cmd' in s) await this.command(s.cmd, s.data);
      else if ('waitBusy' in s) await this.waitIdle();
      else await this.timing.sleep(s.delayMs);
    }
  }

  /** Hardware reset, then the init sequence of the mode. */
  async init(mode: InitMode): Promise<void> {
    this.phase = `init(${mode})`;
    await this.gpio.setPower?.(true);
    await this.gpio.setReset(1);
    await this.timing.sleep(20);
    await this.gpio.setReset(0);
    await this.timing.sleep(2);
    await this.gpio.setReset(1);
    await this.timing.sleep(20);
    await this.run(initSteps(mode, this.width, this.height));
  }

  private checkFrame(frame: Bitmap): void {
    if (frame.width !== this.width || frame.height !== this.height) {
      throw new EpdUsageError(`frame is ${frame.width}×${frame.height}, panel is ${this.width}×${this.height}`);
    }
    if (frame.data.length !== (this.width / 8) * this.height) throw new EpdUsageError('frame data has the wrong length');
  }

  /** Writes both planes and refreshes the whole panel (after init('full') or init('fast')). */
  async displayFull(frame: Bitmap): Promise<void> {
    this.checkFrame(frame);
    this.phase = 'full refresh';
    // Old-data plane takes 1 = white, new-data plane 1 = black (panel setting 0x1F, interval 0x10).
    const inverted = new Uint8Array(frame.data.length);
    for (let i = 0; i < inverted.length; i++) inverted[i] = ~(frame.data[i] ?? 0) & 0xff;
    await this.command(CMD.DATA_START_OLD, inverted);
    await this.command(CMD.DATA_START_NEW, frame.data);
    await this.turnOn();
  }

  /**
   * Refreshes one window (after init('partial')). x and w are rounded out to whole bytes because
   * the controller addresses 8 pixels at a time.
   */
  async displayPartial(frame: Bitmap, win: Window): Promise<Window> {
    this.checkFrame(frame);
    const x0 = Math.max(0, Math.floor(win.x / 8) * 8);
    const x1 = Math.min(this.width, Math.ceil((win.x + win.w) / 8) * 8);
    const y0 = Math.max(0, win.y);
    const y1 = Math.min(this.height, win.y + win.h);
    if (x1 <= x0 || y1 <= y0) throw new EpdUsageError('empty partial window');
    this.phase = 'partial refresh';
    await this.command(CMD.VCOM_DATA_INTERVAL, PARTIAL_VCOM_DATA_INTERVAL);
    await this.command(CMD.PARTIAL_IN);
    const xe = x1 - 1;
    const ye = y1 - 1;
    await this.command(CMD.PARTIAL_WINDOW, [x0 >> 8, x0 & 0xff, xe >> 8, xe & 0xff, y0 >> 8, y0 & 0xff, ye >> 8, ye & 0xff, 0x01]);
    const rb = this.width / 8;
    const wb = (x1 - x0) / 8;
    const win8 = new Uint8Array(wb * (y1 - y0));
    for (let y = y0; y < y1; y++) {
      for (let b = 0; b < wb; b++) win8[(y - y0) * wb + b] = ~(frame.data[y * rb + x0 / 8 + b] ?? 0) & 0xff; // partial: 1 = white
    }
    await this.command(CMD.DATA_START_NEW, win8);
    await this.turnOn();
    return { x: x0, y: y0, w: x1 - x0, h: y1 - y0 };
  }

  private async turnOn(): Promise<void> {
    await this.command(CMD.DISPLAY_REFRESH);
    // The controller needs ≥ 200 µs before BUSY is meaningful; the reference waits 100 ms.
    await this.timing.sleep(100);
    await this.waitIdle();
  }

  /** Power off and deep sleep: the panel keeps its image without power. */
  async sleep(): Promise<void> {
    this.phase = 'sleep';
    await this.command(CMD.VCOM_DATA_INTERVAL, SLEEP_VCOM_DATA_INTERVAL);
    await this.command(CMD.POWER_OFF);
    await this.waitIdle();
    await this.command(CMD.DEEP_SLEEP, [DEEP_SLEEP_CHECK]);
    await this.gpio.setPower?.(false);
    this.phase = 'idle';
  }

  /** One complete refresh: init for the mode, write, refresh, sleep — the panel never stays awake. */
  async refresh(frame: Bitmap, mode: InitMode, win?: Window): Promise<void> {
    try {
      await this.init(mode);
      if (mode === 'partial') {
        if (!win) throw new EpdUsageError('partial refresh needs a window');
        await this.displayPartial(frame, win);
      } else await this.displayFull(frame);
    } finally {
      // Even after an error, try to power the panel down; report the first error.
      await this.sleep().catch(() => undefined);
    }
  }
}
