// The slice of a `serialport` stream the serial link uses, so tests can inject `SerialPortMock`
// (backed by @serialport/binding-mock) or any other port built on a different binding.
import { SerialPort } from 'serialport';

export type PortCallback = (err: Error | null) => void;

export interface SerialPortLike {
  readonly isOpen: boolean;
  open(cb: PortCallback): void;
  close(cb?: PortCallback): void;
  write(data: Buffer, cb?: (err: Error | null | undefined) => void): boolean;
  on(event: 'data', fn: (chunk: Buffer) => void): this;
  /** `err` is a DisconnectedError (`disconnected: true`) when the device went away. */
  on(event: 'close', fn: (err?: Error | null) => void): this;
  on(event: 'error', fn: (err: Error) => void): this;
  removeAllListeners(): this;
}

export interface PortOptions {
  path: string;
  baudRate: number;
}

/** Builds an unopened port; the link calls open() itself so it sees every failure. */
export type PortFactory = (opts: PortOptions) => SerialPortLike;

/** A real device through serialport's native binding. */
export const nativePort: PortFactory = ({ path, baudRate }) => new SerialPort({ path, baudRate, autoOpen: false });
