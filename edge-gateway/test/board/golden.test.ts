// Golden images: the first page of every language of several content sets on every panel profile,
// Arabic (right-to-left) included. Regenerate after an intended layout change with
//   UPDATE_GOLDEN=1 npx vitest run edge-gateway/test/board/golden.test.ts
// and look at the PNGs before committing them.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { BoardContent } from '../../src/board/content.js';
import { pixel, type Frame } from '../../src/board/frame.js';
import { PANELS } from '../../src/board/panels.js';
import { decodePng, encodePng } from '../../src/board/png.js';
import { renderBoard } from '../../src/board/render.js';
import { SAMPLE_CONTENT_SETS, sampleContent, type SampleName } from '../../src/board/sample-content.js';

const GOLDEN_DIR = join(dirname(fileURLToPath(import.meta.url)), 'golden');
const UPDATE = process.env.UPDATE_GOLDEN === '1';
/** Share of pixels allowed to differ: absorbs float rounding in the rasteriser across machines. */
const TOLERANCE = 0.001;

function differingPixels(a: Frame, b: Frame): number {
  let n = 0;
  for (let y = 0; y < a.height; y++) for (let x = 0; x < a.width; x++) if (pixel(a, x, y) !== pixel(b, x, y)) n++;
  return n;
}

function inkShare(f: Frame): number {
  let black = 0;
  for (const byte of f.data) for (let b = byte; b; b &= b - 1) black++;
  return black / (f.width * f.height);
}

function checkGolden(name: string, frame: Frame): void {
  const file = join(GOLDEN_DIR, `${name}.png`);
  if (UPDATE) {
    mkdirSync(GOLDEN_DIR, { recursive: true });
    writeFileSync(file, encodePng(frame));
    return;
  }
  expect(existsSync(file), `golden image ${file} missing; run with UPDATE_GOLDEN=1`).toBe(true);
  const golden = decodePng(readFileSync(file));
  expect([golden.width, golden.height]).toEqual([frame.width, frame.height]);
  const diff = differingPixels(golden, frame);
  expect(diff, `${name}: ${diff} pixels differ from the golden image`).toBeLessThanOrEqual(frame.width * frame.height * TOLERANCE);
}

const renderAt = (content: BoardContent, hoursAfterUpdate: number) => Date.parse(content.updatedAt) + hoursAfterUpdate * 3600_000;

describe('board golden images', { timeout: 90_000 }, () => {
  for (const panel of Object.values(PANELS)) {
    for (const set of Object.keys(SAMPLE_CONTENT_SETS) as SampleName[]) {
      it(`${set} on ${panel.id}, first page of each language`, async () => {
        const content = sampleContent(set);
        const pages = await renderBoard(content, panel, { now: renderAt(content, 1) });
        for (const lang of content.languages) {
          const first = pages.find((p) => p.page.lang === lang && p.page.index === 0);
          expect(first, `no page for ${lang}`).toBeDefined();
          if (!first) continue;
          expect(first.frame.width).toBe(panel.width);
          // A blank or all-black frame would be a broken pipeline, whatever the golden says.
          expect(inkShare(first.frame)).toBeGreaterThan(0.05);
          expect(inkShare(first.frame)).toBeLessThan(0.5);
          checkGolden(`${set}--${panel.id}--${lang}`, first.frame);
        }
      });
    }
  }

  it('marks stale content on the board (and the frame differs from the fresh one)', async () => {
    const panel = PANELS['waveshare-7in5-v2']!;
    const content = sampleContent('power-outage');
    const [fresh] = await renderBoard(content, panel, { now: renderAt(content, 1), staleAfterMs: 6 * 3600_000 });
    const [stale] = await renderBoard(content, panel, { now: renderAt(content, 12), staleAfterMs: 6 * 3600_000 });
    if (!fresh || !stale) throw new Error('no pages rendered');
    expect(differingPixels(fresh.frame, stale.frame)).toBeGreaterThan(500);
    checkGolden('power-outage--waveshare-7in5-v2--nl--stale', stale.frame);
  });
});
