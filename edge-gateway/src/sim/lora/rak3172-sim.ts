// A simulated RAK3172 (RUI3) on a serial port — in practice the far end of a socat pty pair — so
// the real driver talks to it exactly as to the module. It speaks the same AT grammar, spends
// Semtech airtime on the injected clock, keeps EU868 sub-band duty cycle (refusing a send while
// every usable sub-band is in its off time), builds real LoRaWAN frames and hands them to a
// simulated network, loses joins and frames at seeded rates, and can hang (for recovery tests).
// AT+LINKCHECK=1|2 puts a LinkCheckReq in the next (every) uplink's FOpts; the network's LinkCheckAns
// in the downlink becomes +EVT:LINKCHECK:0,<margin>,<gateways>,<rssi>,<snr>, no answer +EVT:LINKCHECK:1,0,0,0,0.
import type { Clock } from '../../core/clock.js';
import { SystemClock } from '../../core/clock.js';
import type { Logger } from '../../log/logger.js';
import { createLogger, errorMessage } from '../../log/logger.js';
import type { PortFactory, SerialPortLike } from '../../links/serial/port.js';
import { nativePort } from '../../links/serial/port.js';
import { LORAWAN_OVERHEAD_BYTES, timeOnAirMs } from '../../lora/airtime.js';
import { maxPayloadAt, spreadingFactorOf } from '../../drivers/lora-modem/data-rates.js';
import { Prng } from '../world/prng.js';
import { DutyCycleTracker, EU868_DEFAULT_CHANNELS_HZ, TTN_CFLIST_CHANNELS_HZ } from './duty-cycle.js';
import type { SessionKeys } from './frames.js';
import { buildDataFrame, buildJoinRequest, fullCounter, openDataFrame, openJoinAccept, parseDataFrame, sessionKeys } from './frames.js';
import type { SimRadioNetwork } from './network-server.js';
import { LINK_CHECK_CID } from './network-server.js';

/** new: RUI3 ≥ 3.2 (`+EVT:SEND_CONFIRMED_OK`, one-line RX); old: earlier RUI3 (spaces, three-line RX). */
export type EventSpelling = 'new' | 'old';
export type HangMode = 'until-reset' | 'forever';

export interface SimRak3172Options {
  path: string;
  createPort?: PortFactory;
  network: SimRadioNetwork;
  devEui: string;
  joinEui: string;
  appKey: string;
  clock?: Clock;
  log?: Logger;
  seed?: number;
  /** Chance a join attempt gets no join-accept. */
  joinFailureRate?: number;
  /** Chance an uplink never reaches a gateway. */
  uplinkLossRate?: number;
  spelling?: EventSpelling;
  /** What a send refused for duty cycle answers; firmware without the dedicated code says AT_BUSY_ERROR. */
  dutyCycleReply?: 'AT_DUTYCYCLE_RESTRICTED' | 'AT_BUSY_ERROR';
  enforceDutyCycle?: boolean;
  /** Join channels (Hz); default the three EU868 ones, all in the 868.0–868.6 MHz sub-band. */
  channelsHz?: readonly number[];
  /**
   * Channels the join-accept's CFList adds for data uplinks; default the five TTN and ChirpStack use
   * (867.1–867.9 MHz, another 1 % sub-band). [] keeps only the join channels.
   */
  cfListChannelsHz?: readonly number[];
  rx1DelayMs?: number;
  joinAcceptDelayMs?: number;
  rssi?: number;
  snr?: number;
}

interface Session {
  devAddr: string;
  keys: SessionKeys;
  fCntUp: number;
  /** Last downlink counter accepted; -1 before the first. */
  fCntDown: number;
}

export class SimRak3172 {
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly prng: Prng;
  private readonly duty: DutyCycleTracker;
  private readonly channels: readonly number[];
  private readonly dataChannels: readonly number[];
  private readonly spelling: EventSpelling;
  private port: SerialPortLike | null = null;
  private input = '';
  private readonly timers = new Set<() => void>();

  private dr = 0;
  private cfm = false;
  private devNonce: number;
  private session: Session | null = null;
  private joining = false;
  private transmitting = false;
  /** The next uplink must ACK a confirmed downlink. */
  private ackPending = false;
  /** AT+LINKCHECK: 0 off, 1 on the next uplink only, 2 on every uplink. */
  private linkCheckMode = 0;
  private hung: HangMode | null = null;
  readonly stats = { commands: 0, uplinks: 0, lostUplinks: 0, joinAttempts: 0, dutyCycleRefusals: 0, airtimeMs: 0, linkChecks: 0 };

  constructor(private readonly opts: SimRak3172Options) {
    this.clock = opts.clock ?? new SystemClock();
    this.log = opts.log ?? createLogger('sim:rak3172');
    this.prng = new Prng(opts.seed ?? 1);
    this.duty = new DutyCycleTracker(opts.enforceDutyCycle ?? true);
    this.channels = opts.channelsHz ?? EU868_DEFAULT_CHANNELS_HZ;
    this.dataChannels = [...this.channels, ...(opts.cfListChannelsHz ?? TTN_CFLIST_CHANNELS_HZ)];
    this.spelling = opts.spelling ?? 'new';
    this.devNonce = this.prng.int(0, 0xfff0);
  }

  async open(): Promise<void> {
    const port = (this.opts.createPort ?? nativePort)({ path: this.opts.path, baudRate: 115_200 });
    port.on('data', (chunk) => this.onData(chunk));
    port.on('error', (err) => this.log.warn('port error', { error: err.message }));
    await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    this.port = port;
  }

  async close(): Promise<void> {
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    const port = this.port;
    this.port = null;
    if (port?.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
  }

  /** Stops answering: until the host sends ATZ, or for good. */
  hang(mode: HangMode): void {
    this.hung = mode;
  }

  get joined(): boolean {
    return this.session !== null;
  }

  // ---- serial side ----

  private onData(chunk: Buffer): void {
    this.input += chunk.toString('latin1');
    for (;;) {
      const m = /[\r\n]/.exec(this.input);
      if (!m) break;
      const line = this.input.slice(0, m.index).trim();
      this.input = this.input.slice(m.index + 1);
      if (!line) continue;
      try {
        this.onLine(line);
      } catch (err) {
        this.log.error('command failed', { line, error: errorMessage(err) });
        this.reply('AT_ERROR');
      }
    }
  }

  private reply(...lines: string[]): void {
    const port = this.port;
    if (!port) return;
    port.write(Buffer.from(lines.map((l) => `${l}\r\n`).join(''), 'latin1'));
  }

  private later(ms: number, fn: () => void): void {
    const cancel = this.clock.setTimeout(() => {
      this.timers.delete(cancel);
      fn();
    }, ms);
    this.timers.add(cancel);
  }

  private onLine(line: string): void {
    if (this.hung === 'forever') return;
    if (this.hung === 'until-reset' && line.toUpperCase() !== 'ATZ') return;
    this.stats.commands++;
    const m = /^(AT(?:\+[A-Z]+)?|ATZ)(?:(=\?|\?)|=(.*))?$/i.exec(line);
    if (!m) return this.reply('AT_ERROR');
    const cmd = m[1]!.toUpperCase();
    const query = m[2] === '=?';
    const arg = m[3];
    switch (cmd) {
      case 'AT':
        return this.reply('OK');
      case 'ATZ':
        return this.reboot();
      case 'AT+VER':
        return this.reply('AT+VER=4.1.1 (simulated)', 'OK');
      case 'AT+NJM':
        return query ? this.reply('AT+NJM=1', 'OK') : this.reply(arg === '1' ? 'OK' : 'AT_PARAM_ERROR');
      case 'AT+BAND':
        return query ? this.reply('AT+BAND=4', 'OK') : this.reply(arg === '4' ? 'OK' : 'AT_PARAM_ERROR');
      case 'AT+DEVEUI':
        return query ? this.reply(`AT+DEVEUI=${this.opts.devEui}`, 'OK') : this.reply('AT_PARAM_ERROR');
      case 'AT+APPEUI':
        return query ? this.reply(`AT+APPEUI=${this.opts.joinEui}`, 'OK') : this.reply('AT_PARAM_ERROR');
      case 'AT+NJS':
        return this.reply(`AT+NJS=${this.session ? 1 : 0}`, 'OK');
      case 'AT+DR':
        if (query) return this.reply(`AT+DR=${this.dr}`, 'OK');
        if (!arg || !/^[0-5]$/.test(arg)) return this.reply('AT_PARAM_ERROR');
        this.dr = Number(arg);
        return this.reply('OK');
      case 'AT+CFM':
        if (query) return this.reply(`AT+CFM=${this.cfm ? 1 : 0}`, 'OK');
        if (arg !== '0' && arg !== '1') return this.reply('AT_PARAM_ERROR');
        this.cfm = arg === '1';
        return this.reply('OK');
      case 'AT+LINKCHECK':
        if (query) return this.reply(`AT+LINKCHECK=${this.linkCheckMode}`, 'OK');
        if (arg !== '0' && arg !== '1' && arg !== '2') return this.reply('AT_PARAM_ERROR');
        this.linkCheckMode = Number(arg);
        return this.reply('OK');
      case 'AT+JOIN':
        return this.onJoin(arg);
      case 'AT+SEND':
        return this.onSend(arg);
      default:
        return this.reply('AT_ERROR');
    }
  }

  private reboot(): void {
    for (const cancel of this.timers) cancel();
    this.timers.clear();
    this.hung = null;
    this.session = null;
    this.joining = false;
    this.transmitting = false;
    this.ackPending = false;
    this.cfm = false;
    this.linkCheckMode = 0;
    // RUI3 prints its banner after booting; no OK for ATZ.
    this.later(100, () => this.reply('RAKwireless RAK3172-E (simulated)', 'Current Work Mode: LoRaWAN.'));
  }

  // ---- join ----

  private onJoin(arg: string | undefined): void {
    const m = arg === undefined ? null : /^([01]):([01]):(\d+):(\d+)$/.exec(arg);
    if (!m) return this.reply('AT_PARAM_ERROR');
    const interval = Number(m[3]);
    const attempts = Number(m[4]);
    if (interval < 7 || interval > 255 || attempts > 255) return this.reply('AT_PARAM_ERROR');
    if (m[1] === '0') {
      this.joining = false;
      return this.reply('OK');
    }
    if (this.joining || this.transmitting) return this.reply('AT_BUSY_ERROR');
    this.joining = true;
    this.session = null;
    this.reply('OK');
    this.joinAttempt(1, Math.max(1, attempts), interval * 1000);
  }

  private joinAttempt(n: number, attempts: number, intervalMs: number): void {
    if (!this.joining) return;
    const now = this.clock.now();
    const free = this.duty.freeChannels(this.channels, now);
    if (free.length === 0) {
      // The MAC delays the join request until a sub-band is free again.
      this.later(this.duty.nextFreeAt(this.channels) - now, () => this.joinAttempt(n, attempts, intervalMs));
      return;
    }
    const hz = free[this.prng.int(0, free.length - 1)]!;
    const sf = spreadingFactorOf(this.dr);
    const airtime = timeOnAirMs(23, { sf });
    this.duty.record(hz, now, airtime);
    this.stats.joinAttempts++;
    this.stats.airtimeMs += airtime;
    const devNonce = this.devNonce++ & 0xffff;
    const appKey = Buffer.from(this.opts.appKey, 'hex');
    const request = buildJoinRequest({ joinEui: this.opts.joinEui, devEui: this.opts.devEui, devNonce }, appKey);
    this.later(airtime, () => {
      const lost = this.prng.chance(this.opts.joinFailureRate ?? 0);
      const accept = lost ? null : this.opts.network.uplink(request, this.meta(hz));
      this.later(this.opts.joinAcceptDelayMs ?? 5000, () => {
        if (!this.joining) return;
        if (accept) {
          try {
            const ja = openJoinAccept(accept, appKey);
            this.session = { devAddr: ja.devAddr, keys: sessionKeys(appKey, ja, devNonce), fCntUp: 0, fCntDown: -1 };
            this.joining = false;
            return this.reply('+EVT:JOINED');
          } catch (err) {
            this.log.warn('bad join accept', { error: errorMessage(err) });
          }
        }
        this.reply(this.spelling === 'new' ? '+EVT:JOIN_FAILED_RX_TIMEOUT' : '+EVT:JOIN FAILED');
        if (n < attempts) this.later(intervalMs, () => this.joinAttempt(n + 1, attempts, intervalMs));
        else this.joining = false;
      });
    });
  }

  // ---- uplink ----

  private onSend(arg: string | undefined): void {
    // RUI3 refuses an empty payload (At_Send: no hex digits → AT_PARAM_ERROR).
    const m = arg === undefined ? null : /^(\d{1,3}):((?:[0-9A-Fa-f]{2})+)$/.exec(arg);
    if (!m) return this.reply('AT_PARAM_ERROR');
    const port = Number(m[1]);
    const payload = Buffer.from(m[2]!, 'hex');
    if (port < 1 || port > 223 || payload.length > maxPayloadAt(this.dr)) return this.reply('AT_PARAM_ERROR');
    const session = this.session;
    if (!session) return this.reply('AT_NO_NETWORK_JOINED');
    if (this.transmitting || this.joining) return this.reply('AT_BUSY_ERROR');
    const now = this.clock.now();
    const free = this.duty.freeChannels(this.dataChannels, now);
    if (free.length === 0) {
      this.stats.dutyCycleRefusals++;
      return this.reply(this.opts.dutyCycleReply ?? 'AT_DUTYCYCLE_RESTRICTED');
    }
    const hz = free[this.prng.int(0, free.length - 1)]!;
    const linkCheck = this.linkCheckMode !== 0;
    if (this.linkCheckMode === 1) this.linkCheckMode = 0;
    const fOpts = linkCheck ? Buffer.from([LINK_CHECK_CID]) : undefined;
    // A LinkCheckReq's CID byte rides in FOpts and lengthens the frame.
    const airtime = timeOnAirMs(payload.length + LORAWAN_OVERHEAD_BYTES + (fOpts?.length ?? 0), { sf: spreadingFactorOf(this.dr) });
    this.duty.record(hz, now, airtime);
    this.stats.uplinks++;
    this.stats.airtimeMs += airtime;
    const confirmed = this.cfm;
    const frame = buildDataFrame('up', { devAddr: session.devAddr, fCnt: session.fCntUp, port, payload, confirmed, ack: this.ackPending, ...(fOpts ? { fOpts } : {}) }, session.keys);
    session.fCntUp++;
    this.ackPending = false;
    this.transmitting = true;
    this.reply('OK');
    this.later(airtime, () => {
      const lost = this.prng.chance(this.opts.uplinkLossRate ?? 0);
      if (lost) this.stats.lostUplinks++;
      const down = lost ? null : this.opts.network.uplink(frame, this.meta(hz));
      // RX1 opens rx1Delay after the end of the uplink; the downlink then takes its own airtime.
      const downAirtime = down ? timeOnAirMs(down.length, { sf: spreadingFactorOf(this.dr) }) : 0;
      this.later((this.opts.rx1DelayMs ?? 1000) + downAirtime, () => this.finishSend(session, confirmed, down, linkCheck));
    });
  }

  private finishSend(session: Session, confirmed: boolean, down: Buffer | null, linkCheck: boolean): void {
    if (this.session !== session) return; // reset meanwhile
    this.transmitting = false;
    let acked = false;
    let linkAns: { marginDb: number; gateways: number } | null = null;
    if (down) {
      try {
        const parsed = parseDataFrame(down);
        if (parsed.devAddr !== session.devAddr || parsed.dir !== 'down') throw new Error('not for this device');
        const fCnt = fullCounter(parsed.fCnt16, session.fCntDown);
        const data = openDataFrame(parsed, fCnt, session.keys);
        session.fCntDown = fCnt;
        acked = parsed.ack;
        if (parsed.confirmed) this.ackPending = true;
        linkAns = linkCheckAnswer(parsed.fOpts);
        if (parsed.port !== null && parsed.port > 0) this.emitRx(parsed.port, data);
      } catch (err) {
        this.log.warn('downlink dropped', { error: errorMessage(err) });
      }
    }
    const old = this.spelling === 'old';
    if (!confirmed) this.reply('+EVT:TX_DONE');
    else if (acked) this.reply(old ? '+EVT:SEND CONFIRMED OK' : '+EVT:SEND_CONFIRMED_OK');
    else this.reply(old ? '+EVT:SEND CONFIRMED FAILED' : '+EVT:SEND_CONFIRMED_FAILED(4)');
    if (linkCheck) this.emitLinkCheck(linkAns);
  }

  /**
   * The RUI3 manual prints the result with commas, RUI3's service_lora.c with colons: 'new' gives the
   * manual's form, 'old' the other, so the driver meets both. RSSI/SNR are the answering downlink's.
   */
  private emitLinkCheck(ans: { marginDb: number; gateways: number } | null): void {
    this.stats.linkChecks++;
    const fields = ans ? [0, ans.marginDb, ans.gateways, Math.round(this.opts.rssi ?? -95), Math.round(this.opts.snr ?? 7)] : [1, 0, 0, 0, 0];
    this.reply(`+EVT:LINKCHECK:${fields.join(this.spelling === 'new' ? ',' : ':')}`);
  }

  private emitRx(port: number, data: Buffer): void {
    const rssi = Math.round(this.opts.rssi ?? -95);
    const snr = Math.round(this.opts.snr ?? 7);
    const hex = data.toString('hex').toUpperCase();
    if (this.spelling === 'new') this.reply(`+EVT:RX_1:${rssi}:${snr}:UNICAST:${port}:${hex}`);
    else this.reply(`+EVT:RX_1, RSSI ${rssi}, SNR ${snr}`, '+EVT:UNICAST', `+EVT:${port}:${hex}`);
  }

  private meta(hz: number): { frequencyHz: number; dr: number; rssi: number; snr: number } {
    return {
      frequencyHz: hz,
      dr: this.dr,
      rssi: Math.round((this.opts.rssi ?? -95) + this.prng.uniform(-3, 3)),
      snr: Math.round(((this.opts.snr ?? 7) + this.prng.uniform(-1.5, 1.5)) * 10) / 10,
    };
  }
}

/** Margin and gateway count of a LinkCheckAns (CID 0x02 + 2 bytes) in downlink FOpts, if there is one. */
function linkCheckAnswer(fOpts: Buffer): { marginDb: number; gateways: number } | null {
  // The simulated network puts no other MAC command into downlink FOpts.
  return fOpts.length >= 3 && fOpts[0] === LINK_CHECK_CID ? { marginDb: fOpts[1]!, gateways: fOpts[2]! } : null;
}
