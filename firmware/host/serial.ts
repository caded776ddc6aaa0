// A UART as the firmware sees it (setup/write/on('data')) with a world side: output listeners and
// inject() for bytes arriving from the other end. Strings are byte strings (latin1), as on Espruino.
import type { HostClock } from './clock.js';

export class HostSerial {
  baud = 0;
  options: unknown = null;
  private readonly firmwareListeners: Array<(data: string) => void> = [];
  private readonly worldListeners: Array<(data: string) => void> = [];
  /** Everything the firmware wrote, for assertions. */
  written = '';
  /**
   * Set while this UART is the console: what arrives goes to the REPL, not to the firmware's `data`
   * handlers (Espruino's jsiIdle hands console-device input to the REPL only).
   */
  repl: ((data: string) => void) | null = null;

  constructor(
    readonly name: string,
    private readonly clock: HostClock,
  ) {}

  setup(baud: number, options?: unknown): void {
    this.baud = baud;
    this.options = options ?? null;
  }

  write(data: string | number | number[]): void {
    const s = typeof data === 'string' ? data : typeof data === 'number' ? String.fromCharCode(data) : String.fromCharCode(...data);
    this.written += s;
    for (const l of this.worldListeners) l(s);
  }

  print(data: string): void {
    this.write(data);
  }

  println(data: string): void {
    this.write(data + '\r\n');
  }

  on(event: string, cb: (data: string) => void): void {
    if (event === 'data') this.firmwareListeners.push(cb);
  }

  removeAllListeners(event?: string): void {
    if (event === undefined || event === 'data') this.firmwareListeners.length = 0;
  }

  /** Firmware `data` handlers attached now (for assertions). */
  get dataHandlers(): number {
    return this.firmwareListeners.length;
  }

  /** World side: listen to what the firmware writes. Returns an unsubscribe function. */
  onOutput(cb: (data: string) => void): () => void {
    this.worldListeners.push(cb);
    return () => {
      const i = this.worldListeners.indexOf(cb);
      if (i >= 0) this.worldListeners.splice(i, 1);
    };
  }

  /** World side: bytes arriving at the firmware; delivered from the event loop like Espruino's. */
  inject(data: string): void {
    this.clock.setTimeout(() => {
      if (this.repl !== null) this.repl(data);
      else for (const l of [...this.firmwareListeners]) l(data);
    }, 0);
  }

  /** A reboot drops the firmware's listeners; the wire (world side) stays. */
  resetFirmwareSide(): void {
    this.firmwareListeners.length = 0;
    this.baud = 0;
  }
}
