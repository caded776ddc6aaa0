import { describe, expect, it } from 'vitest';
import { BoardContentError, isStale, parseBoardContent } from '../../src/board/content.js';
import { fitLine, missingGlyphs, primaryCapHeightRatio, textWidthEm } from '../../src/board/fonts.js';
import { LABELS } from '../../src/board/labels.js';
import { bodyHeight, blockGap, buildBlocks, entryHeight, layoutBoard, paginate, sizesFor, titleHeight } from '../../src/board/layout.js';
import { minFontPx, panelProfile, PANELS } from '../../src/board/panels.js';
import { SAMPLE_CONTENT_SETS, sampleContent, type SampleName } from '../../src/board/sample-content.js';

describe('board content model', () => {
  it('accepts every built-in sample set', () => {
    for (const name of Object.keys(SAMPLE_CONTENT_SETS) as SampleName[]) expect(sampleContent(name).languages[0]).toBe('nl');
  });

  it('reports every problem with its path: Dutch not first, missing text, wrong number of places', () => {
    const bad = structuredClone(SAMPLE_CONTENT_SETS['power-outage']) as Record<string, unknown>;
    bad.languages = ['en', 'ar'];
    const err = (() => {
      try {
        parseBoardContent(bad);
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(BoardContentError);
    const msg = (err as Error).message;
    expect(msg).toMatch(/languages\.0: Dutch \(nl\) must come first/);
    expect(msg).toMatch(/text\.ar: no text for listed language ar/);

    const fewPlaces = structuredClone(SAMPLE_CONTENT_SETS['power-outage']) as { text: { nl: { places: string[] } } };
    fewPlaces.text.nl.places.pop();
    expect(() => parseBoardContent(fewPlaces)).toThrow(/text\.nl\.places: expected 3 places/);
  });

  it('marks content older than the configured age as stale', () => {
    const c = sampleContent();
    const t = Date.parse(c.updatedAt);
    expect(isStale(c, t + 3600_000, 2 * 3600_000)).toBe(false);
    expect(isStale(c, t + 3 * 3600_000, 2 * 3600_000)).toBe(true);
  });
});

describe('legibility minimum from pixel pitch and reading distance', () => {
  it('reproduces DESIGN §4: ~55 px type at 3 m on the 7.5″ panel (0.205 mm/px)', () => {
    const px = minFontPx(panelProfile('waveshare-7in5-v2'), primaryCapHeightRatio(), 3);
    expect(px).toBeGreaterThanOrEqual(50);
    expect(px).toBeLessThanOrEqual(60);
  });

  it('grows with distance and shrinks with a coarser pitch', () => {
    const small = panelProfile('waveshare-7in5-v2');
    const large = panelProfile('waveshare-13in3-k');
    const r = primaryCapHeightRatio();
    expect(minFontPx(small, r, 2)).toBeGreaterThan(minFontPx(small, r, 1));
    expect(minFontPx(large, r, 2)).toBeLessThan(minFontPx(small, r, 2));
  });
});

describe('pagination', () => {
  for (const panel of Object.values(PANELS)) {
    for (const name of Object.keys(SAMPLE_CONTENT_SETS) as SampleName[]) {
      it(`${name} on ${panel.id}: every page fits and every entry appears once, in order`, () => {
        const content = sampleContent(name);
        const sizes = sizesFor(panel);
        for (const lang of content.languages) {
          const blocks = buildBlocks(content, lang, panel, sizes);
          const pages = paginate(blocks, lang, panel, sizes);
          for (const page of pages) {
            const used = page.blocks.reduce(
              (sum, b, i) => sum + (i > 0 ? blockGap(sizes) : 0) + titleHeight(sizes) + b.entries.reduce((s, e) => s + entryHeight(e, sizes), 0),
              0,
            );
            expect(used).toBeLessThanOrEqual(bodyHeight(panel, sizes));
            expect(page.count).toBe(pages.length);
          }
          const flat = (bs: typeof blocks) => bs.flatMap((b) => b.entries.map((e) => `${b.title}|${e.lines.map((l) => l.text).join(' ')}`));
          expect(flat(pages.flatMap((p) => p.blocks))).toEqual(flat(blocks));
        }
      });
    }
  }

  it('the larger panel needs no more pages than the 7.5″ one, and long content spills onto more pages', () => {
    const content = sampleContent('power-outage');
    const small = panelProfile('waveshare-7in5-v2');
    const large = panelProfile('waveshare-13in3-k');
    const nSmall = layoutBoard(content, small, sizesFor(small)).length;
    expect(layoutBoard(content, large, sizesFor(large)).length).toBeLessThanOrEqual(nSmall);
    const longer = parseBoardContent({
      ...SAMPLE_CONTENT_SETS['power-outage'],
      text: {
        ...SAMPLE_CONTENT_SETS['power-outage'].text,
        nl: { ...SAMPLE_CONTENT_SETS['power-outage'].text.nl, actions: Array.from({ length: 12 }, (_, i) => `Actie nummer ${i + 1}: houd de deur dicht, zet de verwarming laag en bel alleen als het echt nodig is.`) },
      },
    });
    expect(layoutBoard(longer, small, sizesFor(small)).length).toBeGreaterThan(nSmall);
  });

  it('wraps text to the column: no line wider than the panel at the body size', () => {
    const panel = panelProfile('waveshare-7in5-v2');
    const sizes = sizesFor(panel);
    const blocks = buildBlocks(sampleContent(), 'nl', panel, sizes);
    const lines = blocks.flatMap((b) => b.entries.flatMap((e) => e.lines));
    expect(lines.length).toBeGreaterThan(10);
    // Rough upper bound: 0.7 em per character would already overflow a longer line.
    for (const l of lines) expect(l.text.length * sizes.body * 0.4).toBeLessThan(panel.width);
  });
});

describe('one-line texts', () => {
  it('fitLine keeps short text and cuts long text with an ellipsis to the width', () => {
    expect(fitLine('Dorpshuis', 22, 700, 400)).toBe('Dorpshuis');
    const long = 'Noodsteunpunt Multifunctioneel Centrum De Gouden Leeuw aan de Oude Haven';
    const cut = fitLine(long, 29, 700, 500);
    expect(cut.endsWith('…')).toBe(true);
    expect(cut.length).toBeLessThan(long.length);
    expect(textWidthEm(cut, 700) * 29).toBeLessThanOrEqual(500);
  });
});

describe('font coverage', () => {
  it('every label of every language and every sample text can be drawn by a board font', () => {
    const texts: string[] = [];
    const walk = (v: unknown): void => {
      if (typeof v === 'string') texts.push(v);
      else if (typeof v === 'function') texts.push(String((v as (...a: number[]) => string)(3, 8)), String((v as (a: string, b: string) => string)('14:05', '27-11')));
      else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(LABELS);
    walk(SAMPLE_CONTENT_SETS);
    const all = texts.join(' ') + ' ·–…/';
    expect(all).toContain('DİKKAT');
    expect(missingGlyphs(all, 400)).toEqual([]);
    expect(missingGlyphs(all, 700)).toEqual([]);
  });
});
