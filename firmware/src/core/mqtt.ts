// Minimal MQTT 3.1.1 client over Espruino's `net` (QoS 0 only, like Espruino's own module, but with
// a last will so the gateway sees `offline`). Strings are byte strings, as Espruino sockets deliver them.
import type { NetModule, Socket } from '../platform/espruino.js';

export interface MqttOptions {
  host: string;
  port: number;
  clientId: string;
  username: string;
  password: string;
  /** Seconds. */
  keepAlive: number;
  willTopic: string;
  willPayload: string;
}

const CONNECT = 1;
const CONNACK = 2;
const PUBLISH = 3;
const SUBSCRIBE = 8;
const SUBACK = 9;
const PINGREQ = 12;
const DISCONNECT = 14;

function str(s: string): string {
  return String.fromCharCode(s.length >> 8, s.length & 255) + s;
}

export function packet(type: number, flags: number, body: string): string {
  let len = body.length;
  let head = String.fromCharCode((type << 4) | flags);
  do {
    let b = len & 127;
    len = len >> 7;
    if (len > 0) b = b | 128;
    head += String.fromCharCode(b);
  } while (len > 0);
  return head + body;
}

export class MqttClient {
  connected = false;
  private sock: Socket | null = null;
  private buf = '';
  /** Seconds of the last byte received, for the keep-alive check. */
  private heardAt = 0;
  onMessage: (topic: string, payload: string) => void = () => undefined;
  onConnect: () => void = () => undefined;
  /** The broker confirmed a subscription: downlinks can reach us from now on. */
  onSubscribed: () => void = () => undefined;
  onClose: () => void = () => undefined;

  constructor(
    private readonly net: NetModule,
    private readonly opts: MqttOptions,
    private readonly now: () => number,
  ) {}

  connect(): void {
    if (this.sock !== null) return;
    this.buf = '';
    const o = this.opts;
    const sock = this.net.connect({ host: o.host, port: o.port }, () => {
      // Flags: clean session, will (QoS 0, retained), user/password when set.
      let flags = 0x02 | 0x04 | 0x20;
      let payload = str(o.clientId) + str(o.willTopic) + str(o.willPayload);
      if (o.username !== '') {
        flags |= 0x80;
        payload += str(o.username);
        if (o.password !== '') {
          flags |= 0x40;
          payload += str(o.password);
        }
      }
      const body = str('MQTT') + String.fromCharCode(4, flags, o.keepAlive >> 8, o.keepAlive & 255) + payload;
      sock.write(packet(CONNECT, 0, body));
    });
    this.sock = sock;
    this.heardAt = this.now();
    sock.on('data', (d: string) => this.onData(d));
    sock.on('close', () => this.closed());
    sock.on('error', () => this.closed());
  }

  publish(topic: string, payload: string, retain: boolean): boolean {
    if (!this.connected || this.sock === null) return false;
    this.sock.write(packet(PUBLISH, retain ? 1 : 0, str(topic) + payload));
    return true;
  }

  subscribe(topic: string): void {
    if (this.sock === null) return;
    // Packet id 1; requested QoS 0.
    this.sock.write(packet(SUBSCRIBE, 2, String.fromCharCode(0, 1) + str(topic) + String.fromCharCode(0)));
  }

  /** Call every few seconds: pings the broker and drops a connection that went quiet. */
  tick(): void {
    if (this.sock === null) return;
    const quiet = this.now() - this.heardAt;
    // No CONNACK within 10 s, or a connection silent beyond 1.5 keep-alives: start over.
    if (quiet > (this.connected ? this.opts.keepAlive * 1.5 : 10)) {
      this.sock.end();
      this.closed();
    } else if (this.connected && quiet > this.opts.keepAlive / 2) {
      this.sock.write(packet(PINGREQ, 0, ''));
    }
  }

  disconnect(): void {
    if (this.sock === null) return;
    if (this.connected) this.sock.write(packet(DISCONNECT, 0, ''));
    this.sock.end();
    this.closed();
  }

  private closed(): void {
    if (this.sock === null) return;
    this.sock = null;
    this.connected = false;
    this.onClose();
  }

  private onData(d: string): void {
    this.heardAt = this.now();
    this.buf += d;
    for (;;) {
      // Decode the remaining length (1–4 bytes after the fixed header byte).
      let len = 0;
      let mul = 1;
      let i = 1;
      let complete = false;
      while (i < this.buf.length && i <= 4) {
        const b = this.buf.charCodeAt(i++);
        len += (b & 127) * mul;
        mul *= 128;
        if ((b & 128) === 0) {
          complete = true;
          break;
        }
      }
      if (!complete || this.buf.length < i + len) return;
      const type = this.buf.charCodeAt(0) >> 4;
      const qos = (this.buf.charCodeAt(0) >> 1) & 3;
      const body = this.buf.substring(i, i + len);
      this.buf = this.buf.substring(i + len);
      if (type === CONNACK) {
        if (body.charCodeAt(1) === 0) {
          this.connected = true;
          this.onConnect();
        } else {
          this.disconnect();
        }
      } else if (type === SUBACK) {
        this.onSubscribed();
      } else if (type === PUBLISH) {
        const tlen = (body.charCodeAt(0) << 8) | body.charCodeAt(1);
        const topic = body.substring(2, 2 + tlen);
        this.onMessage(topic, body.substring(2 + tlen + (qos > 0 ? 2 : 0)));
      }
    }
  }
}
