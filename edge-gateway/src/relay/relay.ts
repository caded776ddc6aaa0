// The relay: the services submit() reports, the outbox keeps them durably, and the relay moves them
// to the coordinator over IP while that path is healthy and over LoRa when it is not, and back.
// A message leaves the outbox only on the coordinator's acknowledgement (IP ack by row id, LoRa
// downAck by 6-bit id); anything unacknowledged on a path that failed goes again on the other one,
// and the coordinator applies each message id once, so a switch loses nothing and doubles nothing.
import { EventBus } from '../core/bus.js';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../log/logger.js';
import type { IpPath } from './ip-path.js';
import type { LoraPath } from './lora-path.js';
import { LoraSendDeferredError } from './lora-path.js';
import type { EmergencyReport, HelpReport, NeedsReport, RelayPayload, SafeRegistration, StatusReport } from './messages.js';
import type { Outbox, OutboxRow, RelayPathName } from './outbox.js';
import type { LoraBudget } from './scheduler.js';
import { pickNext } from './scheduler.js';
import { encodeFrames, LoraCodecError } from '../lora/codec/index.js';
import { toLoraMessage } from './messages.js';

/** A submitted report the codec cannot encode (a value out of range, an unknown category, too long). */
export class RelayPayloadError extends Error {
  override name = 'RelayPayloadError';
}

export interface RelayOptions {
  pointId: string;
  outbox: Outbox;
  clock: Clock;
  log: Logger;
  ip?: IpPath;
  lora?: LoraPath;
  /** Needed with `lora`. */
  budget?: LoraBudget;
  /** A LoRa message without a downAck by then is sent again (its RX windows also fetch the ack). Default 15 min. */
  loraAckTimeoutMs?: number;
  /** How often due messages and waits are re-examined (clock ms, default 1 s). */
  tickMs?: number;
}

/** What submit() returns once the message is durable. */
export interface Submitted {
  /** Outbox row id (the apply-once id is given when the message is first sent). */
  ref: number;
}

export interface RelayEvents {
  /** A message went out on a path (for LoRa: every frame sent, `confirmed` if the network confirmed them). */
  sent: { row: OutboxRow; path: RelayPathName; at: number; confirmed: boolean };
  /** The coordinator acknowledged it; it has left the outbox. */
  delivered: { row: OutboxRow; path: RelayPathName; at: number };
  path: { active: RelayPathName | null };
}

export class Relay {
  private readonly bus: EventBus<RelayEvents>;
  private pumping = false;
  private again = false;
  private stopped = true;
  private cancelTick: (() => void) | null = null;
  private active: RelayPathName | null = null;

  constructor(private readonly opts: RelayOptions) {
    if (opts.lora && !opts.budget) throw new Error('a LoRa path needs a LoraBudget');
    this.bus = new EventBus<RelayEvents>(opts.log);
    opts.ip?.onAck((refs) => this.delivered(this.opts.outbox.ackRefs(refs), 'ip'));
    opts.lora?.onDownAck((ids) => this.delivered(this.opts.outbox.ackLoraIds(ids), 'lora'));
    opts.ip?.onHealth((healthy) => {
      const moved = this.opts.outbox.requeuePath(healthy ? 'lora' : 'ip');
      opts.log.info(healthy ? 'IP path healthy: relaying over MQTT' : 'IP path down: relaying over LoRa', { requeued: moved });
      this.kick();
    });
  }

  on<K extends keyof RelayEvents>(event: K, fn: (p: RelayEvents[K]) => void): () => void {
    return this.bus.on(event, fn);
  }

  /** The path the relay used last (null before any). */
  get activePath(): RelayPathName | null {
    return this.active;
  }

  // ---- the service API: each resolves once the message is durable in the outbox ----

  submitEmergency(report: EmergencyReport): Submitted {
    return this.submit({ kind: 'emergency', body: report });
  }
  submitNeeds(report: NeedsReport): Submitted {
    return this.submit({ kind: 'needs', body: report });
  }
  submitSafe(registration: SafeRegistration): Submitted {
    return this.submit({ kind: 'safe', body: registration });
  }
  /** Replaces any status not yet delivered: only the newest matters. */
  submitStatus(status: StatusReport): Submitted {
    return this.submit({ kind: 'status', body: status });
  }
  /** Help counts for the LoRa path (relay/help-lora.ts decides when); replaces any not yet sent. */
  submitHelp(report: HelpReport): Submitted {
    return this.submit({ kind: 'help', body: report });
  }

  /** Stores a report durably; throws RelayPayloadError (nothing stored) if the codec cannot carry it. */
  submit(p: RelayPayload): Submitted {
    const now = this.opts.clock.now();
    try {
      // The same codec both paths use, at the smallest payload (SF12): what passes here can always go.
      encodeFrames(toLoraMessage(p, 0, now, now), 51, 0);
    } catch (err) {
      if (err instanceof LoraCodecError) throw new RelayPayloadError(`${p.kind} report cannot be relayed: ${err.message}`, { cause: err });
      throw err;
    }
    const row = this.opts.outbox.accept(p, now);
    this.kick();
    return { ref: row.id };
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.cancelTick = this.opts.clock.setInterval(() => this.kick(), this.opts.tickMs ?? 1000);
    this.kick();
  }

  /** Stops sending; a LoRa send in progress finishes. Messages stay in the outbox. */
  stop(): void {
    this.stopped = true;
    this.cancelTick?.();
    this.cancelTick = null;
  }

  /** Runs the pump now (it is also run on submit, acks, path changes and every tick). */
  kick(): void {
    if (this.stopped) return;
    if (this.pumping) {
      this.again = true;
      return;
    }
    this.pumping = true;
    void this.pump()
      .catch((err: unknown) => this.opts.log.error('relay pump failed', { error: errorMessage(err) }))
      .finally(() => {
        this.pumping = false;
      });
  }

  private async pump(): Promise<void> {
    const { outbox, clock, ip, lora } = this.opts;
    do {
      this.again = false;
      if (this.stopped) return;
      const now = clock.now();
      if (ip?.healthy(now)) {
        this.setActive('ip');
        for (let next = outbox.next(now); next; next = outbox.next(now)) {
          if (next.kind === 'help') {
            // Over IP the point's MQTT status carries its help counts: the LoRa form has nothing to add.
            outbox.ackRefs([next.id]);
            continue;
          }
          const row = outbox.assignSeq(next);
          try {
            ip.send(row, this.opts.pointId);
          } catch (err) {
            this.opts.log.debug('IP send refused', { error: errorMessage(err) });
            break;
          }
          outbox.markSent(row.id, 'ip', now, now + ip.ackTimeoutMs);
          this.bus.emit('sent', { row, path: 'ip', at: now, confirmed: false });
        }
      } else if (lora?.ready && this.opts.budget) {
        this.setActive('lora');
        const pick = pickNext(outbox, 'lora', now, { budget: this.opts.budget, airtimeMs: (r) => lora.airtimeMs(r, now) });
        if (!pick.row) continue;
        await this.sendLora(outbox.assignSeq(pick.row), lora);
        this.again = true;
      }
    } while (this.again);
  }

  private async sendLora(row: OutboxRow, lora: LoraPath): Promise<void> {
    const { outbox, clock, log } = this.opts;
    try {
      const r = await lora.send(row);
      const at = clock.now();
      if (row.seq === null) {
        // A status has no id to acknowledge; the next one replaces it if this one was lost.
        outbox.ackRefs([row.id]);
      } else {
        outbox.markSent(row.id, 'lora', at, at + (this.opts.loraAckTimeoutMs ?? 900_000));
        if (r.confirmed) outbox.markConfirmed(row.id);
        // IP came back while this was on the air: let IP fetch its ack now rather than waiting for a downAck.
        if (this.opts.ip?.healthy(at)) outbox.requeue(row.id);
      }
      this.bus.emit('sent', { row, path: 'lora', at, confirmed: r.confirmed });
      if (row.seq === null) this.bus.emit('delivered', { row, path: 'lora', at });
    } catch (err) {
      if (!(err instanceof LoraSendDeferredError)) throw err;
      log.info('LoRa send deferred', { ref: row.id, kind: row.kind, reason: err.message, retryInMs: err.retryInMs });
      if (outbox.get(row.id)) outbox.requeue(row.id, clock.now() + err.retryInMs);
    }
  }

  private delivered(rows: OutboxRow[], path: RelayPathName): void {
    const at = this.opts.clock.now();
    for (const row of rows) this.bus.emit('delivered', { row, path, at });
    if (rows.length) this.kick();
  }

  private setActive(p: RelayPathName): void {
    if (this.active === p) return;
    this.active = p;
    this.bus.emit('path', { active: p });
  }
}
