// The citizen-help line on the e-ink board: counts and categories in every board language, no personal data,
// kept when new text arrives, and drawn by the real renderer (Arabic included).
import { describe, expect, it } from 'vitest';
import { BoardService } from '../../src/board/board-service.js';
import { LANGUAGES, parseBoardContent, type HelpBoard } from '../../src/board/content.js';
import { blankFrame } from '../../src/board/frame.js';
import { HELP_LABELS } from '../../src/board/help-labels.js';
import { layoutBoard, sizesFor, type Page } from '../../src/board/layout.js';
import { panelProfile } from '../../src/board/panels.js';
import { renderPage } from '../../src/board/render.js';
import { sampleContent } from '../../src/board/sample-content.js';
import { ManualClock } from '../../src/core/clock.js';
import { RecordingBackend } from '../../src/drivers/epd-uc8179/recording-backend.js';
import { Uc8179 } from '../../src/drivers/epd-uc8179/uc8179.js';
import { boardLine, summarize } from '../../src/help/aggregate.js';

const panel = panelProfile('waveshare-7in5-v2');
const sizes = sizesFor(panel);
const help: HelpBoard = { requestsOpen: 3, offersOpen: 2, matched: 1, done: 4, mostNeeded: ['water', 'care'] };

const helpText = (pages: Page[], title: string) =>
  pages.flatMap((p) => p.blocks.filter((b) => b.title === title).flatMap((b) => b.entries.flatMap((e) => e.lines.map((l) => l.text)))).join(' ');

describe('the board’s citizen-help line', () => {
  it('shows the counts and most needed categories in each language of the content', () => {
    const content = { ...sampleContent('power-outage'), help };
    const pages = layoutBoard(content, panel, sizes);
    const nl = helpText(pages.filter((p) => p.lang === 'nl'), 'Burenhulp');
    expect(nl).toContain('Hulp gevraagd: 3');
    expect(nl).toContain('Hulp aangeboden: 2');
    expect(nl).toContain('Gekoppeld: 1');
    expect(nl).toContain('Nu het meest nodig: water, zorg');
    expect(helpText(pages.filter((p) => p.lang === 'en'), 'Neighbour help')).toContain('Most needed now: water, care');
    // Without help content, or with all zeros, there is no help block.
    expect(helpText(layoutBoard(sampleContent('power-outage'), panel, sizes), 'Burenhulp')).toBe('');
    const zeros = { ...help, requestsOpen: 0, offersOpen: 0, matched: 0, done: 0, mostNeeded: [] };
    expect(helpText(layoutBoard({ ...sampleContent('power-outage'), help: zeros }, panel, sizes), 'Burenhulp')).toBe('');
  });

  it('has labels for every board language', () => {
    for (const lang of LANGUAGES) {
      const L = HELP_LABELS[lang];
      expect(L.counts(7, 8)).toMatch(/7.*8/);
      expect(L.matched(5, 6)).toMatch(/5.*6/);
      expect(Object.keys(L.categories).sort()).toEqual(['care', 'food', 'medicine', 'other', 'power', 'shelter', 'transport', 'water']);
    }
  });

  it('is fed from the help aggregate and survives new board text', () => {
    const line = boardLine(
      summarize(
        [
          { kind: 'request', category: 'water', status: 'open', n: 2 },
          { kind: 'request', category: 'food', status: 'matched', n: 1 },
          { kind: 'offer', category: 'food', status: 'matched', n: 1 },
          { kind: 'offer', category: 'care', status: 'open', n: 1 },
          { kind: 'request', category: 'care', status: 'done', n: 3 },
        ],
        [
          { category: 'water', urgency: 'normal', people: 3 },
          { category: 'water', urgency: 'low', people: null },
        ],
        0,
      ),
    );
    expect(line).toEqual({ requestsOpen: 2, offersOpen: 1, matched: 1, done: 3, mostNeeded: ['water'] });

    const clock = new ManualClock();
    const rec = new RecordingBackend();
    const svc = new BoardService({ clock, panel, display: new Uc8179({ width: 800, height: 480, spi: rec, gpio: rec, timing: { sleep: async () => {}, now: () => 0 } }), content: sampleContent(), renderer: async () => blankFrame(800, 480) });
    const before = svc.status().views;
    svc.setHelp(line);
    expect(svc.currentContent().help).toEqual(line);
    expect(svc.status().views).toBeGreaterThanOrEqual(before);
    // Staff or the coordinator replace the text: the live counts stay.
    svc.setContent({ ...sampleContent('power-outage'), help: undefined });
    expect(svc.currentContent().help).toEqual(line);
    // Content with help validates; a help block with a category the needs report does not know does not.
    expect(() => parseBoardContent({ ...sampleContent(), help: { ...line, mostNeeded: ['chainsaws'] } })).toThrow(/help.mostNeeded/);
  });

  it('renders with the real renderer in Dutch and Arabic', { timeout: 60_000 }, async () => {
    const base = sampleContent('power-outage');
    const content = parseBoardContent({
      ...base,
      languages: ['nl', 'ar'],
      text: { nl: base.text.nl, ar: { situation: 'لا توجد كهرباء.', actions: ['ابق في المنزل.'], outlook: 'غدا.', places: ['أ', 'ب', 'ج'] } },
      help,
    });
    const changed = { ...content, help: { ...help, requestsOpen: 9 } };
    const pages = layoutBoard(content, panel, sizes);
    const pages2 = layoutBoard(changed, panel, sizes);
    for (const lang of ['nl', 'ar'] as const) {
      const i = pages.findIndex((p) => p.lang === lang && p.blocks.some((b) => b.title === HELP_LABELS[lang].title));
      expect(i, `a ${lang} page with the help block`).toBeGreaterThanOrEqual(0);
      const frame = await renderPage(pages[i]!, content, panel, sizes, { stale: false });
      expect(frame.data.length).toBe(48_000);
      // The count is drawn: another number gives another frame.
      const other = await renderPage(pages2[i]!, changed, panel, sizes, { stale: false });
      expect(Buffer.from(other.data).equals(Buffer.from(frame.data))).toBe(false);
    }
  });
});
