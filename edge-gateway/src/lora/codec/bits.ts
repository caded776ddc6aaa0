// MSB-first bit packing. Values are built with arithmetic, not 32-bit bitwise operators,
// so fields up to 48 bits (e.g. 32-bit times) behave the same here and in the ES5 codec.
import { FrameDecodeError } from './errors.js';

export class BitWriter {
  private readonly bytes: number[] = [];
  private bitCount = 0;

  write(value: number, bits: number): void {
    for (let i = bits - 1; i >= 0; i--) {
      const bit = Math.floor(value / 2 ** i) % 2;
      const byteIndex = this.bitCount >> 3;
      if (byteIndex === this.bytes.length) this.bytes.push(0);
      if (bit) this.bytes[byteIndex] = (this.bytes[byteIndex] ?? 0) | (0x80 >> (this.bitCount & 7));
      this.bitCount++;
    }
  }

  /** Pads with zero bits to the next byte boundary. */
  align(): void {
    this.bitCount = this.bytes.length * 8;
  }

  writeBytes(data: Uint8Array): void {
    this.align();
    for (const b of data) this.bytes.push(b);
    this.bitCount = this.bytes.length * 8;
  }

  toBytes(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

export class BitReader {
  private pos = 0;
  constructor(private readonly data: Uint8Array) {}

  get bitsLeft(): number {
    return this.data.length * 8 - this.pos;
  }

  read(bits: number): number {
    if (bits > this.bitsLeft) {
      throw new FrameDecodeError('truncated', `frame ends ${bits - this.bitsLeft} bit(s) too early`);
    }
    let value = 0;
    for (let i = 0; i < bits; i++) {
      const byte = this.data[this.pos >> 3] ?? 0;
      value = value * 2 + ((byte >> (7 - (this.pos & 7))) & 1);
      this.pos++;
    }
    return value;
  }

  /** Skips to the next byte boundary; the skipped bits must be zero (a cheap corruption check). */
  align(): void {
    const pad = (8 - (this.pos & 7)) & 7;
    if (pad && this.read(pad) !== 0) throw new FrameDecodeError('padding', 'non-zero padding bits');
  }

  readBytes(n: number): Uint8Array {
    this.align();
    const start = this.pos >> 3;
    if (start + n > this.data.length) throw new FrameDecodeError('truncated', `frame ends ${start + n - this.data.length} byte(s) too early`);
    this.pos += n * 8;
    return this.data.subarray(start, start + n);
  }

  rest(): Uint8Array {
    this.align();
    return this.readBytes(this.data.length - (this.pos >> 3));
  }
}
