import { describe, it, expect } from 'vitest';
import { compressText, decompressText, modelLengths, TextDecodeError } from '../../src/lora/text/compressor.js';
import { CORPUS, HELD_OUT, TRAINING } from '../../src/lora/text/corpus.js';
import { kraftSum } from '../../src/lora/text/huffman.js';
import { trainModel } from '../../src/lora/text/train.js';
import { FrameEncodeError } from '../../src/lora/codec/errors.js';
import { MODEL_V1 } from '../../src/lora/text/model-v1.js';
import { int, randomText, rng } from './random.js';

const utf8 = (s: string): number => new TextEncoder().encode(s).length;
const ratio = (set: readonly string[]): number =>
  (100 * set.reduce((n, m) => n + compressText(m).length, 0)) / set.reduce((n, m) => n + utf8(m), 0);

describe('text compressor', () => {
  it('round-trips the whole corpus', () => {
    for (const m of CORPUS) expect(decompressText(compressText(m))).toBe(m);
  });

  it('keeps held-out messages apart from training ones', () => {
    expect(HELD_OUT.length).toBe(20);
    expect(TRAINING.length).toBe(60);
    expect(HELD_OUT.filter((m) => TRAINING.includes(m))).toEqual([]);
  });

  it('compresses held-out messages to ≤ 55 % of their UTF-8 size', () => {
    const heldOut = ratio(HELD_OUT);
    expect(heldOut).toBeLessThanOrEqual(55);
    // Training data compresses better, as it should; the gap shows how much is memorised.
    expect(ratio(TRAINING)).toBeLessThan(heldOut);
  });

  it('handles capitals, digits, accents and other scripts', () => {
    for (const s of [
      '',
      'a',
      'NL-Alert: BLIJF BINNEN!',
      'ik ben veilig. ok? Ja.',
      'Coördinatiepunt Émile-Zolastraat 3a, 06-12345678',
      'Привіт, ми в безпеці',
      'نحن بأمان في المدرسة',
      'Alles goed 😀👍 tot morgen',
      'ß straße İstanbul Łódź',
      'regel 1\nregel 2\n\nRegel 4',
      '   spaties   ',
    ]) {
      expect(decompressText(compressText(s))).toBe(s);
    }
  });

  it('never takes more than two bytes beyond UTF-8 (RAW fallback)', () => {
    const r = rng(7);
    for (let i = 0; i < 300; i++) {
      const s = randomText(r, 120);
      const packed = compressText(s);
      expect(packed.length).toBeLessThanOrEqual(utf8(s) + 2);
      expect(decompressText(packed)).toBe(s);
    }
  });

  it('refuses text that is not valid Unicode', () => {
    expect(() => compressText('abc\uD800def')).toThrow(FrameEncodeError);
  });

  it('rejects random bytes with TextDecodeError only, and terminates', () => {
    const r = rng(8);
    let rejected = 0;
    for (let i = 0; i < 3000; i++) {
      const bytes = Uint8Array.from({ length: int(r, 1, 40) }, () => int(r, 0, 255));
      try {
        decompressText(bytes);
      } catch (err) {
        expect(err).toBeInstanceOf(TextDecodeError);
        rejected++;
      }
    }
    expect(rejected).toBeGreaterThan(0);
  });
});

describe('text model v1', () => {
  it('is a complete prefix code per context whose longest code is ≥ 8 bits (padding rule)', () => {
    for (const lengths of modelLengths()) {
      expect(kraftSum(lengths)).toBe(1);
      expect(Math.max(...lengths)).toBeGreaterThanOrEqual(8);
      expect(Math.min(...lengths)).toBeGreaterThan(0);
    }
  });

  it('is what train.ts makes from the training corpus (no hand edits, no held-out data)', () => {
    const trained = trainModel(TRAINING).map((l) => l.map((n) => String.fromCharCode(48 + n)).join(''));
    expect(trained).toEqual(MODEL_V1.lengths);
  });
});
