// The symbol alphabet of the v1 text model: three control symbols, single characters, then the
// dictionary. Letters are lower case; capitals come from the sentence rule or a CAP symbol.
import { DICTIONARY } from './dictionary.js';

export const RAW = 0; // first symbol only: the rest of the field is plain UTF-8
export const CAP = 1; // toggle the capitalisation of the next symbol's first letter
export const ESC = 2; // a code point follows: 2-bit class, then 8/12/16/21 bits

export const ESC_CLASS_BITS = [8, 12, 16, 21] as const;

export const CHARS =
  ' \nabcdefghijklmnopqrstuvwxyz0123456789.,:;!?-\'"()/&+%€@#*=_’–…éëèêáäàâïîíöôóüûúçñ';

export const SYMBOLS: readonly string[] = [
  '',
  '',
  '',
  ...CHARS,
  ...DICTIONARY.filter((w) => w.length > 1),
];

/** Contexts: 0 word start, 1 after a letter, 2 after a dictionary entry, 3 after a digit. */
export const CONTEXTS = 4;
export const FIRST_WORD = 3 + CHARS.length;

export function isLetter(c: string): boolean {
  const code = c.charCodeAt(0);
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 0xc0 && code <= 0xff && code !== 0xd7 && code !== 0xf7);
}

/** Context after emitting a symbol. */
export function contextAfter(sym: number): number {
  if (sym >= FIRST_WORD) return 2;
  const c = SYMBOLS[sym] ?? '';
  if (isLetter(c)) return 1;
  const code = c.charCodeAt(0);
  return code >= 48 && code <= 57 ? 3 : 0;
}

/** Upper-cases the first letter with a fixed table (ASCII and Latin-1) so every JS engine agrees. */
export function capitalise(s: string): string {
  const code = s.charCodeAt(0);
  if ((code >= 97 && code <= 122) || (code >= 0xe0 && code <= 0xfe && code !== 0xf7)) {
    return String.fromCharCode(code - 32) + s.slice(1);
  }
  return s;
}

/** Sentence rule: capitals are the default at the start and after ". ", "! ", "? " or a newline. */
export function capitalDefault(out: string): boolean {
  let i = out.length - 1;
  if (i < 0) return true;
  if (out[i] === '\n') return true;
  if (out[i] !== ' ') return false;
  while (i >= 0 && out[i] === ' ') i--;
  const c = out[i];
  return c === '.' || c === '!' || c === '?';
}

/** FNV-1a over the alphabet: the frozen model refuses to load against a different alphabet. */
export function alphabetHash(): number {
  let h = 0x811c9dc5;
  const s = SYMBOLS.join('\u0000');
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}
