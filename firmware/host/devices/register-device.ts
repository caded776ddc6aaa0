// Shared behaviour of TI's 16-bit register I2C chips: a one-byte write sets the register pointer,
// a three-byte write sets a register, a read returns the pointed register big-endian.
import type { I2CDevice } from '../i2c.js';

export abstract class RegisterDevice implements I2CDevice {
  protected pointer = 0;
  readonly writes: Array<[number, number]> = [];

  protected abstract register(reg: number): number;
  protected setRegister(reg: number, value: number): void {
    this.writes.push([reg, value]);
  }

  write(bytes: number[]): void {
    if (bytes.length === 0) return;
    this.pointer = bytes[0]!;
    if (bytes.length >= 3) this.setRegister(this.pointer, (bytes[1]! << 8) | bytes[2]!);
  }

  read(count: number): number[] {
    const v = this.register(this.pointer) & 0xffff;
    return [v >> 8, v & 255].slice(0, count);
  }
}

export function toU16(signed: number): number {
  const v = Math.round(signed);
  return v < 0 ? (v + 0x10000) & 0xffff : v & 0xffff;
}
