// Fonts ship through npm (no network at run time): Atkinson Hyperlegible (designed for low-vision
// readers) for Latin scripts, Noto Sans Arabic for Arabic. satori reads WOFF, not WOFF2.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { readFontMetrics, type FontMetrics } from './font-metrics.js';

const require = createRequire(import.meta.url);

export const FONT_FAMILY = 'BoardLatin, BoardLatinExt, BoardLatinNext, BoardArabic';

export interface BoardFont {
  name: string;
  data: Buffer;
  weight: 400 | 700;
  style: 'normal';
  metrics: FontMetrics;
}

// satori keeps one font per (name, weight): each subset needs its own family name, listed in
// fallback order in FONT_FAMILY.
const FILES: Array<{ name: string; file: string; weight: 400 | 700 }> = [
  { name: 'BoardLatin', file: '@fontsource/atkinson-hyperlegible/files/atkinson-hyperlegible-latin-400-normal.woff', weight: 400 },
  { name: 'BoardLatin', file: '@fontsource/atkinson-hyperlegible/files/atkinson-hyperlegible-latin-700-normal.woff', weight: 700 },
  { name: 'BoardLatinExt', file: '@fontsource/atkinson-hyperlegible/files/atkinson-hyperlegible-latin-ext-400-normal.woff', weight: 400 },
  { name: 'BoardLatinExt', file: '@fontsource/atkinson-hyperlegible/files/atkinson-hyperlegible-latin-ext-700-normal.woff', weight: 700 },
  // Atkinson Hyperlegible Next fills what the original lacks (Turkish İ and more), same design.
  { name: 'BoardLatinNext', file: '@fontsource/atkinson-hyperlegible-next/files/atkinson-hyperlegible-next-latin-ext-400-normal.woff', weight: 400 },
  { name: 'BoardLatinNext', file: '@fontsource/atkinson-hyperlegible-next/files/atkinson-hyperlegible-next-latin-ext-700-normal.woff', weight: 700 },
  { name: 'BoardArabic', file: '@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-400-normal.woff', weight: 400 },
  { name: 'BoardArabic', file: '@fontsource/noto-sans-arabic/files/noto-sans-arabic-arabic-700-normal.woff', weight: 700 },
];

let cached: BoardFont[] | undefined;

/** All board fonts, in fallback order (satori tries them in turn for missing glyphs). */
export function boardFonts(): BoardFont[] {
  cached ??= FILES.map(({ name, file, weight }) => {
    const data = readFileSync(require.resolve(file));
    return { name, data, weight, style: 'normal' as const, metrics: readFontMetrics(data) };
  });
  return cached;
}

/** Cap height per em of the primary (Latin) font: the basis of the legibility minimum. */
export function primaryCapHeightRatio(): number {
  const first = boardFonts()[0];
  if (!first) throw new Error('no board fonts configured');
  return first.metrics.capHeightRatio;
}

/** Width in em of a string at a weight, using the first font that has each glyph. */
export function textWidthEm(s: string, weight: 400 | 700): number {
  const fonts = boardFonts();
  const same = fonts.filter((f) => f.weight === weight);
  let w = 0;
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 32;
    let adv: number | undefined;
    for (const f of same) {
      adv = f.metrics.advance(cp);
      if (adv !== undefined) break;
    }
    // Unknown glyph (satori draws nothing or a fallback): budget a wide one to stay on the safe side.
    w += adv ?? 0.6;
  }
  return w;
}

/** Greedy word wrap with the same rule the browser/satori uses: break at spaces, never mid-word. */
export function wrapLines(s: string, fontPx: number, weight: 400 | 700, maxWidthPx: number): string[] {
  const words = s.split(/\s+/).filter(Boolean);
  const space = textWidthEm(' ', weight) * fontPx;
  const lines: string[] = [];
  let line = '';
  let lineW = 0;
  for (const word of words) {
    const w = textWidthEm(word, weight) * fontPx;
    if (line && lineW + space + w > maxWidthPx) {
      lines.push(line);
      line = word;
      lineW = w;
    } else {
      line = line ? `${line} ${word}` : word;
      lineW = line === word ? w : lineW + space + w;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** The text cut with an ellipsis where it would overflow one line (names, footer lines). */
export function fitLine(s: string, fontPx: number, weight: 400 | 700, maxWidthPx: number): string {
  if (textWidthEm(s, weight) * fontPx <= maxWidthPx) return s;
  const chars = [...s];
  while (chars.length > 1 && textWidthEm(chars.join('') + '…', weight) * fontPx > maxWidthPx) chars.pop();
  return chars.join('').trimEnd() + '…';
}

/** Characters of `s` that no board font can draw (spaces and bidi marks aside). */
export function missingGlyphs(s: string, weight: 400 | 700): string[] {
  const fonts = boardFonts().filter((f) => f.weight === weight);
  const missing = new Set<string>();
  for (const ch of s) {
    const cp = ch.codePointAt(0) ?? 32;
    if (/\s/.test(ch)) continue;
    if (!fonts.some((f) => f.metrics.advance(cp) !== undefined)) missing.add(ch);
  }
  return [...missing];
}
