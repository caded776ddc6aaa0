// One USB serial device with one or more nodes behind it. Bytes → FrameParser → JSON → schema;
// anything that fails becomes a `rejected` event, never an exception. The device may vanish at
// any time (USB unplugged, node reset): report it down and keep reopening with backoff.
import type { LinkEvents, NodeLink } from '../link.js';
import type { DownlinkMessage, FrameRejection, FrameStats, Message } from '../../protocol/index.js';
import { FrameParser, encodeFrame, encodeMessage, isUplink, parseMessage } from '../../protocol/index.js';
import { EventBus } from '../../core/bus.js';
import type { Clock } from '../../core/clock.js';
import { SystemClock } from '../../core/clock.js';
import type { Logger } from '../../log/logger.js';
import { createLogger, errorMessage } from '../../log/logger.js';
import type { BackoffOptions } from './backoff.js';
import { Backoff } from './backoff.js';
import type { PortFactory, SerialPortLike } from './port.js';
import { nativePort } from './port.js';

export const DEFAULT_BAUD_RATE = 115_200;
export const DEFAULT_MAX_QUEUED = 64;

export interface SerialNodeLinkOptions {
  /** Device path, e.g. /dev/ttyUSB0 or a /dev/serial/by-id/… link (stable across replugs). */
  path: string;
  baudRate?: number;
  /** Builds the port; defaults to the native serialport binding. Tests pass SerialPortMock. */
  createPort?: PortFactory;
  log?: Logger;
  /** Source of `receivedAt`; reopen delays always run in wall time. */
  clock?: Clock;
  backoff?: BackoffOptions;
  /** Frames kept for known nodes while the device is down; the oldest is dropped beyond this. */
  maxQueued?: number;
  /** Link name in events; defaults to `serial:<path>`. */
  name?: string;
}

/** Why a frame or message was refused (the `reason` of a `rejected` event). */
export type SerialRejectReason = FrameRejection['reason'] | 'json' | 'schema' | 'direction';

export interface SerialLinkStats extends FrameStats {
  /** Valid uplink messages emitted. */
  messages: number;
  /** `rejected` events emitted (corrupt, oversize, json, schema, direction). */
  rejected: number;
  /** Successful opens after the first one. */
  reconnects: number;
  openFailures: number;
  /** Frames handed to the device. */
  sent: number;
  /** Frames waiting for the device to come back. */
  queued: number;
  /** Queued frames dropped because the queue was full. */
  queueDrops: number;
  up: boolean;
  /** Node ids seen on this device. */
  nodes: string[];
}

type State = 'stopped' | 'opening' | 'up' | 'down';

export class SerialNodeLink implements NodeLink {
  readonly name: string;
  readonly path: string;
  readonly baudRate: number;
  private readonly createPort: PortFactory;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly backoff: Backoff;
  private readonly maxQueued: number;
  private readonly bus: EventBus<LinkEvents>;

  private state: State = 'stopped';
  private port: SerialPortLike | null = null;
  private opening: Promise<void> | null = null;
  private cancelRetry: (() => void) | null = null;
  /** Last `status.up` reported, so a device that stays away is reported once, not per attempt. */
  private reportedUp: boolean | null = null;
  private everOpened = false;
  private parser: FrameParser;
  /** Stats of parsers replaced after a disconnect. */
  private readonly pastFrames: FrameStats = { frames: 0, corrupt: 0, oversize: 0, noiseBytes: 0 };
  /** Nodes ever seen here: where send() routes. */
  private readonly known = new Set<string>();
  /** Nodes heard since the device was last opened. */
  private readonly online = new Set<string>();
  private queue: Buffer[] = [];
  private readonly counts = { messages: 0, rejected: 0, reconnects: 0, openFailures: 0, sent: 0, queueDrops: 0 };

  constructor(opts: SerialNodeLinkOptions) {
    this.path = opts.path;
    this.baudRate = opts.baudRate ?? DEFAULT_BAUD_RATE;
    this.name = opts.name ?? `serial:${opts.path}`;
    this.createPort = opts.createPort ?? nativePort;
    this.log = opts.log ?? createLogger('gw:serial');
    this.clock = opts.clock ?? new SystemClock();
    this.backoff = new Backoff(opts.backoff);
    this.maxQueued = opts.maxQueued ?? DEFAULT_MAX_QUEUED;
    this.bus = new EventBus<LinkEvents>(this.log);
    this.parser = this.newParser();
  }

  on<K extends keyof LinkEvents>(event: K, fn: (payload: LinkEvents[K]) => void): () => void {
    return this.bus.on(event, fn);
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
    const port = this.port;
    this.port = null;
    if (port) {
      port.removeAllListeners();
      port.on('error', () => {});
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    }
    this.markDown('stopped');
    this.queue = [];
  }

  send(msg: DownlinkMessage): boolean {
    if (!this.known.has(msg.node)) return false;
    let frame: Buffer;
    try {
      frame = Buffer.from(encodeFrame(encodeMessage(msg)), 'utf8');
    } catch (err) {
      this.log.error('cannot frame downlink', { node: msg.node, type: msg.type, error: errorMessage(err) });
      return false;
    }
    if (this.state === 'up' && this.port) {
      this.write(this.port, frame);
    } else {
      this.queue.push(frame);
      if (this.queue.length > this.maxQueued) {
        this.queue.shift();
        this.counts.queueDrops++;
        this.log.debug(() => `write queue full, dropped oldest frame (${this.counts.queueDrops} so far)`);
      }
    }
    return true;
  }

  get stats(): SerialLinkStats {
    const p = this.parser.stats;
    const f = this.pastFrames;
    return {
      frames: f.frames + p.frames,
      corrupt: f.corrupt + p.corrupt,
      oversize: f.oversize + p.oversize,
      noiseBytes: f.noiseBytes + p.noiseBytes,
      ...this.counts,
      queued: this.queue.length,
      up: this.state === 'up',
      nodes: [...this.known].sort(),
    };
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
    let port: SerialPortLike | null = null;
    try {
      port = this.createPort({ path: this.path, baudRate: this.baudRate });
      // Attach before open: a port without an 'error' listener would throw from an emit.
      this.attach(port);
      const p = port;
      await new Promise<void>((resolve, reject) => p.open((err) => (err ? reject(err) : resolve())));
    } catch (err) {
      if (port) port.removeAllListeners().on('error', () => {});
      this.counts.openFailures++;
      if (this.stopped) return;
      this.state = 'down';
      const detail = `cannot open ${this.path}: ${errorMessage(err)}`;
      if (this.reportedUp !== false) this.log.warn(detail);
      else this.log.debug(detail);
      this.markDown(detail);
      this.scheduleRetry();
      return;
    }
    if (this.stopped) {
      port.removeAllListeners().on('error', () => {});
      await new Promise<void>((resolve) => port.close(() => resolve()));
      return;
    }
    this.port = port;
    this.state = 'up';
    this.backoff.reset();
    if (this.everOpened) this.counts.reconnects++;
    this.everOpened = true;
    this.log.info('device open', { path: this.path, baudRate: this.baudRate, queued: this.queue.length });
    this.reportedUp = true;
    this.bus.emit('status', { link: this.name, up: true });
    const queued = this.queue;
    this.queue = [];
    for (const frame of queued) this.write(port, frame);
  }

  private attach(port: SerialPortLike): void {
    port.on('data', (chunk) => {
      if (this.port === port) this.onData(chunk);
    });
    port.on('close', (err) => {
      if (this.port === port) this.onLost(port, err ? `device closed: ${err.message}` : 'device closed');
    });
    port.on('error', (err) => {
      // Errors while opening are reported through the open callback; these come later.
      this.log.warn('device error', { path: this.path, error: err.message });
      if (this.port === port && !port.isOpen) this.onLost(port, `device error: ${err.message}`);
    });
  }

  private onLost(port: SerialPortLike, detail: string): void {
    if (this.state === 'stopped') return;
    this.port = null;
    port.removeAllListeners().on('error', () => {});
    if (port.isOpen) port.close(() => {});
    this.state = 'down';
    this.log.warn('device lost', { path: this.path, detail });
    // A frame cut off by the disconnect must not be glued to the first bytes after the reopen.
    this.retireParser();
    this.markDown(detail);
    this.scheduleRetry();
  }

  /** Reports the transport down once and every node heard on it offline. */
  private markDown(detail: string): void {
    for (const node of this.online) this.bus.emit('availability', { link: this.name, node, online: false });
    this.online.clear();
    if (this.reportedUp === false) return;
    this.reportedUp = false;
    this.bus.emit('status', { link: this.name, up: false, detail });
  }

  private scheduleRetry(): void {
    if (this.state === 'stopped') return;
    const ms = this.backoff.next();
    this.log.debug(() => `reopening ${this.path} in ${ms} ms`);
    const h = setTimeout(() => void this.open(), ms);
    this.cancelRetry = () => clearTimeout(h);
  }

  private write(port: SerialPortLike, frame: Buffer): void {
    this.counts.sent++;
    port.write(frame, (err) => {
      // A failed write closes the port (serialport treats it as a disconnect); the node retransmits
      // or the command times out, so the frame is not queued again.
      if (err) this.log.warn('write failed', { path: this.path, error: err.message });
    });
  }

  private onData(chunk: Buffer): void {
    try {
      for (const body of this.parser.push(chunk)) this.onBody(body);
    } catch (err) {
      // Nothing above should throw; if it does, losing one chunk beats killing the process.
      this.log.error('data handler failed', { path: this.path, error: errorMessage(err) });
    }
  }

  private onBody(body: string): void {
    let value: unknown;
    try {
      value = JSON.parse(body);
    } catch (err) {
      this.reject('json', `malformed JSON: ${errorMessage(err)}`);
      return;
    }
    let msg: Message;
    try {
      msg = parseMessage(value);
    } catch (err) {
      this.reject('schema', errorMessage(err), claimedNode(value));
      return;
    }
    if (!isUplink(msg)) {
      this.reject('direction', `a node may not send '${msg.type}'`, msg.node);
      return;
    }
    this.known.add(msg.node);
    if (!this.online.has(msg.node)) {
      this.online.add(msg.node);
      this.log.info('node heard', { node: msg.node, path: this.path });
      this.bus.emit('availability', { link: this.name, node: msg.node, online: true });
    }
    this.counts.messages++;
    this.bus.emit('message', { msg, link: this.name, receivedAt: this.clock.now() });
  }

  private reject(reason: SerialRejectReason, detail: string, node?: string): void {
    this.counts.rejected++;
    this.log.debug(() => `rejected (${reason}): ${detail}`, node ? { node } : undefined);
    this.bus.emit('rejected', { link: this.name, reason, detail, ...(node ? { node } : {}) });
  }

  private newParser(): FrameParser {
    return new FrameParser((r) => this.reject(r.reason, r.detail));
  }

  private retireParser(): void {
    const s = this.parser.stats;
    this.pastFrames.frames += s.frames;
    this.pastFrames.corrupt += s.corrupt;
    this.pastFrames.oversize += s.oversize;
    this.pastFrames.noiseBytes += s.noiseBytes;
    this.parser = this.newParser();
  }
}

/** The node id a refused message claims, if it has a plausible one, for diagnostics. */
function claimedNode(value: unknown): string | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const node = (value as { node?: unknown }).node;
  return typeof node === 'string' && node.length <= 32 ? node : undefined;
}
