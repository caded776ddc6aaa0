// What every node shares: configuration, boot counter, the uplink over serial and/or MQTT,
// heartbeat, command dispatch and a watchdog that is only kicked while the node is healthy.
import type { Platform } from '../platform/espruino.js';
import { Config, COMMON_DEFAULTS, nextBoot, REBOOT_KEYS } from './config.js';
import type { ConfigValues } from './config.js';
import { MqttTransport, SerialTransport } from './transports.js';
import { Uplink } from './uplink.js';
import type { Transport } from './uplink.js';

export const WATCHDOG_SEC = 20;
/** The node's own loop must report within this many seconds to count as healthy. */
export const STALL_SEC = 15;
/** Below this many free JsVars the node is considered unhealthy (a leak): let the watchdog reboot it. */
export const MIN_FREE_VARS = 150;
/** Time for the `console` result frame to leave the UART before the REPL takes the line. */
export const CONSOLE_DELAY_MS = 200;
/** Without an upload (whose reset clears this timer) the node reboots into its firmware after this long. */
export const CONSOLE_HOLD_SEC = 120;

/** A command handler answers null on success or a short error text. */
export type CommandHandler = (body: Record<string, unknown>) => string | null;

export class NodeCore {
  readonly cfg: Config;
  readonly boot: number;
  readonly uplink: Uplink;
  readonly serial: SerialTransport | null = null;
  readonly mqtt: MqttTransport | null = null;
  readonly handlers: Record<string, CommandHandler> = {};
  /** Called after a config change was stored, so calibration takes effect without a reboot. */
  onConfig: () => void = () => undefined;
  /** Conditions that hold now (e.g. SENSOR_FAULT); reported in every heartbeat while set. */
  private readonly conditions: string[] = [];
  /** Espruino error flags seen since the last heartbeat. */
  private espFlags: string[] = [];
  private aliveAt: number;

  constructor(
    readonly p: Platform,
    readonly kind: string,
    readonly fw: string,
    nodeDefaults: ConfigValues,
  ) {
    const defaults: ConfigValues = {};
    for (const k in COMMON_DEFAULTS) defaults[k] = COMMON_DEFAULTS[k] as string;
    for (const k in nodeDefaults) defaults[k] = nodeDefaults[k] as string;
    this.cfg = new Config(p.storage, defaults);
    this.boot = nextBoot(p.storage);
    this.aliveAt = p.now();
    const link = this.cfg.str('link');
    const transports: Transport[] = [];
    const onText = (t: string) => this.uplink.receive(t);
    if (link !== 'mqtt') {
      this.serial = new SerialTransport(p, onText);
      transports.push(this.serial);
    }
    if (link !== 'serial') {
      this.mqtt = new MqttTransport(
        p,
        {
          node: this.cfg.str('id'),
          ssid: this.cfg.str('ssid'),
          pass: this.cfg.str('pass'),
          host: this.cfg.str('mqttHost'),
          port: this.cfg.num('mqttPort'),
          user: this.cfg.str('mqttUser'),
          password: this.cfg.str('mqttPass'),
        },
        onText,
      );
      transports.push(this.mqtt);
    }
    this.uplink = new Uplink({ node: this.cfg.str('id'), boot: this.boot, now: p.now, ringSize: 24, retrySec: 40, burst: 4 } /* retry > the gateway's 30 s group commit */, transports);
    this.uplink.onCommand = (seq, body) => this.command(seq, body);
    this.handlers.ping = () => null;
    this.handlers.reboot = () => {
      this.p.setTimeout(() => this.p.E.reboot(), 500);
      return null;
    };
    this.handlers.config = (body) => this.configure(body);
    this.handlers.console = () => this.usbConsole();
  }

  start(): void {
    const p = this.p;
    p.E.on('errorFlag', (flags: string[]) => this.noteEspFlags(flags));
    if (this.mqtt !== null) {
      this.mqtt.onUp = () => {
        this.heartbeat();
        this.uplink.tick();
      };
      this.mqtt.start();
    }
    p.setInterval(() => {
      this.uplink.tick();
      if (this.mqtt !== null) this.mqtt.tick();
    }, 1000);
    p.setInterval(() => this.heartbeat(), this.cfg.num('hbSec') * 1000);
    p.E.enableWatchdog(WATCHDOG_SEC, false);
    p.setInterval(() => {
      if (this.healthy()) p.E.kickWatchdog();
    }, 5000);
    this.heartbeat();
  }

  /** The node's own periodic work calls this; a stalled loop stops the watchdog kicks. */
  alive(): void {
    this.aliveAt = this.p.now();
  }

  healthy(): boolean {
    return this.p.now() - this.aliveAt < STALL_SEC && this.p.memory().free > MIN_FREE_VARS;
  }

  setCondition(flag: string, on: boolean): void {
    const i = this.conditions.indexOf(flag);
    if (on && i < 0) this.conditions.push(flag);
    if (!on && i >= 0) this.conditions.splice(i, 1);
  }

  hasCondition(flag: string): boolean {
    return this.conditions.indexOf(flag) >= 0;
  }

  /** Telemetry: kept until the gateway acknowledges it. */
  report(type: string, body: unknown): number {
    return this.uplink.send(type, body, true);
  }

  heartbeat(): void {
    this.noteEspFlags(this.p.E.getErrorFlags());
    const flags = this.conditions.concat(this.espFlags);
    if (this.uplink.ring.dropped > 0) flags.push('RING_DROPPED');
    if (this.serial !== null && this.serial.badFrames > 0) flags.push('BAD_FRAMES');
    this.espFlags = [];
    this.uplink.send(
      'hb',
      {
        kind: this.kind,
        fw: this.fw,
        up: Math.floor(this.p.now()),
        mem: this.p.memory().free,
        flags: flags.slice(0, 16),
        link: this.uplink.activeLink(),
      },
      false,
    );
  }

  private noteEspFlags(flags: string[]): void {
    for (const f of flags) if (this.espFlags.indexOf(f) < 0) this.espFlags.push(f);
  }

  private command(seq: number, body: Record<string, unknown>): void {
    const op = String(body.op);
    const handler = this.handlers[op];
    let error: string | null;
    if (handler === undefined) error = 'unsupported op ' + op;
    else {
      try {
        error = handler(body);
      } catch (e) {
        error = 'failed: ' + String(e);
      }
    }
    const result: Record<string, unknown> = { cmd: seq, ok: error === null };
    if (error !== null) result.error = error.substring(0, 64);
    this.uplink.send('result', result, true);
  }

  /** `{op:'console'}`: answer first, then hand the USB UART to the REPL so the espruino CLI gets a prompt. */
  private usbConsole(): string | null {
    const serial = this.serial;
    if (serial === null) return 'no USB serial link (node on Wi-Fi)';
    this.p.setTimeout(() => {
      serial.stop();
      this.p.usbConsole();
      this.p.setTimeout(() => this.p.E.reboot(), CONSOLE_HOLD_SEC * 1000);
    }, CONSOLE_DELAY_MS);
    return null;
  }

  private configure(body: Record<string, unknown>): string | null {
    const set = body.set as ConfigValues;
    if (typeof set !== 'object' || set === null) return 'missing set';
    const bad = this.cfg.apply(set);
    if (bad !== null) return 'bad key ' + bad;
    this.onConfig();
    for (const k in set) {
      if (REBOOT_KEYS.indexOf(k) >= 0) {
        this.p.setTimeout(() => this.p.E.reboot(), 1000);
        break;
      }
    }
    return null;
  }
}
