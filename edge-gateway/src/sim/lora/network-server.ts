// A small LoRaWAN network + application server for the simulator, on real frames: OTAA joins
// (join-request MIC with the AppKey, DevNonce reuse refused, encrypted join-accept), uplinks checked
// with the NwkSKey MIC and decrypted with the AppSKey, frame counters kept (a replayed or old FCnt is
// dropped), and published as ChirpStack v4 events on MQTT. Downlinks come from `…/command/down` and
// go out class A: in the receive window after the device's next uplink. A LinkCheckReq in an uplink's
// FOpts is answered with a LinkCheckAns (margin from the uplink's SNR, one gateway) in the downlink.
// setReachable(false) plays a network the gateways cannot reach (backhaul down): frames go unheard.
import { randomUUID } from 'node:crypto';
import mqtt from 'mqtt';
import type { MqttClient } from 'mqtt';
import { EventBus } from '../../core/bus.js';
import type { Clock } from '../../core/clock.js';
import { SystemClock } from '../../core/clock.js';
import type { Logger } from '../../log/logger.js';
import { createLogger, errorMessage } from '../../log/logger.js';
import type { DeviceInfo, DownlinkCommand, JoinEvent, UplinkEvent } from './chirpstack.js';
import { chirpstackTopics, parseDownlinkCommand } from './chirpstack.js';
import type { SessionKeys } from './frames.js';
import {
  buildDataFrame,
  buildJoinAccept,
  fullCounter,
  openDataFrame,
  parseDataFrame,
  parseJoinRequest,
  sessionKeys,
  verifyJoinRequest,
} from './frames.js';

export interface SimDevice {
  devEui: string;
  joinEui: string;
  /** OTAA root key, 32 hex digits. */
  appKey: string;
  name?: string;
}

/** What the gateway that heard a frame reports with it. */
export interface RadioMeta {
  frequencyHz: number;
  dr: number;
  rssi: number;
  snr: number;
}

/** The air interface as a simulated modem sees it: one uplink in, at most one downlink back. */
export interface SimRadioNetwork {
  uplink(phy: Buffer, meta: RadioMeta): Buffer | null;
}

export interface MqttTarget {
  url: string;
  username?: string;
  password?: string;
  clientId?: string;
}

export interface SimNetworkServerOptions {
  applicationId: string;
  applicationName?: string;
  tenantId?: string;
  tenantName?: string;
  devices: SimDevice[];
  /** Where events go; without it the server still works and emits its events in-process only. */
  mqtt?: MqttTarget;
  /** 3-byte NetID, hex; 000000 is the experimental/private network id. */
  netId?: string;
  gatewayId?: string;
  clock?: Clock;
  log?: Logger;
}

/** LoRaWAN MAC command identifier of LinkCheckReq / LinkCheckAns (TS001 §5, CID 0x02). */
export const LINK_CHECK_CID = 0x02;

/**
 * SNR (dB) at which a LoRa receiver still demodulates, per spreading factor 7–12 (Semtech SX1276
 * datasheet, table "Range of spreading factors"): SF7 −7.5 … SF12 −20.
 */
export function demodFloorDb(sf: number): number {
  if (!Number.isInteger(sf) || sf < 7 || sf > 12) throw new RangeError(`spreading factor must be 7–12, got ${sf}`);
  return -7.5 - 2.5 * (sf - 7);
}

/** LinkCheckAns Margin: dB of the uplink's SNR above the demodulation floor, 0–254 (TS001 §5.1). */
export function linkMarginDb(snr: number, dr: number): number {
  return Math.max(0, Math.min(254, Math.floor(snr - demodFloorDb(12 - dr))));
}

export type RejectReason = 'not-lorawan' | 'unknown-device' | 'join-mic' | 'devnonce-reused' | 'mic' | 'replay' | 'direction';

export interface NetworkServerEvents {
  uplink: UplinkEvent;
  join: JoinEvent;
  rejected: { reason: RejectReason; detail: string };
  downlinkSent: { devEui: string; fCnt: number; fPort: number | null; ack: boolean; linkCheck: { marginDb: number; gateways: number } | null };
}

interface Session {
  devAddr: string;
  keys: SessionKeys;
  /** Last accepted uplink counter (32 bits); -1 before the first. */
  fCntUp: number;
  fCntDown: number;
}

interface DeviceState {
  device: SimDevice;
  appKey: Buffer;
  usedNonces: Set<number>;
  session: Session | null;
  queue: DownlinkCommand[];
}

export class SimNetworkServer implements SimRadioNetwork {
  private readonly devices = new Map<string, DeviceState>();
  private readonly byAddr = new Map<string, DeviceState>();
  private readonly bus: EventBus<NetworkServerEvents>;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly netId: Buffer;
  private client: MqttClient | null = null;
  private nextAddr = 1;
  private nextAppNonce = 1;
  private uplinkId = 0;
  private reachable = true;
  readonly stats = { joins: 0, uplinks: 0, rejected: 0, downlinksQueued: 0, downlinksSent: 0, published: 0, publishErrors: 0, unheard: 0, linkChecks: 0 };

  constructor(private readonly opts: SimNetworkServerOptions) {
    this.clock = opts.clock ?? new SystemClock();
    this.log = opts.log ?? createLogger('sim:lorawan');
    this.bus = new EventBus<NetworkServerEvents>(this.log);
    this.netId = Buffer.from(opts.netId ?? '000000', 'hex');
    for (const d of opts.devices) {
      const devEui = d.devEui.toLowerCase();
      this.devices.set(devEui, { device: { ...d, devEui }, appKey: Buffer.from(d.appKey, 'hex'), usedNonces: new Set(), session: null, queue: [] });
    }
  }

  on<K extends keyof NetworkServerEvents>(event: K, fn: (payload: NetworkServerEvents[K]) => void): () => void {
    return this.bus.on(event, fn);
  }

  /** Connects to the MQTT broker (if one is configured) and subscribes to downlink commands. */
  async start(): Promise<void> {
    const target = this.opts.mqtt;
    if (!target || this.client) return;
    const client = mqtt.connect(target.url, {
      username: target.username,
      password: target.password,
      clientId: target.clientId ?? `sim-lorawan-${randomUUID().slice(0, 8)}`,
      reconnectPeriod: 1000,
      connectTimeout: 5000,
    });
    client.on('error', (err) => this.log.warn('mqtt error', { error: err.message }));
    client.on('message', (topic, payload) => this.onCommand(topic, payload));
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    }).catch((err: unknown) => {
      client.end(true);
      throw new Error(`cannot connect to ${target.url}: ${errorMessage(err)}`, { cause: err });
    });
    await client.subscribeAsync(chirpstackTopics.allDown(this.opts.applicationId), { qos: 1 });
    this.client = client;
  }

  async stop(): Promise<void> {
    const client = this.client;
    this.client = null;
    if (client) await client.endAsync();
  }

  /** Queues a downlink for the device's next receive window (what `…/command/down` does). */
  enqueueDownlink(cmd: DownlinkCommand): void {
    const state = this.devices.get(cmd.devEui.toLowerCase());
    if (!state) throw new Error(`unknown device ${cmd.devEui}`);
    state.queue.push(cmd);
    this.stats.downlinksQueued++;
  }

  /** Session of a joined device, for tests that decrypt frames themselves. */
  session(devEui: string): Readonly<Session> | null {
    return this.devices.get(devEui.toLowerCase())?.session ?? null;
  }

  /** false: the network is down or out of reach; every frame goes unheard (no join-accept, no downlink). */
  setReachable(reachable: boolean): void {
    this.reachable = reachable;
  }

  get isReachable(): boolean {
    return this.reachable;
  }

  uplink(phy: Buffer, meta: RadioMeta): Buffer | null {
    if (!this.reachable) {
      this.stats.unheard++;
      return null;
    }
    const mtype = (phy[0] ?? 0xff) >> 5;
    try {
      if (mtype === 0) return this.onJoinRequest(phy, meta);
      if (mtype === 2 || mtype === 4) return this.onDataUp(phy, meta);
      this.reject('direction', `MType ${mtype} is not an uplink`);
    } catch (err) {
      this.reject('not-lorawan', errorMessage(err));
    }
    return null;
  }

  private onJoinRequest(phy: Buffer, meta: RadioMeta): Buffer | null {
    const req = parseJoinRequest(phy);
    const state = this.devices.get(req.devEui);
    if (!state || state.device.joinEui.toLowerCase() !== req.joinEui) {
      this.reject('unknown-device', `join request from unknown DevEUI ${req.devEui}`);
      return null;
    }
    if (!verifyJoinRequest(req.packet, state.appKey)) {
      this.reject('join-mic', `join request MIC mismatch for ${req.devEui}`);
      return null;
    }
    if (state.usedNonces.has(req.devNonce)) {
      this.reject('devnonce-reused', `DevNonce ${req.devNonce} of ${req.devEui} used before`);
      return null;
    }
    state.usedNonces.add(req.devNonce);
    if (state.session) this.byAddr.delete(state.session.devAddr);
    const devAddr = (0x26000000 + this.nextAddr++).toString(16).padStart(8, '0');
    const appNonce = Buffer.from([(this.nextAppNonce >> 16) & 0xff, (this.nextAppNonce >> 8) & 0xff, this.nextAppNonce & 0xff]);
    this.nextAppNonce++;
    const accept = { appNonce, netId: this.netId, devAddr };
    state.session = { devAddr, keys: sessionKeys(state.appKey, accept, req.devNonce), fCntUp: -1, fCntDown: 0 };
    this.byAddr.set(devAddr, state);
    this.stats.joins++;
    const event: JoinEvent = { deduplicationId: randomUUID(), time: new Date(this.clock.now()).toISOString(), deviceInfo: this.deviceInfo(state), devAddr };
    this.log.info('device joined', { devEui: req.devEui, devAddr, dr: meta.dr });
    this.bus.emit('join', event);
    this.publish(chirpstackTopics.join(this.opts.applicationId, req.devEui), event);
    return buildJoinAccept(accept, state.appKey);
  }

  private onDataUp(phy: Buffer, meta: RadioMeta): Buffer | null {
    const parsed = parseDataFrame(phy);
    const state = this.byAddr.get(parsed.devAddr);
    const session = state?.session;
    if (!state || !session) {
      this.reject('unknown-device', `uplink from unknown DevAddr ${parsed.devAddr}`);
      return null;
    }
    const fCnt = fullCounter(parsed.fCnt16, session.fCntUp);
    if (session.fCntUp >= 0 && fCnt <= session.fCntUp) {
      this.reject('replay', `FCnt ${fCnt} of ${state.device.devEui} not above ${session.fCntUp}`);
      return null;
    }
    // A low 16-bit counter is either a 16-bit rollover or an old frame; only the MIC can tell.
    const wrapped = session.fCntUp >= 0 && parsed.fCnt16 <= (session.fCntUp & 0xffff);
    let payload: Buffer;
    try {
      payload = openDataFrame(parsed, fCnt, session.keys);
    } catch (err) {
      if (wrapped) this.reject('replay', `FCnt ${parsed.fCnt16} of ${state.device.devEui} is old (not a rollover)`);
      else this.reject('mic', `${state.device.devEui}: ${errorMessage(err)}`);
      return null;
    }
    session.fCntUp = fCnt;
    this.stats.uplinks++;
    if (parsed.port !== null && parsed.port > 0) {
      const event: UplinkEvent = {
        deduplicationId: randomUUID(),
        time: new Date(this.clock.now()).toISOString(),
        deviceInfo: this.deviceInfo(state),
        devAddr: session.devAddr,
        adr: false,
        dr: meta.dr,
        fCnt,
        fPort: parsed.port,
        confirmed: parsed.confirmed,
        data: payload.toString('base64'),
        rxInfo: [{ gatewayId: this.opts.gatewayId ?? '0016c001ff000001', uplinkId: ++this.uplinkId, rssi: meta.rssi, snr: meta.snr, channel: 0, crcStatus: 'CRC_OK' }],
        txInfo: { frequency: meta.frequencyHz, modulation: { lora: { bandwidth: 125_000, spreadingFactor: 12 - meta.dr, codeRate: 'CR_4_5' } } },
      };
      this.bus.emit('uplink', event);
      this.publish(chirpstackTopics.up(this.opts.applicationId, state.device.devEui), event);
    }
    return this.downlinkFor(state, session, parsed.confirmed, hasLinkCheckReq(parsed.fOpts) ? meta : null);
  }

  /** Class A: a queued downlink, the ACK of a confirmed uplink and/or a LinkCheckAns, in one frame. */
  private downlinkFor(state: DeviceState, session: Session, ack: boolean, linkCheckOf: RadioMeta | null): Buffer | null {
    // One gateway hears the simulated device (the uplink event's rxInfo lists one).
    const linkCheck = linkCheckOf ? { marginDb: linkMarginDb(linkCheckOf.snr, linkCheckOf.dr), gateways: 1 } : null;
    if (linkCheck) this.stats.linkChecks++;
    const next = state.queue.shift();
    if (!next && !ack && !linkCheck) return null;
    const fCnt = session.fCntDown++;
    const frame = buildDataFrame(
      'down',
      {
        devAddr: session.devAddr,
        fCnt,
        port: next ? next.fPort : null,
        payload: next ? Buffer.from(next.data, 'base64') : Buffer.alloc(0),
        confirmed: next?.confirmed ?? false,
        ack,
        ...(linkCheck ? { fOpts: Buffer.from([LINK_CHECK_CID, linkCheck.marginDb, linkCheck.gateways]) } : {}),
      },
      session.keys,
    );
    this.stats.downlinksSent++;
    this.bus.emit('downlinkSent', { devEui: state.device.devEui, fCnt, fPort: next?.fPort ?? null, ack, linkCheck });
    return frame;
  }

  private onCommand(topic: string, payload: Buffer): void {
    const m = /^application\/([^/]+)\/device\/([^/]+)\/command\/down$/.exec(topic);
    if (!m || m[1] !== this.opts.applicationId) return;
    try {
      const cmd = parseDownlinkCommand(JSON.parse(payload.toString('utf8')));
      if (cmd.devEui !== m[2]?.toLowerCase()) throw new Error(`devEui ${cmd.devEui} does not match topic device ${m[2]}`);
      this.enqueueDownlink(cmd);
      this.log.info('downlink queued', { devEui: cmd.devEui, fPort: cmd.fPort });
    } catch (err) {
      this.log.warn('downlink command refused', { topic, error: errorMessage(err) });
    }
  }

  private publish(topic: string, body: unknown): void {
    const client = this.client;
    if (!client) return;
    client.publish(topic, JSON.stringify(body), { qos: 1 }, (err) => {
      if (err) {
        this.stats.publishErrors++;
        this.log.warn('publish failed', { topic, error: err.message });
      } else this.stats.published++;
    });
  }

  private reject(reason: RejectReason, detail: string): void {
    this.stats.rejected++;
    this.log.info('frame rejected', { reason, detail });
    this.bus.emit('rejected', { reason, detail });
  }

  private deviceInfo(state: DeviceState): DeviceInfo {
    return {
      tenantId: this.opts.tenantId ?? '52f14cd4-c6f1-4fbd-8f87-4025e1d49242',
      tenantName: this.opts.tenantName ?? 'noodsteun',
      applicationId: this.opts.applicationId,
      applicationName: this.opts.applicationName ?? 'noodsteun-relay',
      deviceProfileId: 'a0d5c3b2-0e4b-4d5f-9a6e-0b6f1f3c2d10',
      deviceProfileName: 'RAK3172 EU868 class A',
      deviceName: state.device.name ?? state.device.devEui,
      devEui: state.device.devEui,
      deviceClassEnabled: 'CLASS_A',
      tags: {},
    };
  }
}

/** Payload lengths of the MAC commands a LoRaWAN 1.0.x device sends, by CID (TS001 §5, table 4). */
const UPLINK_MAC_LENGTHS: ReadonlyMap<number, number> = new Map([
  [0x02, 0], // LinkCheckReq
  [0x03, 1], // LinkADRAns
  [0x04, 0], // DutyCycleAns
  [0x05, 1], // RXParamSetupAns
  [0x06, 2], // DevStatusAns
  [0x07, 1], // NewChannelAns
  [0x08, 0], // RXTimingSetupAns
  [0x09, 0], // TxParamSetupAns
  [0x0a, 1], // DlChannelAns
  [0x0d, 0], // DeviceTimeReq
]);

/** Walks uplink FOpts command by command; an unknown CID ends the walk, as the spec says it must. */
function hasLinkCheckReq(fOpts: Buffer): boolean {
  for (let i = 0; i < fOpts.length; ) {
    const cid = fOpts[i]!;
    if (cid === LINK_CHECK_CID) return true;
    const len = UPLINK_MAC_LENGTHS.get(cid);
    if (len === undefined) return false;
    i += 1 + len;
  }
  return false;
}
