// A serial device that may vanish at any time (USB unplugged, node reset): opened with an injected factory,
// reopened with capped backoff after a loss, and reported down once per outage. The links on top (node
// frames, VE.Direct blocks) only handle bytes and what "open" and "down" mean for them.
import type { Logger } from '../../log/logger.js';
import { errorMessage } from '../../log/logger.js';
import type { BackoffOptions } from './backoff.js';
import { Backoff } from './backoff.js';
import type { PortFactory, SerialPortLike } from './port.js';

export interface ReopeningPortOptions {
  path: string;
  baudRate: number;
  createPort: PortFactory;
  log: Logger;
  backoff?: BackoffOptions;
}

export interface ReopeningPortHooks {
  /** The device is open (first time or again); `port` is ready for writes. */
  opened(port: SerialPortLike): void;
  data(chunk: Buffer): void;
  /** The open device went away (before any `down`): drop state tied to that connection. */
  lost?(): void;
  /** The device is not available: reported once per outage, and on stop() if it was up. */
  down(detail: string): void;
}

type State = 'stopped' | 'opening' | 'up' | 'down';

export class ReopeningPort {
  readonly counts = { reconnects: 0, openFailures: 0 };
  private state: State = 'stopped';
  private current: SerialPortLike | null = null;
  private opening: Promise<void> | null = null;
  private cancelRetry: (() => void) | null = null;
  /** Last state reported to the hooks, so a device that stays away is reported once, not per attempt. */
  private reportedUp: boolean | null = null;
  private everOpened = false;
  private readonly backoff: Backoff;

  constructor(
    private readonly opts: ReopeningPortOptions,
    private readonly hooks: ReopeningPortHooks,
  ) {
    this.backoff = new Backoff(opts.backoff);
  }

  get up(): boolean {
    return this.state === 'up';
  }

  /** Between start() and stop(), whether or not the device is there. */
  get started(): boolean {
    return this.state !== 'stopped';
  }

  /** The open port, or null while the device is away. */
  get port(): SerialPortLike | null {
    return this.state === 'up' ? this.current : null;
  }

  /** Resolves after the first open attempt; if it failed, retries continue in the background. */
  async start(): Promise<void> {
    if (this.state !== 'stopped') return;
    this.state = 'down';
    await this.open();
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.state = 'stopped';
    this.cancelRetry?.();
    this.cancelRetry = null;
    // An open in flight closes its port itself once it sees the stopped state.
    await this.opening;
    const port = this.current;
    this.current = null;
    if (port) {
      port.removeAllListeners();
      port.on('error', () => {});
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    }
    this.reportDown('stopped');
  }

  /** stop() may change the state during an await; a getter keeps TS from narrowing across it. */
  private get stopped(): boolean {
    return this.state === 'stopped';
  }

  private open(): Promise<void> {
    const attempt = this.tryOpen().finally(() => {
      if (this.opening === attempt) this.opening = null;
    });
    this.opening = attempt;
    return attempt;
  }

  private async tryOpen(): Promise<void> {
    this.cancelRetry = null;
    if (this.state === 'stopped') return;
    this.state = 'opening';
    const { path, baudRate } = { path: this.opts.path, baudRate: this.opts.baudRate };
    let port: SerialPortLike | null = null;
    try {
      port = this.opts.createPort({ path, baudRate });
      // Attach before open: a port without an 'error' listener would throw from an emit.
      this.attach(port);
      const p = port;
      await new Promise<void>((resolve, reject) => p.open((err) => (err ? reject(err) : resolve())));
    } catch (err) {
      if (port) port.removeAllListeners().on('error', () => {});
      this.counts.openFailures++;
      if (this.stopped) return;
      this.state = 'down';
      const detail = `cannot open ${path}: ${errorMessage(err)}`;
      if (this.reportedUp !== false) this.opts.log.warn(detail);
      else this.opts.log.debug(detail);
      this.reportDown(detail);
      this.scheduleRetry();
      return;
    }
    if (this.stopped) {
      port.removeAllListeners().on('error', () => {});
      await new Promise<void>((resolve) => port.close(() => resolve()));
      return;
    }
    this.current = port;
    this.state = 'up';
    this.backoff.reset();
    if (this.everOpened) this.counts.reconnects++;
    this.everOpened = true;
    this.reportedUp = true;
    this.hooks.opened(port);
  }

  private attach(port: SerialPortLike): void {
    port.on('data', (chunk) => {
      if (this.current === port) this.hooks.data(chunk);
    });
    port.on('close', (err) => {
      if (this.current === port) this.onLost(port, err ? `device closed: ${err.message}` : 'device closed');
    });
    port.on('error', (err) => {
      // Errors while opening are reported through the open callback; these come later.
      this.opts.log.warn('device error', { path: this.opts.path, error: err.message });
      if (this.current === port && !port.isOpen) this.onLost(port, `device error: ${err.message}`);
    });
  }

  private onLost(port: SerialPortLike, detail: string): void {
    if (this.state === 'stopped') return;
    this.current = null;
    port.removeAllListeners().on('error', () => {});
    if (port.isOpen) port.close(() => {});
    this.state = 'down';
    this.opts.log.warn('device lost', { path: this.opts.path, detail });
    this.hooks.lost?.();
    this.reportDown(detail);
    this.scheduleRetry();
  }

  private reportDown(detail: string): void {
    if (this.reportedUp === false) return;
    this.reportedUp = false;
    this.hooks.down(detail);
  }

  private scheduleRetry(): void {
    if (this.state === 'stopped') return;
    const ms = this.backoff.next();
    this.opts.log.debug(() => `reopening ${this.opts.path} in ${ms} ms`);
    const h = setTimeout(() => void this.open(), ms);
    this.cancelRetry = () => clearTimeout(h);
  }
}
