// From content to pages: sizes follow from the panel (legibility minimum), text is wrapped with the
// real font metrics, and whatever does not fit on one page flows onto the next.
import { RTL_LANGUAGES, type BoardContent, type Lang } from './content.js';
import { primaryCapHeightRatio, wrapLines } from './fonts.js';
import { NEED_ICON, SERVICE_ICON, type IconName } from './icons.js';
import { LABELS } from './labels.js';
import { HELP_LABELS } from './help-labels.js';
import { minFontPx, type PanelProfile } from './panels.js';

export interface Sizes {
  /** Legibility minimum: no text is drawn smaller. */
  minPx: number;
  body: number;
  heading: number;
  header: number;
  lineHeight: number;
  pad: number;
  icon: number;
  headerH: number;
  footerH: number;
}

export function sizesFor(panel: PanelProfile, readingDistanceM = panel.readingDistanceM): Sizes {
  const minPx = minFontPx(panel, primaryCapHeightRatio(), readingDistanceM);
  const body = minPx;
  const heading = Math.round(minPx * 1.2);
  const header = Math.round(minPx * 1.3);
  const lineHeight = 1.2;
  const pad = Math.max(4, Math.round(minPx * 0.45));
  return {
    minPx,
    body,
    heading,
    header,
    lineHeight,
    pad,
    icon: Math.round(body * lineHeight),
    headerH: Math.round(header * lineHeight) + pad,
    // Two lines: charging status, then update time and authority.
    footerH: Math.round(2 * body * lineHeight) + pad * 2,
  };
}

export interface EntryLine {
  text: string;
  bold: boolean;
}
export interface Entry {
  icon?: IconName;
  lines: EntryLine[];
}
export interface Block {
  title: string;
  icon: IconName;
  entries: Entry[];
}
export interface Page {
  lang: Lang;
  rtl: boolean;
  index: number;
  count: number;
  blocks: Block[];
}

export class LayoutError extends Error {
  override name = 'LayoutError';
}

function hhmmRanges(content: BoardContent, lang: Lang): string[] {
  const wd = LABELS[lang].weekdays;
  return content.openingHours.map((h) => {
    const sorted = [...h.days].sort((a, b) => a - b);
    const first = sorted[0] ?? 1;
    const last = sorted[sorted.length - 1] ?? first;
    const contiguous = last - first + 1 === sorted.length;
    const days = contiguous && sorted.length > 2 ? `${wd[first - 1]}–${wd[last - 1]}` : sorted.map((d) => wd[d - 1]).join(', ');
    return `${days} ${h.from}–${h.to}`;
  });
}

/** The blocks of one language, with each entry's text wrapped to the column width. */
export function buildBlocks(content: BoardContent, lang: Lang, panel: PanelProfile, sizes: Sizes): Block[] {
  const t = content.text[lang];
  if (!t) throw new LayoutError(`no text for language ${lang}`);
  const L = LABELS[lang];
  const innerW = panel.width - 2 * sizes.pad;
  // Entries with an icon lose the icon column; 3 % slack covers kerning the width table ignores.
  const entryW = Math.floor((innerW - sizes.icon - sizes.pad) * 0.97);
  const wrap = (s: string, bold = false): EntryLine[] =>
    wrapLines(s, sizes.body, bold ? 700 : 400, entryW).map((text) => ({ text, bold }));
  const sentences = (s: string) => s.match(/[^.!?؟]+[.!?؟]*\s*/g)?.map((x) => x.trim()).filter(Boolean) ?? [s];

  const blocks: Block[] = [
    { title: L.situation, icon: 'info', entries: sentences(t.situation).map((s) => ({ lines: wrap(s) })) },
    { title: L.actions, icon: 'actions', entries: t.actions.map((a) => ({ icon: 'check' as const, lines: wrap(a) })) },
    { title: L.outlook, icon: 'clock', entries: sentences(t.outlook).map((s) => ({ lines: wrap(s) })) },
  ];
  if (content.referrals.length > 0) {
    blocks.push({
      title: L.referrals,
      icon: 'signpost',
      entries: content.referrals.map((r, i) => ({
        icon: NEED_ICON[r.need],
        lines: [...wrap(L.needs[r.need], true), ...wrap(t.places[i] ?? '')],
      })),
    });
  }
  const services: Entry[] = content.services.map((s) => ({ icon: SERVICE_ICON[s], lines: wrap(L.serviceNames[s]) }));
  const hours = hhmmRanges(content, lang);
  if (hours.length > 0) services.push({ icon: 'clock', lines: wrap(`${L.hours}: ${hours.join('; ')}`) });
  if (services.length > 0) blocks.push({ title: L.services, icon: 'help', entries: services });
  // Citizen help in aggregate: numbers and categories only, never who asked or where.
  const help = content.help;
  if (help && help.requestsOpen + help.offersOpen + help.matched + help.done > 0) {
    const H = HELP_LABELS[lang];
    const entries: Entry[] = [
      { icon: 'users', lines: wrap(H.counts(help.requestsOpen, help.offersOpen), true) },
      { icon: 'check', lines: wrap(H.matched(help.matched, help.done)) },
    ];
    if (help.mostNeeded.length > 0) entries.push({ icon: 'alert', lines: wrap(H.mostNeeded(help.mostNeeded.map((c) => H.categories[c]).join(', '))) });
    blocks.push({ title: H.title, icon: 'actions', entries });
  }
  return blocks;
}

export function entryHeight(e: Entry, sizes: Sizes): number {
  return Math.max(e.lines.length * Math.round(sizes.body * sizes.lineHeight), e.icon ? sizes.icon : 0);
}
export function titleHeight(sizes: Sizes): number {
  return Math.round(sizes.heading * sizes.lineHeight) + Math.round(sizes.pad / 2);
}
export const blockGap = (sizes: Sizes) => sizes.pad;

/** Height available for blocks on one page. */
export function bodyHeight(panel: PanelProfile, sizes: Sizes): number {
  return panel.height - sizes.headerH - sizes.footerH - 2 * sizes.pad;
}

/**
 * Packs blocks onto pages, splitting a block between entries. A block continued on the next page
 * repeats its title so every page can be read on its own (the rotation may start anywhere).
 */
export function paginate(blocks: Block[], lang: Lang, panel: PanelProfile, sizes: Sizes): Page[] {
  const avail = bodyHeight(panel, sizes);
  const pages: Block[][] = [[]];
  let used = 0;
  const th = titleHeight(sizes);
  for (const block of blocks) {
    let current: Block | undefined;
    for (const entry of block.entries) {
      const eh = entryHeight(entry, sizes);
      const startCost = (used > 0 ? blockGap(sizes) : 0) + th;
      if (th + eh > avail) throw new LayoutError(`one entry of '${block.title}' is taller than a page; shorten it`);
      const cost = current ? eh : startCost + eh;
      if (used + cost > avail) {
        pages.push([]);
        used = 0;
        current = undefined;
      }
      if (!current) {
        current = { title: block.title, icon: block.icon, entries: [] };
        pages[pages.length - 1]?.push(current);
        used += (used > 0 ? blockGap(sizes) : 0) + th;
      }
      current.entries.push(entry);
      used += eh;
    }
  }
  const filled = pages.filter((p) => p.length > 0);
  return filled.map((blocks, index) => ({ lang, rtl: RTL_LANGUAGES.has(lang), index, count: filled.length, blocks }));
}

/** Every page of every language, in rotation order: all Dutch pages first, then the next language. */
export function layoutBoard(content: BoardContent, panel: PanelProfile, sizes: Sizes): Page[] {
  return content.languages.flatMap((lang) => paginate(buildBlocks(content, lang, panel, sizes), lang, panel, sizes));
}
