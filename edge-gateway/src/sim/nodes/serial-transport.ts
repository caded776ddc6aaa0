// Node end of a serial line (the node side of a pty pair): frames out with encodeFrame, frames in
// through FrameParser, exactly as the firmware does on its UART.
import { SerialPort } from 'serialport';
import type { Logger } from '../../log/logger.js';
import { errorMessage, silentLogger } from '../../log/logger.js';
import { encodeFrame, FrameParser } from '../../protocol/index.js';
import type { NodeTransport } from './transport.js';
import { TransportError } from './transport.js';

const MAX_BACKLOG_BYTES = 8192;

export interface SerialTransportOptions {
  path: string;
  baudRate?: number;
  log?: Logger;
  /** Write an Espruino-style console banner on open, so the gateway parser must resync past noise. */
  bootNoise?: boolean;
}

export class SerialNodeTransport implements NodeTransport {
  readonly link = 'serial' as const;
  private port: SerialPort | null = null;
  private readonly parser: FrameParser;
  private receivers: ((json: string) => void)[] = [];
  private statusFns: ((up: boolean) => void)[] = [];
  private readonly log: Logger;

  constructor(private readonly opts: SerialTransportOptions) {
    this.log = opts.log ?? silentLogger;
    this.parser = new FrameParser((r) => this.log.debug(`dropped ${r.reason} frame: ${r.detail}`));
  }

  get up(): boolean {
    return this.port?.isOpen ?? false;
  }

  async open(): Promise<void> {
    const port = new SerialPort({ path: this.opts.path, baudRate: this.opts.baudRate ?? 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => {
      port.open((err) => (err ? reject(new TransportError(`cannot open ${this.opts.path}: ${err.message}`, { cause: err })) : resolve()));
    });
    this.port = port;
    port.on('data', (chunk: Buffer) => {
      for (const body of this.parser.push(chunk)) for (const fn of this.receivers) fn(body);
    });
    port.on('error', (err) => this.log.warn('serial error', { error: errorMessage(err) }));
    port.on('close', () => {
      this.port = null;
      for (const fn of this.statusFns) fn(false);
    });
    if (this.opts.bootNoise) port.write('\r\x1b[J _____                 _ \r\n|   __|___ ___ ___ _ _|_|___ ___\r\n sim console\r\n>');
    for (const fn of this.statusFns) fn(true);
  }

  /**
   * Gives queued bytes a moment to leave, then closes. serialport's drain() only covers the write in
   * flight and, with a large backlog on a pty, was seen never to call back: bounded waits instead.
   */
  async close(): Promise<void> {
    const port = this.port;
    if (!port) return;
    this.port = null;
    const deadline = Date.now() + 500;
    while (port.writableLength > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const closed = await Promise.race([
      new Promise<boolean>((resolve) => port.close(() => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000)),
    ]);
    if (!closed) {
      this.log.warn('serial port did not close in time: destroying it');
      port.destroy();
    }
  }

  send(json: string): boolean {
    const port = this.port;
    // Like a full UART TX buffer: when the far end is not reading, refuse rather than queue without
    // bound; the message stays in the node's unacked ring and goes again later.
    if (!port?.isOpen || port.writableLength > MAX_BACKLOG_BYTES) return false;
    port.write(encodeFrame(json));
    return true;
  }

  onReceive(fn: (json: string) => void): void {
    this.receivers.push(fn);
  }

  onStatus(fn: (up: boolean) => void): void {
    this.statusFns.push(fn);
  }

  rssi(): undefined {
    return undefined;
  }
}
