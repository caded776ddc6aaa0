// The text compressor: an optimal parse of the text into dictionary entries and characters, each
// coded with a static canonical Huffman code chosen by a 4-way context. Ends are padded with 1-bits,
// which can never complete a symbol because the longest code is ≥ 8 bits, so no length or
// end-of-text symbol is spent. Texts that do not compress (other scripts) go out as plain UTF-8
// behind a single RAW symbol.
import { FrameDecodeError, FrameEncodeError } from '../codec/errors.js';
import {
  CAP,
  CONTEXTS,
  ESC,
  ESC_CLASS_BITS,
  RAW,
  SYMBOLS,
  capitalDefault,
  capitalise,
  contextAfter,
} from './alphabet.js';
import { canonicalCode, type CanonicalCode } from './huffman.js';

export class TextDecodeError extends FrameDecodeError {
  override name = 'TextDecodeError';
  constructor(message: string, options?: ErrorOptions) {
    super('text', message, options);
  }
}

export interface TextCodec {
  compress(text: string): Uint8Array;
  decompress(data: Uint8Array): string;
  /** Symbols and contexts of the chosen parse (training counts these). */
  parse(text: string): { sym: number; ctx: number }[];
}

interface Step {
  sym: number;
  ctx: number;
  /** ESC payload: code point. */
  cp?: number;
}

function escClass(cp: number): number {
  return ESC_CLASS_BITS.findIndex((b) => cp < 2 ** b);
}

export function createTextCodec(lengths: readonly (readonly number[])[]): TextCodec {
  if (lengths.length !== CONTEXTS) throw new Error(`text model needs ${CONTEXTS} contexts`);
  const tables: CanonicalCode[] = lengths.map((l) => {
    if (l.length !== SYMBOLS.length) throw new Error('text model does not match the alphabet');
    const t = canonicalCode(l);
    if (t.maxLength < 8 || t.maxLength > 30) throw new Error('text model code lengths out of range');
    return t;
  });

  // Candidate symbols by the capitalised form of their first character.
  const buckets = new Map<string, number[]>();
  SYMBOLS.forEach((s, i) => {
    if (i <= ESC) return;
    const key = capitalise(s.charAt(0));
    const list = buckets.get(key) ?? [];
    list.push(i);
    buckets.set(key, list);
  });

  const len = (ctx: number, sym: number): number => tables[ctx]?.lengths[sym] ?? Infinity;

  function parse(text: string): Step[] {
    const n = text.length;
    const cost = new Float64Array((n + 1) * CONTEXTS).fill(Infinity);
    const back: ({ from: number; steps: Step[] } | undefined)[] = new Array((n + 1) * CONTEXTS);
    cost[0] = 0;
    const relax = (from: number, to: number, bits: number, steps: Step[]): void => {
      const c = (cost[from] ?? Infinity) + bits;
      if (c < (cost[to] ?? Infinity)) {
        cost[to] = c;
        back[to] = { from, steps };
      }
    };
    for (let pos = 0; pos < n; pos++) {
      const dflt = capitalDefault(text.slice(0, pos));
      const cands = buckets.get(capitalise(text.charAt(pos))) ?? [];
      for (let ctx = 0; ctx < CONTEXTS; ctx++) {
        const from = pos * CONTEXTS + ctx;
        if (cost[from] === Infinity) continue;
        for (const sym of cands) {
          const s = SYMBOLS[sym] ?? '';
          const capped = capitalise(s);
          const next = contextAfter(sym);
          const plain = dflt ? capped : s;
          if (text.startsWith(plain, pos)) {
            relax(from, (pos + plain.length) * CONTEXTS + next, len(ctx, sym), [{ sym, ctx }]);
          }
          const toggled = dflt ? s : capped;
          if (capped !== s && text.startsWith(toggled, pos)) {
            relax(from, (pos + toggled.length) * CONTEXTS + next, len(ctx, CAP) + len(ctx, sym), [
              { sym: CAP, ctx },
              { sym, ctx },
            ]);
          }
        }
        const cp = text.codePointAt(pos) ?? 0;
        const width = cp > 0xffff ? 2 : 1;
        const cls = escClass(cp);
        relax(from, (pos + width) * CONTEXTS, len(ctx, ESC) + 2 + (ESC_CLASS_BITS[cls] ?? 21), [{ sym: ESC, ctx, cp }]);
      }
    }
    let best = n * CONTEXTS;
    for (let ctx = 1; ctx < CONTEXTS; ctx++) if ((cost[n * CONTEXTS + ctx] ?? Infinity) < (cost[best] ?? Infinity)) best = n * CONTEXTS + ctx;
    const steps: Step[] = [];
    for (let at = best; at !== 0; ) {
      const b = back[at];
      if (!b) break;
      steps.unshift(...b.steps);
      at = b.from;
    }
    return steps;
  }

  function compress(text: string): Uint8Array {
    if (/[\uD800-\uDFFF]/u.test(text)) throw new FrameEncodeError('text contains a lone surrogate (not valid Unicode)');
    const bits: number[] = [];
    const put = (value: number, n: number): void => {
      for (let i = n - 1; i >= 0; i--) bits.push(Math.floor(value / 2 ** i) % 2);
    };
    for (const step of parse(text)) {
      const t = tables[step.ctx];
      if (!t) throw new Error('bad context');
      put(t.codes[step.sym] ?? 0, t.lengths[step.sym] ?? 0);
      if (step.sym === ESC) {
        const cp = step.cp ?? 0;
        const cls = escClass(cp);
        put(cls, 2);
        put(cp, ESC_CLASS_BITS[cls] ?? 21);
      }
    }
    while (bits.length % 8) bits.push(1);
    const utf8 = new TextEncoder().encode(text);
    const raw0 = tables[0];
    const rawBytes = raw0 ? Math.ceil((raw0.lengths[RAW] ?? 0) / 8) : 0;
    if (rawBytes + utf8.length < bits.length / 8 && raw0) {
      const head: number[] = [];
      const code = raw0.codes[RAW] ?? 0;
      const l = raw0.lengths[RAW] ?? 0;
      for (let i = l - 1; i >= 0; i--) head.push(Math.floor(code / 2 ** i) % 2);
      while (head.length % 8) head.push(1);
      return Uint8Array.from([...packBits(head), ...utf8]);
    }
    return packBits(bits);
  }

  function decompress(data: Uint8Array): string {
    const total = data.length * 8;
    let pos = 0;
    const bit = (): number => ((data[pos >> 3] ?? 0) >> (7 - (pos++ & 7))) & 1;
    const readSymbol = (ctx: number): number => {
      const t = tables[ctx];
      if (!t) throw new TextDecodeError('bad context');
      let code = 0;
      let first = 0;
      let index = 0;
      for (let l = 1; l <= t.maxLength; l++) {
        if (pos >= total) throw new TextDecodeError('text ends inside a symbol');
        code = code * 2 + bit();
        const count = t.counts[l] ?? 0;
        if (code - first < count) return t.sorted[index + code - first] ?? 0;
        index += count;
        first = (first + count) * 2;
      }
      throw new TextDecodeError('invalid code');
    };
    const readBits = (n: number): number => {
      if (pos + n > total) throw new TextDecodeError('text ends inside an escaped character');
      let v = 0;
      for (let i = 0; i < n; i++) v = v * 2 + bit();
      return v;
    };
    const onlyPadding = (): boolean => {
      if (total - pos > 7) return false;
      for (let p = pos; p < total; p++) if ((((data[p >> 3] ?? 0) >> (7 - (p & 7))) & 1) === 0) return false;
      return true;
    };

    let out = '';
    let ctx = 0;
    let capPending = false;
    let first = true;
    while (!onlyPadding()) {
      const sym = readSymbol(ctx);
      if (sym === RAW) {
        if (!first) throw new TextDecodeError('RAW symbol after the start');
        if (!onlyPaddingToByte()) throw new TextDecodeError('bad padding after RAW');
        try {
          return new TextDecoder('utf-8', { fatal: true }).decode(data.subarray(Math.ceil(pos / 8)));
        } catch (err) {
          throw new TextDecodeError('invalid UTF-8 in raw text', { cause: err });
        }
      }
      first = false;
      if (sym === CAP) {
        if (capPending) throw new TextDecodeError('two CAP symbols in a row');
        capPending = true;
        continue;
      }
      if (sym === ESC) {
        if (capPending) throw new TextDecodeError('CAP before an escaped character');
        const cls = readBits(2);
        const cp = readBits(ESC_CLASS_BITS[cls] ?? 21);
        if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) throw new TextDecodeError(`invalid code point ${cp}`);
        out += String.fromCodePoint(cp);
        ctx = 0;
        continue;
      }
      let s = SYMBOLS[sym] ?? '';
      if (capitalDefault(out) !== capPending) s = capitalise(s);
      out += s;
      capPending = false;
      ctx = contextAfter(sym);
    }
    if (capPending) throw new TextDecodeError('text ends after a CAP symbol');
    return out;

    function onlyPaddingToByte(): boolean {
      while (pos & 7) if (bit() !== 1) return false;
      return true;
    }
  }

  return { compress, decompress, parse: (text) => parse(text).map(({ sym, ctx }) => ({ sym, ctx })) };
}

function packBits(bits: number[]): Uint8Array {
  const out = new Uint8Array(bits.length / 8);
  bits.forEach((b, i) => {
    if (b) out[i >> 3] = (out[i >> 3] ?? 0) | (0x80 >> (i & 7));
  });
  return out;
}
