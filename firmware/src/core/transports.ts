// The two transports of the one protocol: framed JSON over USB serial, and MQTT over Wi-Fi with
// reconnection (Espruino's Wifi.connect gives up after a few tries, so we retry with backoff).
import type { Platform } from '../platform/espruino.js';
import { encodeFrame, FrameReader } from './frame.js';
import { MqttClient } from './mqtt.js';
import type { Transport } from './uplink.js';

const TOPIC_ROOT = 'noodsteun/node/';

export class SerialTransport implements Transport {
  readonly name = 'serial';
  private readonly reader: FrameReader;
  /** Set once the UART was handed to the REPL: no frames in or out until the next boot. */
  stopped = false;

  constructor(
    private readonly p: Platform,
    onText: (text: string) => void,
  ) {
    this.reader = new FrameReader(p.E.CRC32);
    p.usb.on('data', (d: string) => {
      const bodies = this.reader.push(d);
      for (const b of bodies) onText(b);
    });
  }

  isUp(): boolean {
    return !this.stopped;
  }

  send(json: string): void {
    if (!this.stopped) this.p.usb.write(encodeFrame(json, this.p.E.CRC32));
  }

  /** Leaves the UART to the REPL: a heartbeat or resend written now would corrupt the espruino CLI's session. */
  stop(): void {
    this.stopped = true;
    this.p.usb.removeAllListeners('data');
  }

  get badFrames(): number {
    return this.reader.bad;
  }
}

export interface WifiMqttOptions {
  node: string;
  ssid: string;
  pass: string;
  host: string;
  port: number;
  user: string;
  password: string;
}

/** Backoff for reconnects: 2 s doubling to 32 s, with jitter so a point's nodes do not retry in step. */
export function backoffMs(attempt: number, rand: number): number {
  const base = 2000 * Math.pow(2, Math.min(attempt, 4));
  return Math.floor(base * (0.75 + rand * 0.5));
}

export class MqttTransport implements Transport {
  readonly name = 'mqtt';
  readonly client: MqttClient;
  wifiUp = false;
  private attempt = 0;
  private timer = -1;
  /** Connections lost since boot, for diagnostics and tests. */
  drops = 0;
  /** Called once the broker accepted us: a good moment for a heartbeat and resends. */
  onUp: () => void = () => undefined;

  constructor(
    private readonly p: Platform,
    private readonly o: WifiMqttOptions,
    onText: (text: string) => void,
  ) {
    this.client = new MqttClient(
      p.net,
      {
        host: o.host,
        port: o.port,
        clientId: o.node,
        username: o.user,
        password: o.password,
        keepAlive: 30,
        willTopic: TOPIC_ROOT + o.node + '/state',
        willPayload: 'offline',
      },
      p.now,
    );
    this.client.onMessage = (_topic, payload) => onText(payload);
    this.client.onConnect = () => {
      this.attempt = 0;
      this.client.subscribe(TOPIC_ROOT + o.node + '/down');
    };
    // Birth and resends only once acks can come back (aedes also drops a retained publish that
    // races a subscription of the same client).
    this.client.onSubscribed = () => {
      this.client.publish(TOPIC_ROOT + o.node + '/state', 'online', true);
      this.onUp();
    };
    this.client.onClose = () => {
      this.drops++;
      this.retry();
    };
    p.wifi.on('disconnected', () => {
      this.wifiUp = false;
      this.client.disconnect();
    });
  }

  start(): void {
    this.joinWifi();
  }

  isUp(): boolean {
    return this.client.connected;
  }

  send(json: string): void {
    this.client.publish(TOPIC_ROOT + this.o.node + '/up', json, false);
  }

  tick(): void {
    this.client.tick();
  }

  private joinWifi(): void {
    this.timer = -1;
    this.p.wifi.connect(this.o.ssid, { password: this.o.pass }, (err: unknown) => {
      if (err) {
        this.wifiUp = false;
        this.retry();
        return;
      }
      this.wifiUp = true;
      this.client.connect();
    });
  }

  private retry(): void {
    if (this.timer >= 0) return;
    const wait = backoffMs(this.attempt++, Math.random());
    this.timer = this.p.setTimeout(() => {
      this.timer = -1;
      if (this.wifiUp) this.client.connect();
      else this.joinWifi();
    }, wait);
  }
}
