// The LoRa side of the relay: one message at a time through a LoraModem. Messages longer than the
// current data rate allows are fragmented by the codec; emergencies go as confirmed uplinks and are
// retried when the network does not confirm them. The modem's typed errors decide what happens next:
// busy → wait for the current uplink, not joined → rejoin, duty cycle → come back when a band is free.
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../log/logger.js';
import { lorawanAirtimeMs, timeOnAirMs } from '../lora/airtime.js';
import { decodeFrame, encodeFrames, FrameDecodeError } from '../lora/codec/index.js';
import type { Frame } from '../lora/codec/index.js';
import type { JoinOptions, LoraModem } from '../drivers/lora-modem/index.js';
import { ConfirmedSendFailedError, DutyCycleError, ModemBusyError, NotJoinedError, spreadingFactorOf } from '../drivers/lora-modem/index.js';
import type { LinkCheckResult } from '../drivers/lora-modem/index.js';
import { toLoraMessage } from './messages.js';
import type { RelayPayload } from './messages.js';
import type { OutboxRow } from './outbox.js';
import type { LoraBudget } from './scheduler.js';
import { EU868_JOIN_SUB_BAND } from './scheduler.js';

/** PHY size of a LoRaWAN join request: MHDR 1 + JoinEUI 8 + DevEUI 8 + DevNonce 2 + MIC 4. */
const JOIN_REQUEST_BYTES = 23;

export interface LoraPathOptions {
  modem: LoraModem;
  budget: LoraBudget;
  clock: Clock;
  log: Logger;
  /** Confirmed attempts of an emergency frame before giving up for now (default 4: first + 3 retries). */
  confirmedAttempts?: number;
  /** Attempts when the modem says busy or not joined (default 5). */
  busyAttempts?: number;
  busyWaitMs?: number;
  join?: JoinOptions;
  /** Sub-band of the join channels, as named in the budget (default EU868 868.0–868.6 MHz). */
  joinSubBand?: string;
}

/** The message could not go now; `retryInMs` says when trying again makes sense. */
export class LoraSendDeferredError extends Error {
  override name = 'LoraSendDeferredError';
  constructor(
    message: string,
    readonly retryInMs: number,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

export interface LoraSendResult {
  frames: number;
  airtimeMs: number;
  /** Every frame was confirmed by the network (confirmed uplinks only). */
  confirmed: boolean;
}

export class LoraPath {
  private readonly downAckFns: ((ids: number[]) => void)[] = [];
  private joining: Promise<void> | null = null;
  private busy = false;
  readonly stats = { frames: 0, confirmedRetries: 0, rejoins: 0, dutyCycleRefusals: 0, downAcks: 0 };

  constructor(private readonly opts: LoraPathOptions) {
    opts.modem.on('downlink', (d) => {
      if (d.port !== 10) return;
      try {
        const m = decodeFrame(d.port, d.bytes);
        if (m.kind !== 'downAck') return;
        this.stats.downAcks++;
        for (const fn of this.downAckFns) fn(m.ids);
      } catch (err) {
        if (!(err instanceof FrameDecodeError)) throw err;
        opts.log.warn('undecodable downlink ack', { error: err.message });
      }
    });
  }

  /** Ids (6 bits) the coordinator acknowledged in a downlink. */
  onDownAck(fn: (ids: number[]) => void): void {
    this.downAckFns.push(fn);
  }

  /** The modem can take a message (open and not in the middle of one of ours). */
  get ready(): boolean {
    const s = this.opts.modem.status().state;
    return !this.busy && s !== 'closed' && s !== 'down';
  }

  frames(row: OutboxRow, now: number): Frame[] {
    const max = this.opts.modem.status().maxPayload;
    return encodeFrames(toLoraMessage(row.payload, row.seq, row.created, now), max, row.seq === null ? undefined : row.seq & 63);
  }

  airtimeMs(row: OutboxRow, now: number): number {
    const sf = spreadingFactorOf(this.opts.modem.status().dr);
    return this.frames(row, now).reduce((n, f) => n + lorawanAirtimeMs(f.bytes.length, sf), 0);
  }

  /** Airtime an id-less payload (status, help counts) would take at the current data rate. */
  payloadAirtimeMs(payload: RelayPayload, now: number): number {
    return this.airtimeMs({ id: 0, kind: payload.kind, priority: 0, seq: null, payload, created: now, attempts: 0, state: 'pending', path: null, sentAt: null, retryAt: null, confirmed: false }, now);
  }

  async ensureJoined(): Promise<void> {
    const { modem, budget, clock } = this.opts;
    if (modem.status().joined) return;
    this.joining ??= modem
      .join(this.opts.join)
      .then(() => {
        this.stats.rejoins++;
        // The join request (23 bytes) silenced its sub-band too; booked at completion, which errs long.
        budget.record(timeOnAirMs(JOIN_REQUEST_BYTES, { sf: spreadingFactorOf(modem.status().dr) }), clock.now(), this.opts.joinSubBand ?? EU868_JOIN_SUB_BAND);
      })
      .finally(() => {
        this.joining = null;
      });
    await this.joining;
  }

  /** Sends every frame of a message; throws LoraSendDeferredError when it must wait. */
  async send(row: OutboxRow): Promise<LoraSendResult> {
    if (this.busy) throw new LoraSendDeferredError('the LoRa path is sending', 100);
    this.busy = true;
    try {
      const emergency = row.kind === 'emergency';
      const frames = this.frames(row, this.opts.clock.now());
      let airtime = 0;
      let confirmed = emergency;
      for (const f of frames) {
        const r = await this.sendFrame(f, emergency);
        airtime += r.airtimeMs;
        confirmed &&= r.confirmed;
      }
      return { frames: frames.length, airtimeMs: airtime, confirmed };
    } finally {
      this.busy = false;
    }
  }

  private async sendFrame(f: Frame, emergency: boolean): Promise<{ airtimeMs: number; confirmed: boolean }> {
    const { modem, budget, clock, log } = this.opts;
    const confirmedAttempts = this.opts.confirmedAttempts ?? 4;
    const busyAttempts = this.opts.busyAttempts ?? 5;
    let confirmFailures = 0;
    let hiccups = 0;
    let airtime = 0;
    for (;;) {
      try {
        await this.ensureJoined();
      } catch (err) {
        throw new LoraSendDeferredError(`join failed: ${errorMessage(err)}`, 30_000, { cause: err });
      }
      const ms = lorawanAirtimeMs(f.bytes.length, spreadingFactorOf(modem.status().dr));
      const v = budget.check(emergency, ms, clock.now());
      if (!v.ok) {
        // A retry of a confirmed frame waits for its band here rather than losing its turn.
        if (!emergency || v.waitMs > 60_000) throw new LoraSendDeferredError(`no airtime: ${v.reason}`, v.waitMs);
        await this.sleep(v.waitMs);
        continue;
      }
      try {
        const start = clock.now();
        budget.record(ms, start);
        airtime += ms;
        const r = await modem.send(f.port, f.bytes, { confirmed: emergency });
        this.stats.frames++;
        return { airtimeMs: airtime, confirmed: r.confirmed };
      } catch (err) {
        if (err instanceof ConfirmedSendFailedError) {
          confirmFailures++;
          this.stats.confirmedRetries++;
          log.warn('confirmed uplink not acknowledged', { attempt: confirmFailures, port: f.port });
          if (confirmFailures >= confirmedAttempts) throw new LoraSendDeferredError('no confirmation from the network', 10_000, { cause: err });
          continue;
        }
        if (err instanceof DutyCycleError) {
          // The modem knows better than our books (another sub-band plan, a restart): back off.
          this.stats.dutyCycleRefusals++;
          budget.blockAll(clock.now() + 10_000);
          if (!emergency) throw new LoraSendDeferredError('modem refused for duty cycle', 10_000, { cause: err });
          await this.sleep(1_000);
          continue;
        }
        if (err instanceof ModemBusyError || err instanceof NotJoinedError) {
          if (++hiccups >= busyAttempts) throw new LoraSendDeferredError(`modem: ${err.message}`, 5_000, { cause: err });
          await this.sleep(err instanceof ModemBusyError ? (this.opts.busyWaitMs ?? 500) : 0);
          continue; // NotJoinedError: status().joined is false now, ensureJoined() rejoins
        }
        throw new LoraSendDeferredError(`modem: ${errorMessage(err)}`, 5_000, { cause: err });
      }
    }
  }

  /**
   * Commissioning's link check: joins if needed, waits (up to `waitMs`) for a message of the relay to
   * finish, books the probe uplink in the airtime budget, then asks the modem. Throws
   * LoraSendDeferredError when the path stays busy or the budget has no airtime now.
   */
  async linkCheck(waitMs = 30_000): Promise<LinkCheckResult> {
    const { modem, budget, clock } = this.opts;
    const deadline = clock.now() + waitMs;
    while (this.busy) {
      if (clock.now() >= deadline) throw new LoraSendDeferredError('the LoRa path is sending', 1_000);
      await this.sleep(500);
    }
    this.busy = true;
    try {
      await this.ensureJoined();
      // The probe: one payload byte, plus the LinkCheckReq's CID byte in FOpts.
      const ms = lorawanAirtimeMs(2, spreadingFactorOf(modem.status().dr));
      for (;;) {
        const v = budget.check(false, ms, clock.now());
        if (v.ok) break;
        // Right after a join its sub-band is still silent; a short wait is fine with a technician present.
        if (clock.now() + v.waitMs > deadline) throw new LoraSendDeferredError(`no airtime: ${v.reason}`, v.waitMs);
        await this.sleep(v.waitMs);
      }
      budget.record(ms, clock.now());
      return await modem.linkCheck();
    } finally {
      this.busy = false;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.opts.clock.setTimeout(resolve, ms));
  }
}
