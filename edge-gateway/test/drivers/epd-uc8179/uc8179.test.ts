import { describe, expect, it } from 'vitest';
import { MAX_TRANSFER, type EpdTiming } from '../../../src/drivers/epd-uc8179/bus.js';
import { RecordingBackend } from '../../../src/drivers/epd-uc8179/recording-backend.js';
import { EpdBusyTimeoutError, EpdUsageError, Uc8179, type Bitmap } from '../../../src/drivers/epd-uc8179/uc8179.js';

/** Virtual time: sleeps advance a counter instead of waiting. */
function virtualTiming(): EpdTiming & { t: number } {
  const v = {
    t: 0,
    now: () => v.t,
    sleep: async (ms: number) => {
      v.t += ms;
    },
  };
  return v;
}

function setup(opts: ConstructorParameters<typeof RecordingBackend>[0] = {}) {
  const rec = new RecordingBackend(opts);
  const timing = virtualTiming();
  const epd = new Uc8179({ width: 800, height: 480, spi: rec, gpio: rec, timing, busyTimeoutMs: 5000 });
  return { rec, epd, timing };
}

function patternFrame(): Bitmap {
  const data = new Uint8Array(100 * 480);
  for (let i = 0; i < data.length; i++) data[i] = (i * 7) & 0xff;
  return { width: 800, height: 480, data };
}

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('UC8179 driver byte stream', () => {
  it('full init: reset pulse, power setting, booster, power on, panel setting, 800×480 resolution', async () => {
    const { rec, epd } = setup();
    await epd.init('full');
    expect(rec.resets).toEqual([1, 0, 1]);
    expect(rec.commands()).toEqual([0x01, 0x06, 0x04, 0x00, 0x61, 0x15, 0x50, 0x60]);
    expect(hex(rec.dataAfter(0x01))).toBe('07073f3f');
    expect(hex(rec.dataAfter(0x06))).toBe('17172817');
    expect(hex(rec.dataAfter(0x00))).toBe('1f');
    expect(hex(rec.dataAfter(0x61))).toBe('032001e0'); // 0x0320 = 800, 0x01e0 = 480
    expect(hex(rec.dataAfter(0x50))).toBe('1007');
    expect(hex(rec.dataAfter(0x60))).toBe('22');
  });

  it('fast and partial init select their waveforms through 0xE5', async () => {
    const fast = setup();
    await fast.epd.init('fast');
    expect(hex(fast.rec.dataAfter(0xe5))).toBe('5a');
    expect(hex(fast.rec.dataAfter(0x06))).toBe('27271817');
    const part = setup();
    await part.epd.init('partial');
    expect(part.rec.commands()).toEqual([0x00, 0x04, 0xe0, 0xe5]);
    expect(hex(part.rec.dataAfter(0xe5))).toBe('6e');
  });

  it('full frame: 48,000 bytes per plane in transfers of at most 4096 bytes, then refresh', async () => {
    const { rec, epd } = setup();
    const frame = patternFrame();
    await epd.displayFull(frame);
    expect(rec.commands()).toEqual([0x10, 0x13, 0x12]);
    const oldPlane = rec.dataAfter(0x10);
    const newPlane = rec.dataAfter(0x13);
    expect(oldPlane.length).toBe(48_000);
    expect(newPlane.length).toBe(48_000);
    // New-data plane: 1 = black, as the frame; old-data plane inverted.
    expect(Buffer.from(newPlane).equals(Buffer.from(frame.data))).toBe(true);
    expect(oldPlane[1]).toBe(~(frame.data[1] ?? 0) & 0xff);
    const dataTransfers = rec.transfers.filter((t) => t.dc === 1);
    expect(Math.max(...dataTransfers.map((t) => t.bytes.length))).toBe(MAX_TRANSFER);
    expect(dataTransfers.length).toBe(2 * Math.ceil(48_000 / MAX_TRANSFER));
  });

  it('partial window: byte-aligned window command and only the window data', async () => {
    const { rec, epd } = setup();
    const frame = patternFrame();
    const win = await epd.displayPartial(frame, { x: 13, y: 400, w: 100, h: 30 });
    expect(win).toEqual({ x: 8, y: 400, w: 112, h: 30 }); // 13..113 rounded out to 8..120
    expect(rec.commands()).toEqual([0x50, 0x91, 0x90, 0x13, 0x12]);
    expect(hex(rec.dataAfter(0x50))).toBe('a907');
    // x 8..119, y 400..429, then 0x01 (scan inside the window only)
    expect(hex(rec.dataAfter(0x90))).toBe('0008' + '0077' + '0190' + '01ad' + '01');
    const data = rec.dataAfter(0x13);
    expect(data.length).toBe((112 / 8) * 30);
    // Partial data is 1 = white: the frame's byte at row 400, column byte 1, inverted.
    expect(data[0]).toBe(~(frame.data[400 * 100 + 1] ?? 0) & 0xff);
  });

  it('sleep: border floating, power off, wait, deep sleep with check code 0xA5', async () => {
    const { rec, epd } = setup();
    await epd.sleep();
    expect(rec.commands()).toEqual([0x50, 0x02, 0x07]);
    expect(hex(rec.dataAfter(0x50))).toBe('f7');
    expect(hex(rec.dataAfter(0x07))).toBe('a5');
  });

  it('waits while BUSY is low and carries on when it rises', async () => {
    const { rec, epd, timing } = setup({ busyReads: 30 });
    await epd.displayFull(patternFrame());
    expect(rec.commands()).toEqual([0x10, 0x13, 0x12]);
    expect(timing.t).toBeGreaterThanOrEqual(100 + 30 * 10);
  });

  it('BUSY stuck low: typed error naming the phase after the timeout, panel still sent to sleep', async () => {
    const { rec, epd, timing } = setup({ stuckBusy: true });
    const err = await epd.refresh(patternFrame(), 'full').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(EpdBusyTimeoutError);
    expect((err as EpdBusyTimeoutError).during).toBe('init(full)');
    expect((err as Error).message).toMatch(/BUSY for more than 5000 ms/);
    expect(timing.t).toBeGreaterThanOrEqual(5000);
    // The driver still tried to power the panel down.
    expect(rec.commands()).toContain(0x02);
  });

  it('one refresh = init, data, refresh, sleep: the panel never stays awake', async () => {
    const { rec, epd } = setup();
    await epd.refresh(patternFrame(), 'partial', { x: 0, y: 0, w: 64, h: 8 });
    const cmds = rec.commands();
    expect(cmds.slice(0, 4)).toEqual([0x00, 0x04, 0xe0, 0xe5]);
    expect(cmds.slice(-3)).toEqual([0x50, 0x02, 0x07]);
  });

  it('rejects frames of the wrong size', async () => {
    const { epd } = setup();
    await expect(epd.displayFull({ width: 640, height: 384, data: new Uint8Array(80 * 384) })).rejects.toBeInstanceOf(EpdUsageError);
  });
});
