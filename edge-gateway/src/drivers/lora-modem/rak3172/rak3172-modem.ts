// RAK3172 (RUI3 firmware) over its UART: the LoraModem contract on top of AT commands.
// Commands: AT, ATZ, AT+JOIN=1:0:<interval>:<attempts>, AT+DR=, AT+CFM=, AT+SEND=<port>:<hex>,
// AT+NJS=?, AT+LINKCHECK=; completion of joins and sends arrives later as +EVT: lines (./events.ts).
// A modem that stops answering is probed (AT), then reset (ATZ, then the optional hard reset
// line), then reported down and probed with backoff until it answers again.
import { EventBus } from '../../../core/bus.js';
import type { Clock } from '../../../core/clock.js';
import { SystemClock } from '../../../core/clock.js';
import type { Logger } from '../../../log/logger.js';
import { createLogger, errorMessage } from '../../../log/logger.js';
import type { BackoffOptions } from '../../../links/serial/backoff.js';
import { Backoff } from '../../../links/serial/backoff.js';
import type { PortFactory, SerialPortLike } from '../../../links/serial/port.js';
import { nativePort } from '../../../links/serial/port.js';
import { lorawanAirtimeMs } from '../../../lora/airtime.js';
import { maxPayloadAt, spreadingFactorOf } from '../data-rates.js';
import {
  ConfirmedSendFailedError,
  DutyCycleError,
  JoinFailedError,
  LoraModemError,
  ModemBusyError,
  ModemCommandError,
  ModemDownError,
  ModemParamError,
  ModemTimeoutError,
  NotJoinedError,
  PayloadTooLargeError,
} from '../errors.js';
import type { JoinOptions, LinkCheckOptions, LinkCheckResult, LoraModem, ModemEvents, ModemState, ModemStatus, SendOptions, SendResult } from '../modem.js';
import { AtClosedError, AtStatusError, AtTimeoutError, AtTransport } from './at-transport.js';
import type { ModemEvent } from './events.js';
import { EventParser } from './events.js';

export const RAK3172_BAUD_RATE = 115_200;
/** Receive windows close ~2 s after the uplink plus an RX2 frame at SF12; wait a little beyond. */
const RX_WINDOWS_MS = 5_000;
/**
 * fPort of the link-check uplink: the highest application port, which the relay codec (ports 1–10)
 * never uses, so the receiving side drops it as no message of ours. RUI3 refuses an empty payload.
 */
export const LINK_CHECK_PORT = 223;
const LINK_CHECK_PROBE = Uint8Array.of(0);
/**
 * RUI3 prints the link-check result around TX_DONE (success from the downlink indication, failure
 * from the MAC confirm), so it may come just before or just after it; this long after is too late.
 */
const LINK_CHECK_GRACE_MS = 3_000;

export interface Rak3172Options {
  path: string;
  baudRate?: number;
  /** Builds the port; defaults to the native binding. Tests pass SerialPortMock or a scripted port. */
  createPort?: PortFactory;
  clock?: Clock;
  log?: Logger;
  name?: string;
  /** Deadline for an ordinary command's status line. */
  commandTimeoutMs?: number;
  /** Deadline for the `AT` liveness probe. */
  probeTimeoutMs?: number;
  /** Time the module needs to boot after ATZ or a hard reset. */
  resetWaitMs?: number;
  /** Pulses the module's reset line (GPIO), tried when ATZ did not help. */
  hardReset?: () => Promise<void>;
  /** Probing cadence while the modem is down. */
  downBackoff?: BackoffOptions;
}

interface TxWaiter {
  confirmed: boolean;
  resolve: () => void;
  reject: (err: Error) => void;
  cancelTimer: () => void;
}

type LinkCheckEvent = Extract<ModemEvent, { type: 'linkCheck' }>;

interface LinkWaiter {
  event: LinkCheckEvent | null;
  notify: (() => void) | null;
}

interface JoinWaiter {
  attempts: number;
  failures: number;
  resolve: () => void;
  reject: (err: Error) => void;
  cancelTimer: () => void;
}

export class Rak3172Modem implements LoraModem {
  readonly name: string;
  private readonly createPort: PortFactory;
  private readonly clock: Clock;
  private readonly log: Logger;
  private readonly bus: EventBus<ModemEvents>;
  private readonly commandTimeoutMs: number;
  private readonly probeTimeoutMs: number;
  private readonly resetWaitMs: number;
  private readonly downBackoff: Backoff;

  private port: SerialPortLike | null = null;
  private transport: AtTransport | null = null;
  private readonly events = new EventParser();
  private state: ModemState = 'closed';
  private joined = false;
  private dr = 0;
  /** Last AT+CFM value set or read; null = unknown, set before the next send. */
  private cfm: boolean | null = null;
  private tx: TxWaiter | null = null;
  private sending = false;
  private joinWaiter: JoinWaiter | null = null;
  private linkWaiter: LinkWaiter | null = null;
  private recovering: Promise<void> | null = null;
  private cancelDownProbe: (() => void) | null = null;
  private lastError: string | null = null;
  private readonly counters = { sent: 0, confirmedFailed: 0, downlinks: 0, timeouts: 0, resets: 0 };

  constructor(private readonly opts: Rak3172Options) {
    this.name = opts.name ?? `rak3172:${opts.path}`;
    this.createPort = opts.createPort ?? nativePort;
    this.clock = opts.clock ?? new SystemClock();
    this.log = opts.log ?? createLogger('gw:lora:modem');
    this.bus = new EventBus<ModemEvents>(this.log);
    this.commandTimeoutMs = opts.commandTimeoutMs ?? 2_000;
    this.probeTimeoutMs = opts.probeTimeoutMs ?? 1_000;
    this.resetWaitMs = opts.resetWaitMs ?? 3_000;
    this.downBackoff = new Backoff(opts.downBackoff ?? { initialMs: 5_000, maxMs: 300_000 });
  }

  on<K extends keyof ModemEvents>(event: K, fn: (payload: ModemEvents[K]) => void): () => void {
    return this.bus.on(event, fn);
  }

  status(): ModemStatus {
    return {
      state: this.state,
      joined: this.joined,
      dr: this.dr,
      maxPayload: maxPayloadAt(this.dr),
      sending: this.sending,
      counters: { ...this.counters },
      lastError: this.lastError,
    };
  }

  async open(): Promise<void> {
    if (this.port) return;
    const port = this.createPort({ path: this.opts.path, baudRate: this.opts.baudRate ?? RAK3172_BAUD_RATE });
    const transport = new AtTransport(port, { clock: this.clock, log: this.log, onEvent: (line) => this.onEventLine(line) });
    port.on('data', (chunk) => transport.push(chunk));
    port.on('error', (err) => this.log.warn('port error', { path: this.opts.path, error: err.message }));
    port.on('close', () => {
      if (this.port === port) this.onPortLost();
    });
    try {
      await new Promise<void>((resolve, reject) => port.open((err) => (err ? reject(err) : resolve())));
    } catch (err) {
      port.removeAllListeners();
      throw new ModemDownError(`cannot open ${this.opts.path}: ${errorMessage(err)}`, { cause: err });
    }
    this.port = port;
    this.transport = transport;
    // Not 'down' any more (a reopen after the port was lost): recovery below must be allowed to run.
    this.state = 'closed';
    if (await this.probe()) {
      await this.readSession();
    } else {
      await this.recover('no answer after open');
    }
  }

  async close(): Promise<void> {
    this.cancelDownProbe?.();
    this.cancelDownProbe = null;
    const port = this.port;
    this.port = null;
    this.transport?.close();
    this.transport = null;
    this.failWaiters(new ModemDownError('modem closed'));
    this.setState('closed');
    if (port) {
      port.removeAllListeners();
      port.on('error', () => {});
      if (port.isOpen) await new Promise<void>((resolve) => port.close(() => resolve()));
    }
  }

  async join(opts: JoinOptions = {}): Promise<void> {
    const attempts = opts.attempts ?? 3;
    const intervalS = opts.intervalS ?? 10;
    if (!Number.isInteger(attempts) || attempts < 1 || attempts > 255) throw new ModemParamError(`join attempts must be 1–255, got ${attempts}`);
    if (!Number.isInteger(intervalS) || intervalS < 7 || intervalS > 255) throw new ModemParamError(`join interval must be 7–255 s, got ${intervalS}`);
    if (this.joinWaiter) throw new ModemBusyError('a join is already in progress');
    this.assertUsable();
    // Join-accept arrives ~6 s after each request; allow every attempt plus its interval.
    const timeoutMs = opts.timeoutMs ?? attempts * (intervalS + 10) * 1000;
    const done = new Promise<void>((resolve, reject) => {
      const waiter: JoinWaiter = {
        attempts,
        failures: 0,
        resolve,
        reject,
        cancelTimer: this.clock.setTimeout(() => {
          if (this.joinWaiter !== waiter) return;
          this.joinWaiter = null;
          this.counters.timeouts++;
          reject(new ModemTimeoutError(`no join result within ${timeoutMs} ms`));
          this.setState(this.joined ? 'joined' : 'ready');
        }, timeoutMs),
      };
      this.joinWaiter = waiter;
    });
    // Keep an unobserved rejection from escaping if the command itself fails first.
    done.catch(() => {});
    this.joined = false;
    this.setState('joining');
    try {
      await this.command(`AT+JOIN=1:0:${intervalS}:${attempts}`);
    } catch (err) {
      this.dropJoinWaiter();
      if (this.state === 'joining') this.setState('ready');
      throw err;
    }
    await done;
  }

  async setDataRate(dr: number): Promise<void> {
    try {
      spreadingFactorOf(dr);
    } catch (err) {
      throw new ModemParamError(errorMessage(err), { cause: err });
    }
    await this.command(`AT+DR=${dr}`);
    this.dr = dr;
    this.emitStatus();
  }

  async send(port: number, bytes: Uint8Array, opts: SendOptions = {}): Promise<SendResult> {
    if (!Number.isInteger(port) || port < 1 || port > 223) throw new ModemParamError(`fPort must be 1–223, got ${port}`);
    const dr = this.dr;
    const max = maxPayloadAt(dr);
    if (bytes.length > max) throw new PayloadTooLargeError(bytes.length, max, dr);
    this.assertUsable();
    // One uplink at a time, claimed before the first await so two callers cannot both pass.
    if (this.sending) throw new ModemBusyError('an uplink is still in flight');
    this.sending = true;
    try {
      return await this.sendClaimed(port, bytes, opts, dr);
    } finally {
      this.sending = false;
      this.emitStatus();
    }
  }

  private async sendClaimed(port: number, bytes: Uint8Array, opts: SendOptions, dr: number): Promise<SendResult> {
    const confirmed = opts.confirmed ?? false;
    if (this.cfm !== confirmed) {
      await this.command(`AT+CFM=${confirmed ? 1 : 0}`);
      this.cfm = confirmed;
    }
    const timeoutMs = opts.timeoutMs ?? defaultTxTimeoutMs(bytes.length, dr, confirmed);
    const done = new Promise<void>((resolve, reject) => {
      const waiter: TxWaiter = {
        confirmed,
        resolve,
        reject,
        cancelTimer: this.clock.setTimeout(() => {
          if (this.tx !== waiter) return;
          this.tx = null;
          this.counters.timeouts++;
          reject(new ModemTimeoutError(`no ${confirmed ? 'confirmation' : 'TX_DONE'} within ${timeoutMs} ms`));
          this.emitStatus();
          // A lost completion event may mean a hung modem: check it without holding up the caller.
          void this.recover('send completion timed out');
        }, timeoutMs),
      };
      this.tx = waiter;
    });
    done.catch(() => {});
    this.emitStatus();
    try {
      await this.command(`AT+SEND=${port}:${Buffer.from(bytes).toString('hex').toUpperCase()}`);
    } catch (err) {
      this.dropTx();
      this.emitStatus();
      throw err;
    }
    await done;
    this.counters.sent++;
    return { confirmed, dr, bytes: bytes.length };
  }

  async linkCheck(opts: LinkCheckOptions = {}): Promise<LinkCheckResult> {
    const port = opts.port ?? LINK_CHECK_PORT;
    const bytes = opts.bytes ?? LINK_CHECK_PROBE;
    if (!Number.isInteger(port) || port < 1 || port > 223) throw new ModemParamError(`fPort must be 1–223, got ${port}`);
    if (bytes.length === 0) throw new ModemParamError('the link-check uplink needs at least one byte (RUI3 refuses an empty AT+SEND)');
    const dr = this.dr;
    const max = maxPayloadAt(dr);
    if (bytes.length > max) throw new PayloadTooLargeError(bytes.length, max, dr);
    this.assertUsable();
    // Not joined: the LinkCheckReq would be armed for an uplink that cannot go out.
    if (!this.joined) throw new NotJoinedError(`${this.name} has not joined; join before a link check`);
    // The link check is an uplink: it takes the same single slot as send().
    if (this.sending) throw new ModemBusyError('an uplink is still in flight');
    this.sending = true;
    const waiter: LinkWaiter = { event: null, notify: null };
    this.linkWaiter = waiter;
    try {
      await this.command('AT+LINKCHECK=1');
      try {
        await this.sendClaimed(port, bytes, { confirmed: false, ...(opts.timeoutMs === undefined ? {} : { timeoutMs: opts.timeoutMs }) }, dr);
      } catch (err) {
        // Refused before going out (duty cycle, busy …): disarm, or the next relay uplink carries the request.
        if (!(err instanceof ModemTimeoutError) && !(err instanceof ModemDownError)) {
          await this.command('AT+LINKCHECK=0').catch((e: unknown) => this.log.debug(() => `AT+LINKCHECK=0 failed: ${errorMessage(e)}`));
        }
        throw err;
      }
      const ev = waiter.event ?? (await this.awaitLinkEvent(waiter));
      if (!ev) {
        this.counters.timeouts++;
        throw new ModemTimeoutError(`no +EVT:LINKCHECK within ${LINK_CHECK_GRACE_MS} ms of the uplink (firmware without link check?)`);
      }
      if (!ev.ok) this.lastError = `link check not answered (result ${ev.code})`;
      return ev.ok
        ? { ok: true, marginDb: ev.marginDb, gateways: ev.gateways, rssi: ev.rssi, snr: ev.snr, dr }
        : { ok: false, marginDb: null, gateways: 0, rssi: null, snr: null, dr };
    } finally {
      if (this.linkWaiter === waiter) this.linkWaiter = null;
      this.sending = false;
      this.emitStatus();
    }
  }

  /** The link-check event that follows TX_DONE, or null when none comes within the grace time. */
  private awaitLinkEvent(waiter: LinkWaiter): Promise<LinkCheckEvent | null> {
    return new Promise((resolve) => {
      const cancel = this.clock.setTimeout(() => {
        waiter.notify = null;
        resolve(null);
      }, LINK_CHECK_GRACE_MS);
      waiter.notify = () => {
        cancel();
        waiter.notify = null;
        resolve(waiter.event);
      };
    });
  }

  async reset(): Promise<void> {
    this.assertOpen();
    await this.softReset();
    if (!(await this.probe())) {
      await this.recover('no answer after reset');
      this.assertUsable();
    }
    this.setState('ready');
  }

  // ---- internals ----

  private assertOpen(): AtTransport {
    if (!this.transport) throw new ModemDownError(`${this.name} is not open`);
    return this.transport;
  }

  private assertUsable(): void {
    this.assertOpen();
    if (this.state === 'down') throw new ModemDownError(`${this.name} is not answering${this.lastError ? `: ${this.lastError}` : ''}`);
  }

  /** Sends one command and maps RUI3 status codes to typed errors; a timeout starts recovery. */
  private async command(cmd: string, timeoutMs = this.commandTimeoutMs): Promise<string[]> {
    const transport = this.assertOpen();
    try {
      return (await transport.command(cmd, timeoutMs)).lines;
    } catch (err) {
      const mapped = mapError(cmd, err);
      this.lastError = mapped.message;
      if (mapped instanceof NotJoinedError && this.joined) {
        this.joined = false;
        this.setState('ready');
      }
      if (err instanceof AtTimeoutError) {
        this.counters.timeouts++;
        void this.recover(`${cmd} timed out`);
      }
      throw mapped;
    }
  }

  /** Join state, data rate and confirm mode as the modem has them (it keeps them across our restarts). */
  private async readSession(): Promise<void> {
    const value = async (cmd: string): Promise<string | null> => {
      try {
        return valueOf(cmd, await this.command(`${cmd}=?`));
      } catch (err) {
        this.log.debug(() => `${cmd}=? failed: ${errorMessage(err)}`);
        return null;
      }
    };
    const njs = await value('AT+NJS');
    const dr = await value('AT+DR');
    const cfm = await value('AT+CFM');
    this.joined = njs === '1';
    if (dr !== null && /^[0-5]$/.test(dr)) this.dr = Number(dr);
    this.cfm = cfm === '1' ? true : cfm === '0' ? false : null;
    this.setState(this.joined ? 'joined' : 'ready');
  }

  private async probe(): Promise<boolean> {
    const transport = this.transport;
    if (!transport) return false;
    for (let i = 0; i < 2; i++) {
      try {
        await transport.command('AT', this.probeTimeoutMs);
        return true;
      } catch (err) {
        if (err instanceof AtClosedError) return false;
      }
    }
    return false;
  }

  private async softReset(): Promise<void> {
    const transport = this.assertOpen();
    this.counters.resets++;
    this.joined = false;
    this.cfm = null;
    this.failWaiters(new ModemDownError('modem reset'));
    try {
      await transport.command('ATZ', this.probeTimeoutMs, { noReply: true });
    } catch (err) {
      this.log.debug(() => `ATZ failed: ${errorMessage(err)}`);
    }
    await this.sleep(this.resetWaitMs);
  }

  /** Never rejects: callers fire it and forget it. */
  private recover(reason: string): Promise<void> {
    this.recovering ??= this.runRecovery(reason)
      .catch((err: unknown) => {
        // close() during recovery ends up here (the transport is gone); nothing left to recover.
        this.log.debug(() => `recovery ended: ${errorMessage(err)}`);
      })
      .finally(() => {
        this.recovering = null;
      });
    return this.recovering;
  }

  private async runRecovery(reason: string): Promise<void> {
    if (!this.transport || this.state === 'down') return;
    const before = this.state;
    this.setState('recovering');
    this.log.warn('modem not answering, probing', { reason });
    if (await this.probe()) {
      this.setState(before === 'joining' && this.joinWaiter ? 'joining' : this.joined ? 'joined' : 'ready');
      return;
    }
    this.log.warn('no answer to AT, resetting (ATZ)');
    await this.softReset();
    if (await this.probe()) return this.backUp('answering after ATZ');
    if (this.opts.hardReset) {
      this.log.warn('no answer after ATZ, pulsing the reset line');
      try {
        await this.opts.hardReset();
      } catch (err) {
        this.log.error('hard reset failed', { error: errorMessage(err) });
      }
      await this.sleep(this.resetWaitMs);
      if (await this.probe()) return this.backUp('answering after hard reset');
    }
    if (!this.transport) return; // closed meanwhile
    this.lastError = `not answering (${reason}); reset did not help`;
    this.log.error('modem down', { reason });
    this.failWaiters(new ModemDownError(this.lastError));
    this.setState('down');
    this.scheduleDownProbe();
  }

  /** The module answers again: resynchronise what it kept (data rate, confirm mode, join state). */
  private async backUp(detail: string): Promise<void> {
    this.log.info('modem back', { detail });
    this.downBackoff.reset();
    this.lastError = null;
    this.setState('ready');
    await this.readSession();
  }

  private scheduleDownProbe(): void {
    const ms = this.downBackoff.next();
    this.cancelDownProbe = this.clock.setTimeout(() => {
      this.cancelDownProbe = null;
      void this.probe()
        .then(async (ok) => {
          if (this.state !== 'down' || !this.transport) return;
          if (ok) await this.backUp('answering again');
          else this.scheduleDownProbe();
        })
        .catch((err: unknown) => this.log.debug(() => `probe ended: ${errorMessage(err)}`));
    }, ms);
  }

  private onPortLost(): void {
    this.log.warn('modem port closed', { path: this.opts.path });
    this.port = null;
    this.transport?.close();
    this.transport = null;
    this.joined = false;
    this.cfm = null;
    this.failWaiters(new ModemDownError('modem port closed'));
    this.lastError = 'port closed';
    this.setState('down');
    this.scheduleReopen();
  }

  /** A USB serial adapter that went away: reopen with backoff until close() is called. */
  private scheduleReopen(): void {
    const ms = this.downBackoff.next();
    this.cancelDownProbe = this.clock.setTimeout(() => {
      this.cancelDownProbe = null;
      this.open().then(
        () => this.downBackoff.reset(),
        (err: unknown) => {
          this.log.debug(() => `reopen failed: ${errorMessage(err)}`);
          if (!this.port && this.state === 'down') this.scheduleReopen();
        },
      );
    }, ms);
  }

  private onEventLine(line: string): void {
    let ev: ModemEvent | null;
    try {
      ev = this.events.parse(line);
    } catch (err) {
      this.log.warn('unparsable event', { line, error: errorMessage(err) });
      return;
    }
    if (!ev) return;
    switch (ev.type) {
      case 'joined': {
        this.joined = true;
        this.cfm = null;
        const w = this.joinWaiter;
        this.joinWaiter = null;
        w?.cancelTimer();
        this.setState('joined');
        w?.resolve();
        return;
      }
      case 'joinFailed': {
        const w = this.joinWaiter;
        if (!w) return;
        w.failures++;
        this.log.info('join attempt failed', { detail: ev.detail, failures: w.failures, attempts: w.attempts });
        if (w.failures < w.attempts) return;
        this.joinWaiter = null;
        w.cancelTimer();
        this.lastError = `join failed after ${w.failures} attempt(s): ${ev.detail}`;
        this.setState('ready');
        w.reject(new JoinFailedError(this.lastError));
        return;
      }
      case 'txDone':
        if (this.tx && !this.tx.confirmed) this.finishTx(null);
        return;
      case 'confirmedOk':
        if (this.tx?.confirmed) this.finishTx(null);
        return;
      case 'confirmedFailed':
        if (!this.tx) return;
        this.counters.confirmedFailed++;
        this.finishTx(new ConfirmedSendFailedError(`confirmed uplink not acknowledged${ev.code === null ? '' : ` (code ${ev.code})`}`, ev.code));
        return;
      case 'linkCheck': {
        const w = this.linkWaiter;
        if (!w) {
          this.log.debug(() => `link check result with nobody waiting: ${line}`);
          return;
        }
        w.event = ev;
        w.notify?.();
        return;
      }
      case 'rx':
        // fPort 0 carries MAC commands only; an ACK-only downlink has no application data.
        if (ev.port === 0) return;
        this.counters.downlinks++;
        this.bus.emit('downlink', {
          port: ev.port,
          bytes: ev.bytes,
          rssi: ev.rssi,
          snr: ev.snr,
          window: ev.window,
          multicast: ev.multicast,
          receivedAt: this.clock.now(),
        });
        return;
      case 'other':
        this.log.debug(() => `unhandled event ${ev.text}`);
        return;
    }
  }

  private finishTx(err: Error | null): void {
    const tx = this.tx;
    if (!tx) return;
    this.tx = null;
    tx.cancelTimer();
    if (err) {
      this.lastError = err.message;
      tx.reject(err);
    } else tx.resolve();
  }

  /** Forgets a waiter whose command failed (its promise is already observed). */
  private dropTx(): void {
    this.tx?.cancelTimer();
    this.tx = null;
  }

  private dropJoinWaiter(): void {
    this.joinWaiter?.cancelTimer();
    this.joinWaiter = null;
  }

  private failWaiters(err: Error): void {
    const tx = this.tx;
    this.tx = null;
    tx?.cancelTimer();
    tx?.reject(err);
    const jw = this.joinWaiter;
    this.joinWaiter = null;
    jw?.cancelTimer();
    jw?.reject(err);
  }

  private setState(state: ModemState): void {
    const changed = state !== this.state;
    this.state = state;
    if (changed) this.emitStatus();
  }

  private emitStatus(): void {
    this.bus.emit('status', this.status());
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.clock.setTimeout(resolve, ms));
  }
}

/** Value of a `AT+XXX=?` reply: RUI3 4.x prints `AT+XXX=<v>`, older firmware just `<v>`. */
export function valueOf(cmd: string, lines: string[]): string | null {
  const last = lines.at(-1);
  if (last === undefined) return null;
  return last.startsWith(`${cmd}=`) ? last.slice(cmd.length + 1) : last;
}

function defaultTxTimeoutMs(bytes: number, dr: number, confirmed: boolean): number {
  const once = lorawanAirtimeMs(bytes, spreadingFactorOf(dr)) + RX_WINDOWS_MS;
  // Confirmed uplinks may be retransmitted (AT+RETY, up to 7) before the modem gives up.
  return Math.ceil(confirmed ? 8 * once + 10_000 : once + 5_000);
}

function mapError(cmd: string, err: unknown): LoraModemError {
  if (err instanceof AtStatusError) {
    const opts = { cause: err };
    switch (err.status) {
      case 'AT_BUSY_ERROR':
        return new ModemBusyError(`${cmd}: modem busy`, opts);
      case 'AT_NO_NETWORK_JOINED':
        return new NotJoinedError(`${cmd}: not joined`, opts);
      case 'AT_PARAM_ERROR':
      case 'AT_TEST_PARAM_OVERFLOW':
        return new ModemParamError(`${cmd}: ${err.status}`, opts);
      case 'AT_DUTYCYCLE_RESTRICTED':
      case 'AT_DUTYCYLE_RESTRICTED':
        return new DutyCycleError(`${cmd}: duty cycle restricted`, opts);
      default:
        return new ModemCommandError(`${cmd}: ${err.status}`, err.status);
    }
  }
  if (err instanceof AtTimeoutError) return new ModemTimeoutError(err.message, { cause: err });
  if (err instanceof AtClosedError) return new ModemDownError(err.message, { cause: err });
  return new LoraModemError(`${cmd}: ${errorMessage(err)}`, { cause: err });
}
