// Line-based AT transport: one command in flight (RUI3 asks the host to wait for each reply), a
// deadline per command, and `+EVT:` lines handed to the event sink whenever they arrive, even in
// the middle of a command's reply.
import type { Clock } from '../../../core/clock.js';
import type { Logger } from '../../../log/logger.js';
import type { SerialPortLike } from '../../../links/serial/port.js';
import { EVENT_PREFIX } from './events.js';

/** Final status lines of RUI3 (and the duty-cycle code some firmware prints, in both spellings). */
const STATUS = /^(OK|AT_ERROR|AT_PARAM_ERROR|AT_BUSY_ERROR|AT_TEST_PARAM_OVERFLOW|AT_NO_CLASSB_ENABLE|AT_NO_NETWORK_JOINED|AT_RX_ERROR|AT_MODE_NO_SUPPORT|AT_DUTYCYC?LE_RESTRICTED|AT_CRYPTO_ERROR|AT_COMMAND_NOT_FOUND)$/;

/** Longest line kept; anything longer is noise (a valid reply is < 600 characters). */
const MAX_LINE = 1024;

export class AtStatusError extends Error {
  override name = 'AtStatusError';
  constructor(
    readonly command: string,
    readonly status: string,
  ) {
    super(`${command} → ${status}`);
  }
}

export class AtTimeoutError extends Error {
  override name = 'AtTimeoutError';
  constructor(
    readonly command: string,
    readonly timeoutMs: number,
  ) {
    super(`${command}: no reply within ${timeoutMs} ms`);
  }
}

export class AtClosedError extends Error {
  override name = 'AtClosedError';
}

export interface AtReply {
  /** Value lines before the status (e.g. `AT+DR=3` or `3` for `AT+DR=?`). */
  lines: string[];
}

interface Pending {
  command: string;
  timeoutMs: number;
  /** No status line expected (ATZ): resolves once written. */
  noReply: boolean;
  resolve: (r: AtReply) => void;
  reject: (err: Error) => void;
}

interface InFlight extends Pending {
  lines: string[];
  cancelTimer: () => void;
}

export interface AtTransportOptions {
  clock: Clock;
  log: Logger;
  onEvent: (line: string) => void;
}

export class AtTransport {
  private buffer = '';
  private queue: Pending[] = [];
  private current: InFlight | null = null;
  private closed = false;

  constructor(
    private readonly port: SerialPortLike,
    private readonly opts: AtTransportOptions,
  ) {}

  /** Call with every chunk the port delivers. */
  push(chunk: Buffer): void {
    this.buffer += chunk.toString('latin1');
    for (;;) {
      const nl = this.buffer.indexOf('\n');
      if (nl < 0) break;
      const line = this.buffer.slice(0, nl).replace(/\r/g, '').trim();
      this.buffer = this.buffer.slice(nl + 1);
      if (line) this.onLine(line);
    }
    if (this.buffer.length > MAX_LINE) {
      this.opts.log.debug(() => `dropping ${this.buffer.length} bytes without a line end`);
      this.buffer = '';
    }
  }

  command(command: string, timeoutMs: number, opts: { noReply?: boolean } = {}): Promise<AtReply> {
    if (this.closed) return Promise.reject(new AtClosedError(`${command}: transport closed`));
    return new Promise<AtReply>((resolve, reject) => {
      this.queue.push({ command, timeoutMs, noReply: opts.noReply ?? false, resolve, reject });
      this.next();
    });
  }

  /** Rejects everything pending; later commands reject at once. */
  close(): void {
    this.closed = true;
    const err = new AtClosedError('transport closed');
    this.current?.cancelTimer();
    this.current?.reject(err);
    this.current = null;
    for (const p of this.queue.splice(0)) p.reject(err);
  }

  get busy(): boolean {
    return this.current !== null;
  }

  private next(): void {
    if (this.current || this.closed) return;
    const p = this.queue.shift();
    if (!p) return;
    const inFlight: InFlight = {
      ...p,
      lines: [],
      cancelTimer: this.opts.clock.setTimeout(() => this.settle(inFlight, new AtTimeoutError(p.command, p.timeoutMs)), p.timeoutMs),
    };
    this.current = inFlight;
    this.opts.log.debug(() => `> ${p.command}`);
    this.port.write(Buffer.from(`${p.command}\r\n`, 'latin1'), (err) => {
      if (err) this.settle(inFlight, new AtClosedError(`${p.command}: write failed: ${err.message}`, { cause: err }));
      else if (p.noReply) this.settle(inFlight, { lines: [] });
    });
  }

  private settle(p: InFlight, result: AtReply | Error): void {
    if (this.current !== p) return;
    p.cancelTimer();
    this.current = null;
    if (result instanceof Error) p.reject(result);
    else p.resolve(result);
    this.next();
  }

  private onLine(line: string): void {
    this.opts.log.debug(() => `< ${line}`);
    if (line.startsWith(EVENT_PREFIX)) {
      this.opts.onEvent(line);
      return;
    }
    const p = this.current;
    if (!p || p.noReply) return; // boot banner, late replies after a timeout
    if (line === p.command) return; // echo (RUI3 echoes when ATE is on)
    if (STATUS.test(line)) {
      this.settle(p, line === 'OK' ? { lines: p.lines } : new AtStatusError(p.command, line));
      return;
    }
    p.lines.push(line);
  }
}
