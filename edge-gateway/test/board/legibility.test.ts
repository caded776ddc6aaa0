import { h } from 'preact';
import { describe, expect, it } from 'vitest';
import { layoutBoard, sizesFor } from '../../src/board/layout.js';
import { assertLegible, collectTextRuns, LegibilityError } from '../../src/board/legibility.js';
import { PANELS } from '../../src/board/panels.js';
import { pageTree, renderPage } from '../../src/board/render.js';
import { SAMPLE_CONTENT_SETS, sampleContent, type SampleName } from '../../src/board/sample-content.js';

describe('legibility minimum', () => {
  it('no text on any page of any content set, panel or language is below the minimum', () => {
    let runs = 0;
    for (const panel of Object.values(PANELS)) {
      for (const set of Object.keys(SAMPLE_CONTENT_SETS) as SampleName[]) {
        const content = sampleContent(set);
        const sizes = sizesFor(panel);
        for (const page of layoutBoard(content, panel, sizes)) {
          const tree = pageTree(page, content, panel, sizes, { stale: true });
          const found = collectTextRuns(tree);
          runs += found.length;
          for (const r of found) expect(r.fontPx, `"${r.text}" on ${panel.id}`).toBeGreaterThanOrEqual(sizes.minPx);
        }
      }
    }
    expect(runs).toBeGreaterThan(100);
  });

  it('finds text inside function components and inherits font sizes', () => {
    const Small = ({ label }: { label: string }) => h('div', { style: { display: 'flex', fontSize: 12 } }, label);
    const tree = h('div', { style: { fontSize: 40 } }, h('div', null, 'big'), h(Small, { label: 'tiny' }));
    expect(collectTextRuns(tree)).toEqual([
      { text: 'big', fontPx: 40 },
      { text: 'tiny', fontPx: 12 },
    ]);
    expect(() => assertLegible(tree, 22)).toThrow(LegibilityError);
    expect(() => assertLegible(tree, 22)).toThrow(/"tiny" at 12px/);
    // Text with no font size at all gets satori's default 16 px: also too small here.
    expect(() => assertLegible(h('div', null, 'unsized'), 22)).toThrow(/"unsized" at 16px/);
  });

  it('the render pipeline refuses a page whose text would fall below the minimum', async () => {
    const panel = PANELS['waveshare-7in5-v2']!;
    const content = sampleContent();
    const sizes = sizesFor(panel);
    const [page] = layoutBoard(content, panel, sizes);
    if (!page) throw new Error('no page');
    // A layout that shrinks body text by one pixel must not reach the panel.
    const shrunk = { ...sizes, body: sizes.minPx - 1 };
    await expect(renderPage(page, content, panel, shrunk, { stale: false })).rejects.toBeInstanceOf(LegibilityError);
  });
});
