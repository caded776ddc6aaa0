// Seeded random messages for the property tests, generated from the codec's own layout tables
// in canonical form (the form the decoder returns), so a round trip must give back deep-equal values.
import type { Field, Layout } from '../../src/lora/codec/layout.js';
import { KINDS, type MessageKind } from '../../src/lora/codec/ports.js';
import type { LoraMessage } from '../../src/lora/codec/messages.js';
import { CORPUS } from '../../src/lora/text/corpus.js';
import { mulberry32 } from '../../src/core/prng.js';

export type Rng = () => number;

/** Seeded test data. */
export const rng = (seed: number): Rng => mulberry32(seed);

export const int = (r: Rng, min: number, max: number): number => min + Math.floor(r() * (max - min + 1));
const pick = <T>(r: Rng, list: readonly T[]): T => list[int(r, 0, list.length - 1)] as T;

const EXOTIC = ['😀', 'é', 'Ł', 'ß', 'Привіт', 'مرحبا', 'ትግርኛ', 'Ş', '€', '\n', '  ', '.', 'İ', '中文', '\u2028'];

export function randomText(r: Rng, maxLength = 80): string {
  let s = '';
  const target = int(r, 0, maxLength);
  while (s.length < target) {
    const mode = r();
    if (mode < 0.5) {
      const m = pick(r, CORPUS);
      const a = int(r, 0, m.length);
      s += m.slice(a, a + int(r, 1, 30));
    } else if (mode < 0.7) {
      s += pick(r, EXOTIC);
    } else {
      s += String.fromCharCode(int(r, 32, 126));
    }
  }
  return s;
}

function randomField(r: Rng, f: Field): unknown {
  switch (f.type) {
    case 'uint': {
      const allOnes = 2 ** f.bits - 1;
      if (f.nullable && r() < 0.15) return null;
      const max = f.max ?? (f.nullable ? allOnes - 1 : allOnes);
      const raw = r() < 0.1 ? max : int(r, 0, max);
      return f.div ? raw / f.div : raw;
    }
    case 'enum':
      return pick(r, f.values);
    case 'flags':
      return f.values.filter(() => r() < 0.3);
    case 'bool':
      return r() < 0.5;
    case 'time':
      if (r() < 0.15) return null;
      return `${String(int(r, 0, 23)).padStart(2, '0')}:${String(int(r, 0, 59)).padStart(2, '0')}`;
    case 'postcode':
      if (r() < 0.15) return null;
      return `${int(r, 1000, 9999)} ${String.fromCharCode(int(r, 65, 90), int(r, 65, 90))}`;
  }
}

function randomLayout(r: Rng, layout: Layout, textLength: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const f of layout.fields) out[f.name] = randomField(r, f);
  if (layout.variant) {
    const { by, key, layouts } = layout.variant;
    const sub = layouts[String(out[by])];
    if (sub) out[key] = randomLayout(r, sub, textLength);
  }
  const tail = layout.tail;
  if (tail?.type === 'texts') {
    for (const name of tail.names) out[name] = randomText(r, textLength);
  } else if (tail?.type === 'list') {
    out[tail.name] = Array.from({ length: int(r, tail.min, tail.max) }, () => {
      const item: Record<string, unknown> = {};
      for (const f of tail.fields) item[f.name] = randomField(r, f);
      return tail.scalar ? item[tail.fields[0]?.name ?? ''] : item;
    });
  }
  return out;
}

export function randomMessage(r: Rng, kind: MessageKind = pick(r, Object.keys(KINDS) as MessageKind[]), textLength = 60): LoraMessage {
  const spec = KINDS[kind];
  return {
    kind,
    ...(spec.hasId ? { id: int(r, 0, 63) } : {}),
    ...randomLayout(r, spec.layout, textLength),
  } as unknown as LoraMessage;
}
