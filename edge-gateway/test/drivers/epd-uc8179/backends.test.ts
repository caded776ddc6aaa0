import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { decodePng } from '../../../src/board/png.js';
import { GpioLineError, LibgpiodCliGpio } from '../../../src/drivers/epd-uc8179/libgpiod-backend.js';
import { PngPanelBackend } from '../../../src/drivers/epd-uc8179/png-backend.js';
import { SpidevBus, SpidevError } from '../../../src/drivers/epd-uc8179/spidev-backend.js';
import { Uc8179, type Bitmap } from '../../../src/drivers/epd-uc8179/uc8179.js';

const instant = { sleep: async () => {}, now: () => 0 };
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});
function tmp(): string {
  const d = mkdtempSync(join(tmpdir(), 'epd-'));
  dirs.push(d);
  return d;
}

function frameWith(fill: (x: number, y: number) => boolean, width = 800, height = 480): Bitmap {
  const data = new Uint8Array((width / 8) * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) if (fill(x, y)) data[y * (width / 8) + (x >> 3)]! |= 0x80 >> (x & 7);
  return { width, height, data };
}

describe('PNG panel backend (simulator twin)', () => {
  it('shows a full refresh, then applies a partial window, writing latest.png and the refresh log', async () => {
    const dir = tmp();
    let t = 1000;
    const panel = new PngPanelBackend({ width: 800, height: 480, dir, now: () => t });
    const epd = new Uc8179({ width: 800, height: 480, spi: panel, gpio: panel, timing: instant });
    const first = frameWith((x, y) => x < 400 && y < 240);
    await epd.refresh(first, 'full');
    expect(Buffer.from(panel.image).equals(Buffer.from(first.data))).toBe(true);
    expect(panel.asleep).toBe(true);

    t = 200_000;
    const second = frameWith((x, y) => (x < 400 && y < 240) || (x >= 600 && x < 700 && y >= 400 && y < 420));
    await epd.refresh(second, 'partial', { x: 600, y: 400, w: 100, h: 20 });
    expect(Buffer.from(panel.image).equals(Buffer.from(second.data))).toBe(true);

    const png = decodePng(readFileSync(join(dir, 'latest.png')));
    expect(Buffer.from(png.data).equals(Buffer.from(second.data))).toBe(true);
    const log = readFileSync(join(dir, 'refresh-log.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as unknown);
    expect(log).toEqual([
      { at: 1000, mode: 'full', window: { x: 0, y: 0, w: 800, h: 480 } },
      { at: 200_000, mode: 'partial', window: { x: 600, y: 400, w: 104, h: 20 } },
    ]);
  });

  it('logs a fast refresh as fast', async () => {
    const panel = new PngPanelBackend({ width: 800, height: 480 });
    const epd = new Uc8179({ width: 800, height: 480, spi: panel, gpio: panel, timing: instant });
    await epd.refresh(frameWith(() => false), 'fast');
    expect(panel.log.map((e) => e.mode)).toEqual(['fast']);
  });
});

describe('spidev backend', () => {
  it('writes each transfer to the character device and refuses more than 4096 bytes', async () => {
    // A regular file stands in for /dev/spidev0.0: the data path is the same write(2).
    const dev = join(tmp(), 'spidev0.0');
    writeFileSync(dev, '');
    const bus = new SpidevBus(dev);
    await bus.write(Uint8Array.of(0x12));
    await bus.write(new Uint8Array(4096).fill(0xaa));
    await expect(bus.write(new Uint8Array(4097))).rejects.toBeInstanceOf(SpidevError);
    await bus.close();
    const written = readFileSync(dev);
    expect(written.length).toBe(4097);
    expect(written[0]).toBe(0x12);
  });

  it('reports a device that cannot be opened with a hint', async () => {
    const bus = new SpidevBus(join(tmp(), 'missing', 'spidev9.9'));
    await expect(bus.write(Uint8Array.of(1))).rejects.toThrow(/cannot open .*spidev9\.9.*dtparam=spi=on/);
  });

  it('treats a short write as an error', async () => {
    const bus = new SpidevBus('/dev/fake', { openSync: () => 3, writeSync: () => 1, closeSync: () => {} });
    await expect(bus.write(Uint8Array.of(1, 2))).rejects.toThrow(/short write/);
  });
});

describe('libgpiod backend (command-line tools)', () => {
  function runner(outputs: Record<string, string>) {
    const calls: string[] = [];
    const run = async (cmd: string, args: string[]) => {
      const line = [cmd, ...args].join(' ');
      calls.push(line);
      if (cmd === 'gpiofind') {
        const out = outputs[args[0] ?? ''];
        if (out === undefined) throw new Error('gpiofind: line not found');
        return out;
      }
      return outputs[line] ?? '';
    };
    return { calls, run };
  }

  it('finds lines by name once, then sets DC/RST and reads BUSY on that chip', async () => {
    const r = runner({ GPIO25: 'gpiochip4 25\n', GPIO17: 'gpiochip4 17\n', GPIO24: 'gpiochip4 24\n', 'gpioget gpiochip4 24': '0\n' });
    const gpio = new LibgpiodCliGpio({ dc: 'GPIO25', reset: 'GPIO17', busy: 'GPIO24' }, r.run);
    await gpio.setDc(1);
    await gpio.setDc(0);
    await gpio.setReset(0);
    expect(await gpio.readBusy()).toBe(0);
    expect(r.calls).toEqual([
      'gpiofind GPIO25',
      'gpioset gpiochip4 25=1',
      'gpioset gpiochip4 25=0',
      'gpiofind GPIO17',
      'gpioset gpiochip4 17=0',
      'gpiofind GPIO24',
      'gpioget gpiochip4 24',
    ]);
  });

  it('fails clearly when a line name does not exist', async () => {
    const r = runner({});
    const gpio = new LibgpiodCliGpio(undefined, r.run);
    await expect(gpio.setDc(1)).rejects.toBeInstanceOf(GpioLineError);
    await expect(gpio.setDc(1)).rejects.toThrow(/GPIO25/);
  });
});
