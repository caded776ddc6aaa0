// The USB serial line of an emulated board: bytes the firmware writes on its console UART go out the
// node end of a pty pair, bytes from the gateway come in to the firmware. Framing is the firmware's job.
import { SerialPort } from 'serialport';
import type { EspruinoHost } from '../../../../firmware/host/runtime.js';
import type { Logger } from '../../log/logger.js';
import { errorMessage, silentLogger } from '../../log/logger.js';
import { TransportError } from '../nodes/transport.js';

/** Like a UART TX FIFO with nobody reading: beyond this backlog, bytes are lost. */
const MAX_BACKLOG_BYTES = 16384;

export class FirmwareSerialWire {
  readonly link = 'serial' as const;
  private port: SerialPort | null = null;
  private unsubscribe: (() => void) | null = null;
  dropped = 0;
  private readonly log: Logger;

  constructor(
    private readonly host: EspruinoHost,
    private readonly path: string,
    log?: Logger,
  ) {
    this.log = log ?? silentLogger;
  }

  get up(): boolean {
    return this.port?.isOpen ?? false;
  }

  async open(): Promise<void> {
    const port = new SerialPort({ path: this.path, baudRate: 115200, autoOpen: false });
    await new Promise<void>((resolve, reject) => {
      port.open((err) => (err ? reject(new TransportError(`cannot open ${this.path}: ${err.message}`, { cause: err })) : resolve()));
    });
    this.port = port;
    port.on('data', (chunk: Buffer) => this.host.usb.inject(chunk.toString('latin1')));
    port.on('error', (err) => this.log.warn('serial error', { error: errorMessage(err) }));
    port.on('close', () => {
      this.port = null;
    });
    this.unsubscribe = this.host.usb.onOutput((data) => {
      const p = this.port;
      if (!p?.isOpen) return;
      if (p.writableLength > MAX_BACKLOG_BYTES) {
        this.dropped += data.length;
        return;
      }
      p.write(Buffer.from(data, 'latin1'));
    });
  }

  /** Bounded waits: a pty with a large backlog was seen never to finish draining. */
  async close(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    const port = this.port;
    if (!port) return;
    this.port = null;
    const deadline = Date.now() + 500;
    while (port.writableLength > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    const closed = await Promise.race([
      new Promise<boolean>((resolve) => port.close(() => resolve(true))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 1000)),
    ]);
    if (!closed) port.destroy();
  }
}
