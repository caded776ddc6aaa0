// The v1 text compressor with its frozen model: what frames carry.
import { alphabetHash } from './alphabet.js';
import { MODEL_V1 } from './model-v1.js';
import { createTextCodec } from './text-codec.js';

export { TextDecodeError } from './text-codec.js';

/** Code lengths per context, unpacked from the model strings. */
export function modelLengths(): number[][] {
  if (MODEL_V1.alphabetHash !== alphabetHash()) {
    throw new Error('text model v1 does not match the alphabet: dictionary edited without a new codec version');
  }
  return MODEL_V1.lengths.map((row) => Array.from(row, (c) => c.charCodeAt(0) - 48));
}

const codec = createTextCodec(modelLengths());

export function compressText(text: string): Uint8Array {
  return codec.compress(text);
}

export function decompressText(data: Uint8Array): string {
  return codec.decompress(data);
}
