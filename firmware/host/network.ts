// Wi-Fi and `net` for the host runtime. The world decides whether the access point is up and how a
// TCP connection is made (`dial`, e.g. to an in-process aedes broker on loopback); sockets carry
// byte strings like Espruino's.
import type { Duplex } from 'node:stream';
import type { HostClock } from './clock.js';

type Listener = (...args: unknown[]) => void;

class Emitter {
  private readonly listeners = new Map<string, Listener[]>();
  on(event: string, cb: Listener): void {
    const list = this.listeners.get(event) ?? [];
    list.push(cb);
    this.listeners.set(event, list);
  }
  emit(event: string, ...args: unknown[]): void {
    for (const l of [...(this.listeners.get(event) ?? [])]) l(...args);
  }
  removeAllListeners(): void {
    this.listeners.clear();
  }
}

export class HostWifi extends Emitter {
  /** World side: is the access point reachable? */
  apUp = true;
  /** World side: the network's name and passphrase; null accepts any. */
  ssid: string | null = null;
  password: string | null = null;
  connected = false;
  connectAttempts = 0;
  /** How long an association takes, ms. */
  joinMs = 1500;

  constructor(
    private readonly clock: HostClock,
    private readonly onDown: () => void,
  ) {
    super();
  }

  connect(ssid: string, options: { password?: string } | undefined, cb?: (err: string | null) => void): void {
    this.connectAttempts++;
    this.clock.setTimeout(() => {
      const ok = this.apUp && (this.ssid === null || this.ssid === ssid) && (this.password === null || this.password === options?.password);
      this.connected = ok;
      if (ok) this.emit('connected', { ip: '192.168.4.2' });
      cb?.(ok ? null : 'Wifi connect failed');
    }, this.joinMs);
  }

  disconnect(cb?: () => void): void {
    this.connected = false;
    this.onDown();
    if (cb) this.clock.setTimeout(cb, 0);
  }

  getDetails(cb?: (d: unknown) => void): unknown {
    const d = { status: this.connected ? 'connected' : 'off', rssi: this.connected ? -60 : undefined };
    cb?.(d);
    return d;
  }

  /** World side: the access point goes away or comes back. */
  setAccessPoint(up: boolean): void {
    this.apUp = up;
    if (!up && this.connected) {
      this.connected = false;
      this.onDown();
      this.clock.setTimeout(() => this.emit('disconnected', { reason: 'beacon timeout' }), 0);
    }
  }
}

export class HostSocket extends Emitter {
  private closed = false;

  constructor(
    private readonly net: HostNet,
    private readonly stream: Duplex | null,
  ) {
    super();
  }

  write(data: string): void {
    if (this.closed || this.stream === null || this.net.blackhole) return;
    this.stream.write(Buffer.from(data, 'latin1'));
  }

  end(): void {
    if (this.stream !== null) this.stream.destroy();
    this.close();
  }

  /** Delivers data from the wire unless the network is blackholed. */
  deliver(chunk: Buffer): void {
    if (!this.closed && !this.net.blackhole) this.emit('data', chunk.toString('latin1'));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.net.forget(this);
    this.emit('close', false);
  }
}

export type Dialer = (host: string, port: number) => Duplex | null;

export class HostNet {
  readonly sockets = new Set<HostSocket>();
  /** World side: packets silently vanish both ways (a half-open TCP connection). */
  blackhole = false;
  dials = 0;

  constructor(
    private readonly clock: HostClock,
    private readonly wifiUp: () => boolean,
    /** World side: how a TCP connection is made; null refuses it. */
    public dial: Dialer = () => null,
  ) {}

  connect(options: { host: string; port: number }, onConnect?: () => void): HostSocket {
    this.dials++;
    const stream = this.wifiUp() ? this.dial(options.host, options.port) : null;
    const sock = new HostSocket(this, stream);
    if (stream === null) {
      this.clock.setTimeout(() => {
        sock.emit('error', { type: -1, message: 'connection refused' });
        sock.close();
      }, 10);
      return sock;
    }
    this.sockets.add(sock);
    stream.on('data', (d: Buffer) => sock.deliver(d));
    stream.on('error', () => sock.close());
    stream.on('close', () => sock.close());
    const connecting = (stream as Duplex & { connecting?: boolean }).connecting === true;
    if (connecting) stream.once('connect', () => onConnect?.());
    else if (onConnect) this.clock.setTimeout(onConnect, 0);
    return sock;
  }

  forget(sock: HostSocket): void {
    this.sockets.delete(sock);
  }

  /** Closes every connection (Wi-Fi lost, broker gone, reboot). */
  dropAll(): void {
    for (const s of [...this.sockets]) s.end();
  }
}
