import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { blankFrame, cropFrame, diffRect, pixel, thresholdRgba } from '../../src/board/frame.js';
import { decodePng, encodePng } from '../../src/board/png.js';
import { SAMPLE_CONTENT_SETS } from '../../src/board/sample-content.js';
import { main } from '../../src/cli/main.js';

describe('1-bit frames and PNG', () => {
  it('thresholds RGBA (transparent = paper) and packs MSB-first, bit 1 = black', () => {
    const w = 16;
    const rgba = new Uint8Array(w * 2 * 4);
    const set = (x: number, y: number, v: number, a = 255) => rgba.set([v, v, v, a], (y * w + x) * 4);
    for (let x = 0; x < w; x++) {
      set(x, 0, 255);
      set(x, 1, 0, 0); // fully transparent black → white
    }
    set(0, 0, 0);
    set(9, 0, 100);
    set(10, 0, 200);
    const f = thresholdRgba(rgba, w, 2);
    expect([...f.data]).toEqual([0x80, 0x40, 0x00, 0x00]);
    expect(pixel(f, 9, 0)).toBe(1);
    expect(pixel(f, 10, 0)).toBe(0);
  });

  it('diffRect finds the byte-aligned box of changes; cropFrame copies it', () => {
    const a = blankFrame(64, 10);
    const b = blankFrame(64, 10);
    expect(diffRect(a, b)).toBeNull();
    b.data[3 * 8 + 2] = 0x01; // x 23, y 3
    b.data[6 * 8 + 4] = 0x80; // x 32, y 6
    const r = diffRect(a, b);
    expect(r).toEqual({ x: 16, y: 3, w: 24, h: 4 });
    const c = cropFrame(b, r!);
    expect(c.width).toBe(24);
    expect(pixel(c, 7, 0)).toBe(1);
    expect(pixel(c, 16, 3)).toBe(1);
  });

  it('PNG round trip keeps every pixel', () => {
    const f = blankFrame(800, 480);
    for (let i = 0; i < f.data.length; i++) f.data[i] = (i * 31) & 0xff;
    const back = decodePng(encodePng(f));
    expect(back.width).toBe(800);
    expect(Buffer.from(back.data).equals(Buffer.from(f.data))).toBe(true);
  });
});

describe('noodsteun board render', { timeout: 90_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'board-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('renders the sample content to a PNG and writes the SPI trace of a full refresh', async () => {
    const out = join(dir, 'board.png');
    const trace = join(dir, 'trace.jsonl');
    expect(await main(['board', 'render', '--out', out, '--trace', trace])).toBe(0);
    const png = decodePng(readFileSync(out));
    expect([png.width, png.height]).toEqual([800, 480]);
    const lines = readFileSync(trace, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { dc: number; bytes: string });
    for (const l of lines) {
      expect(l.dc === 0 || l.dc === 1).toBe(true);
      expect(l.bytes).toMatch(/^([0-9a-f]{2})+$/);
      if (l.dc === 0) expect(l.bytes).toHaveLength(2);
      expect(l.bytes.length / 2).toBeLessThanOrEqual(4096);
    }
    // After command 0x13 come the 48,000 bytes of the new-data plane: the PNG's pixels.
    const i13 = lines.findIndex((l) => l.dc === 0 && l.bytes === '13');
    let plane = '';
    for (let i = i13 + 1; lines[i]?.dc === 1; i++) plane += lines[i]!.bytes;
    expect(plane.length / 2).toBe(48_000);
    expect(Buffer.from(plane, 'hex').equals(Buffer.from(png.data))).toBe(true);
    expect(lines.at(-1)).toEqual({ dc: 1, bytes: 'a5' }); // ends in deep sleep
  });

  it('renders given content on the larger panel, and fails clearly on bad input', async () => {
    const content = join(dir, 'content.json');
    writeFileSync(content, JSON.stringify(SAMPLE_CONTENT_SETS['water-arabic']));
    const out = join(dir, 'large.png');
    expect(await main(['board', 'render', '--out', out, '--panel', 'waveshare-13in3-k', '--content', content, '--page', '3'])).toBe(0);
    expect(decodePng(readFileSync(out)).width).toBe(960);
    expect(await main(['board', 'render', '--out', out, '--panel', 'nope'])).toBe(2);
    writeFileSync(content, JSON.stringify({ point: { name: 'x' } }));
    expect(await main(['board', 'render', '--out', out, '--content', content])).toBe(1);
    expect(await main(['board', 'render'])).toBe(2);
  });
});
