// A simulated node that runs the real firmware: the built bundle (firmware/dist/<kind>.js) in the
// Espruino host emulation on the simulation's clock, its pins and buses wired to the world, and its
// link to the gateway either the USB serial line (node end of a pty pair) or Wi-Fi + MQTT to the
// point's broker with the node's own credentials in its flash config.
import { createConnection } from 'node:net';
import { EspruinoHost } from '../../../../firmware/host/runtime.js';
import { HostStorage } from '../../../../firmware/host/storage.js';
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../log/logger.js';
import { silentLogger } from '../../log/logger.js';
import type { SimNodeKind } from '../nodes/app.js';
import type { SimNode } from '../nodes/protocol-node.js';
import type { NodeTransport } from '../nodes/transport.js';
import type { World } from '../world/world.js';
import { bundleVersion, readFirmwareBundle, withBundleVersion } from './bundles.js';
import { FirmwareSerialWire } from './serial-wire.js';
import type { BoardWiring } from './world-devices.js';
import { wireBoard } from './world-devices.js';

export type FirmwareLinkOptions =
  | { kind: 'serial'; /** Node end of the pty pair. */ path: string }
  | { kind: 'mqtt'; host: string; port: number; username: string; password: string };

export interface FirmwareSimNodeOptions {
  id: string;
  kind: SimNodeKind;
  world: World;
  clock: Clock;
  link: FirmwareLinkOptions;
  /** Where the bundles are (default firmware/dist). */
  dist?: string;
  /** First boot counter the firmware reports. Default: wall-clock seconds, so it grows across restarts. */
  boot?: number;
  /** Seed of the node's own randomness (walking pace at the door). */
  seed?: number;
  /** Boot an older firmware: the build's code reporting this version (a scenario's outdated node). */
  firmwareVersion?: string;
  log?: Logger;
}

/** The link state a FirmwareSimNode exposes as its transport. */
export type FirmwareLinkState = Pick<NodeTransport, 'link' | 'up'>;

export class FirmwareSimNode implements SimNode {
  readonly id: string;
  readonly kind: SimNodeKind;
  readonly host: EspruinoHost;
  readonly storage = new HostStorage();
  /** Firmware version string from the bundle, as its heartbeats carry it. */
  firmware: string | null;
  readonly transport: FirmwareLinkState;
  private code: string;
  private readonly log: Logger;
  private wiring: BoardWiring | null = null;
  private serial: FirmwareSerialWire | null = null;
  private running = false;

  constructor(private readonly opts: FirmwareSimNodeOptions) {
    this.id = opts.id;
    this.kind = opts.kind;
    this.log = opts.log ?? silentLogger;
    const code = readFirmwareBundle(opts.kind, opts.dist);
    this.code = opts.firmwareVersion === undefined ? code : withBundleVersion(code, opts.firmwareVersion);
    this.firmware = bundleVersion(this.code);
    const link = opts.link;
    this.host = new EspruinoHost({
      clock: opts.clock,
      storage: this.storage,
      // Loopback only: whatever host the config names, the simulated Wi-Fi reaches the local broker.
      dial: link.kind === 'mqtt' ? () => createConnection(link.port, link.host) : undefined,
      console: (line) => this.log.debug(`console: ${line}`),
    });
    if (link.kind === 'serial') this.serial = new FirmwareSerialWire(this.host, link.path, this.log.child('serial'));
    const serial = this.serial;
    const wifi = this.host.wifi;
    this.transport = {
      link: link.kind,
      get up() {
        return serial !== null ? serial.up : wifi.connected;
      },
    };
  }

  /** Uncaught exceptions the firmware raised in callbacks (Espruino prints them and carries on). */
  get errors(): readonly unknown[] {
    return this.host.errors;
  }

  async start(): Promise<void> {
    if (this.running) return;
    this.wiring = wireBoard(this.kind, this.host, this.opts.world, this.opts.clock, this.opts.seed ?? 1);
    const link = this.opts.link;
    const config: Record<string, string | number | boolean> = { ...this.wiring.config, id: this.id, link: link.kind };
    if (link.kind === 'mqtt') Object.assign(config, { ssid: 'noodsteun-sim', pass: '', mqttHost: link.host, mqttPort: link.port, mqttUser: link.username, mqttPass: link.password });
    this.storage.writeJSON('ns.cfg', config);
    // The firmware increments ns.boot at boot.
    const boot = this.opts.boot ?? Math.floor(Date.now() / 1000);
    this.storage.write('ns.boot', String(Math.max(0, boot - 1)));
    for (const [name, data] of Object.entries(this.wiring.files)) this.storage.write(name, data);
    try {
      await this.serial?.open();
    } catch (err) {
      this.wiring.dispose();
      this.wiring = null;
      throw err;
    }
    this.running = true;
    this.host.load(this.code);
    this.log.info('firmware booted', { node: this.id, kind: this.kind, fw: this.firmware ?? 'unknown', link: link.kind });
  }

  /**
   * What a USB upload does, followed by the reset the espruino CLI's load() amounts to: new boot code, the
   * rest of the flash (config, boot counter) kept. The serial line stays connected, as a USB cable does.
   */
  reflash(code: string): void {
    this.code = code;
    this.firmware = bundleVersion(code);
    if (!this.running) return;
    this.host.shutdown();
    this.host.load(code);
    this.log.info('firmware flashed', { node: this.id, fw: this.firmware ?? 'unknown' });
  }

  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.host.shutdown();
    this.wiring?.dispose();
    this.wiring = null;
    await this.serial?.close();
  }
}
