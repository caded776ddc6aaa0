// The simulator's panel: it listens to the same UC8179 byte stream a real panel gets, keeps the
// panel's image, and on every DISPLAY_REFRESH writes the image as PNG plus one line in a refresh
// log (JSON lines) that the kiosk/simulator UI can show. BUSY is never low: refreshes are instant.
import { appendFileSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodePng } from '../../board/png.js';
import { MAX_TRANSFER, type EpdGpio, type SpiBus } from './bus.js';
import { CMD } from './commands.js';

export interface RefreshLogEntry {
  /** ms since the epoch (from the injected clock). */
  at: number;
  mode: 'full' | 'fast' | 'partial';
  window: { x: number; y: number; w: number; h: number };
}

export interface PngBackendOptions {
  width: number;
  height: number;
  /** Folder for latest.png and refresh-log.jsonl; omit to keep everything in memory. */
  dir?: string;
  now?: () => number;
}

export class PngPanelBackend implements SpiBus, EpdGpio {
  /** The panel's visible image, bit 1 = black. */
  readonly image: Uint8Array;
  readonly log: RefreshLogEntry[] = [];
  asleep = true;
  private dc: 0 | 1 = 0;
  private cmd = -1;
  private args: number[] = [];
  private plane: number[] = [];
  /** Last complete DATA_START_NEW payload: what the next DISPLAY_REFRESH shows. */
  private newData: number[] = [];
  private partial = false;
  private dataWhiteIsOne = false;
  private waveform: 'full' | 'fast' | 'partial' = 'full';
  private win = { x: 0, y: 0, w: 0, h: 0 };

  constructor(private readonly opts: PngBackendOptions) {
    this.image = new Uint8Array((opts.width / 8) * opts.height);
    if (opts.dir) mkdirSync(opts.dir, { recursive: true });
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (bytes.length > MAX_TRANSFER) throw new RangeError(`transfer of ${bytes.length} bytes exceeds ${MAX_TRANSFER}`);
    if (this.dc === 0) {
      this.endCommand();
      this.cmd = bytes[0] ?? -1;
      this.args = [];
      this.plane = [];
      this.onCommand(this.cmd);
    } else if (this.cmd === CMD.DATA_START_NEW) {
      for (const b of bytes) this.plane.push(b);
    } else if (this.cmd !== CMD.DATA_START_OLD) {
      for (const b of bytes) this.args.push(b);
      // Deep sleep is the last command of a refresh: no later command would close it.
      if (this.cmd === CMD.DEEP_SLEEP && this.args[0] === 0xa5) this.asleep = true;
    }
  }

  private onCommand(cmd: number): void {
    if (cmd === CMD.POWER_ON) this.asleep = false;
    if (cmd === CMD.PARTIAL_IN) this.partial = true;
    if (cmd === CMD.DISPLAY_REFRESH) this.refresh();
  }

  /** Interprets the arguments of the command that just ended. */
  private endCommand(): void {
    const a = this.args;
    switch (this.cmd) {
      case CMD.DATA_START_NEW:
        this.newData = this.plane;
        break;
      case CMD.VCOM_DATA_INTERVAL:
        if (a.length >= 1) this.dataWhiteIsOne = ((a[0] ?? 0) & 0x01) === 1;
        break;
      case CMD.FORCE_TEMPERATURE:
        this.waveform = a[0] === 0x5a ? 'fast' : a[0] === 0x6e ? 'partial' : 'full';
        break;
      case CMD.PARTIAL_WINDOW: {
        const word = (i: number) => ((a[i] ?? 0) << 8) | (a[i + 1] ?? 0);
        this.win = { x: word(0), y: word(4), w: word(2) - word(0) + 1, h: word(6) - word(4) + 1 };
        break;
      }
    }
    this.cmd = -1;
  }

  private refresh(): void {
    const rb = this.opts.width / 8;
    const win = this.partial ? this.win : { x: 0, y: 0, w: this.opts.width, h: this.opts.height };
    const wb = win.w / 8;
    for (let y = 0; y < win.h; y++) {
      for (let b = 0; b < wb; b++) {
        const v = this.newData[y * wb + b] ?? 0;
        this.image[(win.y + y) * rb + win.x / 8 + b] = this.dataWhiteIsOne ? ~v & 0xff : v;
      }
    }
    const entry: RefreshLogEntry = { at: this.opts.now?.() ?? Date.now(), mode: this.partial ? 'partial' : this.waveform, window: win };
    this.log.push(entry);
    if (this.opts.dir) {
      // Write then rename so a UI polling latest.png never reads half a file.
      const tmp = join(this.opts.dir, 'latest.png.tmp');
      writeFileSync(tmp, encodePng({ width: this.opts.width, height: this.opts.height, data: this.image }));
      renameSync(tmp, join(this.opts.dir, 'latest.png'));
      appendFileSync(join(this.opts.dir, 'refresh-log.jsonl'), JSON.stringify(entry) + '\n');
    }
  }

  async setDc(level: 0 | 1): Promise<void> {
    this.dc = level;
  }
  async setReset(level: 0 | 1): Promise<void> {
    if (level === 0) {
      // Hardware reset: registers back to defaults.
      this.partial = false;
      this.waveform = 'full';
      this.dataWhiteIsOne = false;
      this.asleep = false;
    }
  }
  async readBusy(): Promise<0 | 1> {
    return 1;
  }
}
