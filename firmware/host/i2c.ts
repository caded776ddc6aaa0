// I2C emulation: devices (fakes of INA226, INA3221 …) attach by address. A missing device, a device
// marked failing, or a disconnected bus throws like Espruino's I2C does.
export interface I2CDevice {
  /** Bytes written by the master in one transaction. */
  write(bytes: number[]): void;
  /** Bytes the master reads in one transaction. */
  read(count: number): number[];
}

export class I2CError extends Error {
  override name = 'I2CError';
}

export class HostI2C {
  readonly devices = new Map<number, I2CDevice>();
  /** Addresses that NACK (a loose wire) until cleared. */
  readonly failing = new Set<number>();
  transactions = 0;
  setupOptions: unknown = null;

  attach(address: number, device: I2CDevice): void {
    this.devices.set(address, device);
  }

  setup(options: unknown): void {
    this.setupOptions = options;
  }

  private device(address: number): I2CDevice {
    this.transactions++;
    const d = this.devices.get(address);
    if (d === undefined || this.failing.has(address)) throw new I2CError(`I2C: no ACK from 0x${address.toString(16)}`);
    return d;
  }

  writeTo(address: number, data: number | number[] | Uint8Array | string): void {
    let bytes: number[];
    if (typeof data === 'number') bytes = [data & 255];
    else if (typeof data === 'string') bytes = [...data].map((c) => c.charCodeAt(0) & 255);
    else bytes = [...data].map((b) => b & 255);
    this.device(address).write(bytes);
  }

  readFrom(address: number, quantity: number): Uint8Array {
    return Uint8Array.from(this.device(address).read(quantity));
  }
}
