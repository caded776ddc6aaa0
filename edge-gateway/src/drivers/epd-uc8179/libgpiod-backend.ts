// GPIO through libgpiod. Node has no libgpiod binding without a native module, so this backend
// drives the libgpiod command-line tools (Debian package `gpiod`, v1.6 on Raspberry Pi OS
// bookworm): `gpiofind` locates a line by name — Pi 5 renumbered the chips, names stay — and
// `gpioset`/`gpioget` change and read it. Each call spawns a process (~ms), acceptable for the
// ~30 DC toggles of one refresh. The runner is injected so the command lines are testable here.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { EpdGpio } from './bus.js';

export type Runner = (cmd: string, args: string[]) => Promise<string>;

const execFileP = promisify(execFile);
export const execRunner: Runner = async (cmd, args) => (await execFileP(cmd, args, { timeout: 5000 })).stdout;

export class GpioLineError extends Error {
  override name = 'GpioLineError';
}

export interface LineRef {
  chip: string;
  offset: number;
}

/** Line names as the Pi's device tree labels them ("GPIO25"), per the wiring in bus.ts. */
export interface EpdLineNames {
  dc: string;
  reset: string;
  busy: string;
  power?: string;
}
export const WAVESHARE_HAT_LINES: EpdLineNames = { dc: 'GPIO25', reset: 'GPIO17', busy: 'GPIO24', power: 'GPIO18' };

export class LibgpiodCliGpio implements EpdGpio {
  private lines: Map<string, LineRef> = new Map();
  constructor(
    private readonly names: EpdLineNames = WAVESHARE_HAT_LINES,
    private readonly run: Runner = execRunner,
  ) {}

  /** Finds the chip and offset of a named line (`gpiofind GPIO25` → "gpiochip0 25"). */
  async find(name: string): Promise<LineRef> {
    const known = this.lines.get(name);
    if (known) return known;
    let out: string;
    try {
      out = await this.run('gpiofind', [name]);
    } catch (err) {
      throw new GpioLineError(`GPIO line '${name}' not found (is the gpiod package installed?)`, { cause: err });
    }
    const m = /^(\S+)\s+(\d+)\s*$/.exec(out.trim());
    if (!m?.[1] || !m[2]) throw new GpioLineError(`unexpected gpiofind output for '${name}': ${JSON.stringify(out)}`);
    const ref = { chip: m[1], offset: Number(m[2]) };
    this.lines.set(name, ref);
    return ref;
  }

  private async set(name: string, level: 0 | 1): Promise<void> {
    const { chip, offset } = await this.find(name);
    await this.run('gpioset', [chip, `${offset}=${level}`]);
  }

  setDc(level: 0 | 1): Promise<void> {
    return this.set(this.names.dc, level);
  }
  setReset(level: 0 | 1): Promise<void> {
    return this.set(this.names.reset, level);
  }
  async setPower(on: boolean): Promise<void> {
    if (this.names.power) await this.set(this.names.power, on ? 1 : 0);
  }
  async readBusy(): Promise<0 | 1> {
    const { chip, offset } = await this.find(this.names.busy);
    const out = (await this.run('gpioget', [chip, String(offset)])).trim();
    if (out !== '0' && out !== '1') throw new GpioLineError(`unexpected gpioget output: ${JSON.stringify(out)}`);
    return out === '1' ? 1 : 0;
  }
}
