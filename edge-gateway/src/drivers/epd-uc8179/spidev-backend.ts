// SPI through Linux spidev (/dev/spidev0.0). A plain write(2) on the character device is one
// half-duplex transfer with CS asserted, which is all the panel needs, so no native module is
// required for the data path. Setting mode and clock needs ioctl(SPI_IOC_WR_MODE /
// SPI_IOC_WR_MAX_SPEED_HZ), which Node cannot issue without a native addon; see README.md for
// what to configure on the Pi. The file calls are injected so the chunking is testable here.
import * as fs from 'node:fs';
import { MAX_TRANSFER, type SpiBus } from './bus.js';

export interface FileOps {
  openSync(path: string, flags: string): number;
  writeSync(fd: number, buf: Uint8Array): number;
  closeSync(fd: number): void;
}

export class SpidevError extends Error {
  override name = 'SpidevError';
}

export class SpidevBus implements SpiBus {
  private fd: number | null = null;
  constructor(
    readonly path = '/dev/spidev0.0',
    private readonly files: FileOps = fs,
  ) {}

  private open(): number {
    if (this.fd === null) {
      try {
        this.fd = this.files.openSync(this.path, 'w');
      } catch (err) {
        throw new SpidevError(`cannot open ${this.path} (is SPI enabled: dtparam=spi=on, and is the user in group spi?)`, { cause: err });
      }
    }
    return this.fd;
  }

  async write(bytes: Uint8Array): Promise<void> {
    if (bytes.length > MAX_TRANSFER) throw new SpidevError(`transfer of ${bytes.length} bytes exceeds spidev's ${MAX_TRANSFER}-byte buffer`);
    const fd = this.open();
    let written: number;
    try {
      written = this.files.writeSync(fd, bytes);
    } catch (err) {
      throw new SpidevError(`write to ${this.path} failed`, { cause: err });
    }
    // spidev either sends the whole message or fails; a short write means the transfer is lost.
    if (written !== bytes.length) throw new SpidevError(`short write to ${this.path}: ${written} of ${bytes.length} bytes`);
  }

  async close(): Promise<void> {
    if (this.fd !== null) this.files.closeSync(this.fd);
    this.fd = null;
  }
}
