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
import type { PortFactory, SerialPortLike } from './port.js';
import { nativePort } from './port.js';
import { ReopeningPort } from './reopening-port.js';

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

export class SerialNodeLink implements NodeLink {
  readonly name: string;
  readonly path: string;
  readonly baudRate: number;
  private readonly log: Logger;
  private readonly clock: Clock;
  private readonly maxQueued: number;
  private readonly bus: EventBus<LinkEvents>;
  private readonly device: ReopeningPort;
  private parser: FrameParser;
  /** Stats of parsers replaced after a disconnect. */
  private readonly pastFrames: FrameStats = { frames: 0, corrupt: 0, oversize: 0, noiseBytes: 0 };
  /** Nodes ever seen here: where send() routes. */
  private readonly known = new Set<string>();
  /** Nodes heard since the device was last opened. */
  private readonly online = new Set<string>();
  private queue: Buffer[] = [];
  private readonly counts = { messages: 0, rejected: 0, sent: 0, queueDrops: 0 };

  constructor(opts: SerialNodeLinkOptions) {
    this.path = opts.path;
    this.baudRate = opts.baudRate ?? DEFAULT_BAUD_RATE;
    this.name = opts.name ?? `serial:${opts.path}`;
    this.log = opts.log ?? createLogger('gw:serial');
    this.clock = opts.clock ?? new SystemClock();
    this.maxQueued = opts.maxQueued ?? DEFAULT_MAX_QUEUED;
    this.bus = new EventBus<LinkEvents>(this.log);
    this.parser = this.newParser();
    this.device = new ReopeningPort(
      { path: this.path, baudRate: this.baudRate, createPort: opts.createPort ?? nativePort, log: this.log, ...(opts.backoff ? { backoff: opts.backoff } : {}) },
      {
        opened: (port) => this.opened(port),
        data: (chunk) => this.onData(chunk),
        // A frame cut off by the disconnect must not be glued to the first bytes after the reopen.
        lost: () => this.retireParser(),
        down: (detail) => this.markDown(detail),
      },
    );
  }

  on<K extends keyof LinkEvents>(event: K, fn: (payload: LinkEvents[K]) => void): () => void {
    return this.bus.on(event, fn);
  }

  /** Resolves after the first open attempt; if it failed, retries continue in the background. */
  start(): Promise<void> {
    return this.device.start();
  }

  async stop(): Promise<void> {
    await this.device.stop();
    this.queue = [];
  }

  /**
   * Closes the device for another program (a firmware upload through the espruino CLI) without forgetting
   * anything: frames sent meanwhile (acks, commands) wait in the queue and go out on resume(), and the
   * nodes heard here stay routable. The nodes are reported offline, as for an unplugged device.
   */
  async release(): Promise<void> {
    if (!this.device.started) return;
    await this.device.stop();
    // A frame cut off by the close must not be glued to the first bytes after the reopen.
    this.retireParser();
  }

  /** Reopens after release(); resolves after the first open attempt (retries continue with backoff). */
  resume(): Promise<void> {
    return this.device.start();
  }

  /** Whether the device is released or stopped (not held by this link). */
  get released(): boolean {
    return !this.device.started;
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
    const port = this.device.port;
    if (port) {
      this.write(port, frame);
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
      ...this.device.counts,
      queued: this.queue.length,
      up: this.device.up,
      nodes: [...this.known].sort(),
    };
  }

  private opened(port: SerialPortLike): void {
    this.log.info('device open', { path: this.path, baudRate: this.baudRate, queued: this.queue.length });
    this.bus.emit('status', { link: this.name, up: true });
    const queued = this.queue;
    this.queue = [];
    for (const frame of queued) this.write(port, frame);
  }

  /** Reports the transport down and every node heard on it offline. */
  private markDown(detail: string): void {
    for (const node of this.online) this.bus.emit('availability', { link: this.name, node, online: false });
    this.online.clear();
    this.bus.emit('status', { link: this.name, up: false, detail });
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
