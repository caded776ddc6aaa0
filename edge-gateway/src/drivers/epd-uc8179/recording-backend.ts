// A bus that records what would be sent to the panel: each SPI transfer with the DC level it went
// out under. Used by the driver tests and by `noodsteun board render --trace`.
import { MAX_TRANSFER, type EpdGpio, type SpiBus } from './bus.js';

export interface Transfer {
  dc: 0 | 1;
  bytes: Uint8Array;
}

export class TransferTooLargeError extends Error {
  override name = 'TransferTooLargeError';
}

export interface RecordingOptions {
  /** BUSY reads low (busy) this many times after each refresh/power command; default 0. */
  busyReads?: number;
  /** BUSY never releases: for timeout tests. */
  stuckBusy?: boolean;
}

export class RecordingBackend implements SpiBus, EpdGpio {
  readonly transfers: Transfer[] = [];
  readonly resets: Array<0 | 1> = [];
  private dc: 0 | 1 = 0;
  private pendingBusy = 0;
  constructor(private readonly opts: RecordingOptions = {}) {}

  async write(bytes: Uint8Array): Promise<void> {
    if (bytes.length > MAX_TRANSFER) throw new TransferTooLargeError(`transfer of ${bytes.length} bytes exceeds ${MAX_TRANSFER}`);
    this.transfers.push({ dc: this.dc, bytes: Uint8Array.from(bytes) });
    // Commands after which a real panel pulls BUSY low: power on/off and display refresh.
    if (this.dc === 0 && (bytes[0] === 0x04 || bytes[0] === 0x02 || bytes[0] === 0x12)) this.pendingBusy = this.opts.busyReads ?? 0;
  }
  async setDc(level: 0 | 1): Promise<void> {
    this.dc = level;
  }
  async setReset(level: 0 | 1): Promise<void> {
    this.resets.push(level);
  }
  async readBusy(): Promise<0 | 1> {
    if (this.opts.stuckBusy) return 0;
    if (this.pendingBusy > 0) {
      this.pendingBusy--;
      return 0;
    }
    return 1;
  }

  /** Command bytes in order, for quick assertions. */
  commands(): number[] {
    return this.transfers.filter((t) => t.dc === 0).map((t) => t.bytes[0] ?? -1);
  }

  /** All data bytes that followed the n-th occurrence of a command, across chunked transfers. */
  dataAfter(cmd: number, occurrence = 0): Uint8Array {
    let seen = -1;
    const parts: Uint8Array[] = [];
    let collecting = false;
    for (const t of this.transfers) {
      if (t.dc === 0) {
        if (collecting) break;
        if (t.bytes[0] === cmd && ++seen === occurrence) collecting = true;
      } else if (collecting) parts.push(t.bytes);
    }
    return Uint8Array.from(parts.flatMap((p) => [...p]));
  }

  /** One JSON line per transfer: {"dc":0,"bytes":"12"}. */
  toJsonLines(): string {
    return this.transfers.map((t) => JSON.stringify({ dc: t.dc, bytes: Buffer.from(t.bytes).toString('hex') })).join('\n') + '\n';
  }
}
