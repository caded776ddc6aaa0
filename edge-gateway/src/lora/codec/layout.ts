// Declarative frame layouts and the one interpreter that packs and unpacks them. The tables are
// plain data so that the TS013 generator can emit them verbatim into the ES5 codec file: the
// gateway and the network server then read the same field list and cannot disagree.
import type { BitReader, BitWriter } from './bits.js';
import { FrameDecodeError, FrameEncodeError } from './errors.js';
import { compressText, decompressText } from '../text/compressor.js';

export type Field =
  /** Unsigned integer; value = raw / div. `nullable` reserves the all-ones raw value for "unknown". */
  | { name: string; type: 'uint'; bits: number; max?: number; div?: number; nullable?: boolean; clamp?: boolean }
  | { name: string; type: 'enum'; bits: number; values: readonly string[] }
  | { name: string; type: 'flags'; bits: number; values: readonly string[] }
  | { name: string; type: 'bool' }
  /** Local time of day "HH:MM" in 11 bits (minutes since midnight); all ones = unknown. */
  | { name: string; type: 'time' }
  /** Dutch postcode "1234 AB" in 24 bits (14 digits + 2×5 letters); all ones = none. */
  | { name: string; type: 'postcode' };

/** What follows the fixed fields, byte-aligned. */
export type Tail =
  /** Compressed texts; all but the last carry a one-byte length. */
  | { type: 'texts'; names: readonly string[] }
  /** Repeated fixed-size records (each byte-aligned) filling the rest of the frame. */
  | { type: 'list'; name: string; fields: readonly Field[]; min: number; max: number; scalar?: boolean };

export interface Layout {
  fields: readonly Field[];
  /** A sub-layout chosen by an enum field, its values nested under `key` (board templates, commands). */
  variant?: { by: string; key: string; layouts: Readonly<Record<string, Layout>> };
  tail?: Tail;
}

export type Values = Record<string, unknown>;

const TIME_NULL = 2047;
const POSTCODE_NULL = 0xffffff;

export function fieldBits(f: Field): number {
  switch (f.type) {
    case 'bool':
      return 1;
    case 'time':
      return 11;
    case 'postcode':
      return 24;
    default:
      return f.bits;
  }
}

function encodeError(name: string, why: string): FrameEncodeError {
  return new FrameEncodeError(`${name}: ${why}`);
}

function encodeField(w: BitWriter, f: Field, v: unknown): void {
  switch (f.type) {
    case 'uint': {
      const allOnes = 2 ** f.bits - 1;
      const max = f.max ?? (f.nullable ? allOnes - 1 : allOnes);
      if (v === null || v === undefined) {
        if (!f.nullable) throw encodeError(f.name, 'is required');
        w.write(allOnes, f.bits);
        return;
      }
      if (typeof v !== 'number' || !Number.isFinite(v)) throw encodeError(f.name, `must be a number, got ${String(v)}`);
      let raw = Math.round(v * (f.div ?? 1));
      if (raw < 0 || raw > max) {
        if (!f.clamp) throw encodeError(f.name, `${v} is out of range 0–${max / (f.div ?? 1)}`);
        raw = Math.min(Math.max(raw, 0), max);
      }
      w.write(raw, f.bits);
      return;
    }
    case 'enum': {
      const i = typeof v === 'string' ? f.values.indexOf(v) : -1;
      if (i < 0) throw encodeError(f.name, `must be one of ${f.values.join(', ')}, got ${String(v)}`);
      w.write(i, f.bits);
      return;
    }
    case 'flags': {
      if (!Array.isArray(v)) throw encodeError(f.name, 'must be a list of flag names');
      let raw = 0;
      for (const flag of v) {
        const i = typeof flag === 'string' ? f.values.indexOf(flag) : -1;
        if (i < 0) throw encodeError(f.name, `unknown flag ${String(flag)}`);
        raw |= 1 << i;
      }
      w.write(raw, f.bits);
      return;
    }
    case 'bool':
      if (typeof v !== 'boolean') throw encodeError(f.name, 'must be true or false');
      w.write(v ? 1 : 0, 1);
      return;
    case 'time': {
      if (v === null || v === undefined) return w.write(TIME_NULL, 11);
      const m = typeof v === 'string' ? /^(\d{1,2}):(\d{2})$/.exec(v) : null;
      const minutes = m ? Number(m[1]) * 60 + Number(m[2]) : NaN;
      if (!m || Number(m[2]) > 59 || !(minutes < 1440)) throw encodeError(f.name, `must be a time HH:MM, got ${String(v)}`);
      return w.write(minutes, 11);
    }
    case 'postcode': {
      if (v === null || v === undefined) return w.write(POSTCODE_NULL, 24);
      const m = typeof v === 'string' ? /^([1-9]\d{3}) ?([A-Za-z]{2})$/.exec(v) : null;
      if (!m?.[1] || !m[2]) throw encodeError(f.name, `must be a Dutch postcode like 1234 AB, got ${String(v)}`);
      const letters = m[2].toUpperCase();
      w.write(Number(m[1]), 14);
      w.write(letters.charCodeAt(0) - 65, 5);
      return w.write(letters.charCodeAt(1) - 65, 5);
    }
  }
}

function rangeError(name: string, why: string): FrameDecodeError {
  return new FrameDecodeError('range', `${name}: ${why}`);
}

function decodeField(r: BitReader, f: Field): unknown {
  switch (f.type) {
    case 'uint': {
      const allOnes = 2 ** f.bits - 1;
      const raw = r.read(f.bits);
      if (f.nullable && raw === allOnes) return null;
      const max = f.max ?? (f.nullable ? allOnes - 1 : allOnes);
      if (raw > max) throw rangeError(f.name, `raw value ${raw} exceeds ${max}`);
      return f.div ? raw / f.div : raw;
    }
    case 'enum': {
      const raw = r.read(f.bits);
      const value = f.values[raw];
      if (value === undefined) throw rangeError(f.name, `unknown code ${raw}`);
      return value;
    }
    case 'flags': {
      const raw = r.read(f.bits);
      const out: string[] = [];
      for (let i = 0; i < f.bits; i++) {
        if (!(Math.floor(raw / 2 ** i) % 2)) continue;
        const name = f.values[i];
        if (name === undefined) throw rangeError(f.name, `reserved flag bit ${i} set`);
        out.push(name);
      }
      return out;
    }
    case 'bool':
      return r.read(1) === 1;
    case 'time': {
      const raw = r.read(11);
      if (raw === TIME_NULL) return null;
      if (raw >= 1440) throw rangeError(f.name, `minute of day ${raw} exceeds 1439`);
      return `${String(Math.floor(raw / 60)).padStart(2, '0')}:${String(raw % 60).padStart(2, '0')}`;
    }
    case 'postcode': {
      const digits = r.read(14);
      const a = r.read(5);
      const b = r.read(5);
      if (digits === 0x3fff && a === 31 && b === 31) return null;
      if (digits < 1000 || digits > 9999 || a > 25 || b > 25) throw rangeError(f.name, 'not a Dutch postcode');
      return `${digits} ${String.fromCharCode(65 + a, 65 + b)}`;
    }
  }
}

/** Smallest number of bits the layout needs (shortest variant, empty tail). */
export function minBits(layout: Layout): number {
  let bits = layout.fields.reduce((n, f) => n + fieldBits(f), 0);
  if (layout.variant) bits += Math.min(...Object.values(layout.variant.layouts).map(minBits));
  return bits;
}

export function encodeLayout(w: BitWriter, layout: Layout, values: Values): void {
  for (const f of layout.fields) encodeField(w, f, values[f.name]);
  if (layout.variant) {
    const { by, key, layouts } = layout.variant;
    const sub = layouts[String(values[by])];
    const nested = values[key] ?? {};
    if (!sub || typeof nested !== 'object') throw encodeError(key, `no layout for ${by} ${String(values[by])}`);
    encodeLayout(w, sub, nested as Values);
  }
  const tail = layout.tail;
  if (!tail) return;
  w.align();
  if (tail.type === 'texts') {
    tail.names.forEach((name, i) => {
      const v = values[name] ?? '';
      if (typeof v !== 'string') throw encodeError(name, 'must be a string');
      const packed = compressText(v);
      if (i < tail.names.length - 1) {
        if (packed.length > 255) throw encodeError(name, 'text too long');
        w.write(packed.length, 8);
      }
      w.writeBytes(packed);
    });
    return;
  }
  const items = values[tail.name];
  if (!Array.isArray(items) || items.length < tail.min || items.length > tail.max) {
    throw encodeError(tail.name, `must be a list of ${tail.min}–${tail.max} entries`);
  }
  for (const item of items) {
    if (tail.scalar) {
      for (const f of tail.fields) encodeField(w, f, item);
    } else {
      if (typeof item !== 'object' || item === null) throw encodeError(tail.name, 'entries must be objects');
      for (const f of tail.fields) encodeField(w, f, (item as Values)[f.name]);
    }
    w.align();
  }
}

export function decodeLayout(r: BitReader, layout: Layout): Values {
  const out: Values = {};
  for (const f of layout.fields) out[f.name] = decodeField(r, f);
  if (layout.variant) {
    const { by, key, layouts } = layout.variant;
    const sub = layouts[String(out[by])];
    if (!sub) throw rangeError(by, `no layout for ${String(out[by])}`);
    out[key] = decodeLayout(r, sub);
  }
  const tail = layout.tail;
  if (!tail) return out;
  r.align();
  if (tail.type === 'texts') {
    tail.names.forEach((name, i) => {
      const bytes = i < tail.names.length - 1 ? r.readBytes(r.read(8)) : r.rest();
      out[name] = decompressText(bytes);
    });
    return out;
  }
  const entryBits = tail.fields.reduce((n, f) => n + fieldBits(f), 0);
  const entryBytes = Math.ceil(entryBits / 8);
  const items: unknown[] = [];
  while (r.bitsLeft > 0) {
    if (r.bitsLeft < entryBytes * 8) throw new FrameDecodeError('truncated', `${tail.name}: partial entry`);
    const item: Values = {};
    for (const f of tail.fields) item[f.name] = decodeField(r, f);
    r.align();
    items.push(tail.scalar ? item[tail.fields[0]?.name ?? ''] : item);
  }
  if (items.length < tail.min || items.length > tail.max) {
    throw rangeError(tail.name, `${items.length} entries, expected ${tail.min}–${tail.max}`);
  }
  out[tail.name] = items;
  return out;
}
