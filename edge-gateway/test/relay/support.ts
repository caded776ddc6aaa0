// Shared pieces of the relay tests: an outbox database, sample reports, and a LoraModem double that
// answers on virtual time (the relay is under test here, not a modem driver).
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { EventBus } from '../../src/core/bus.js';
import type { Clock } from '../../src/core/clock.js';
import type { Downlink, LinkCheckResult, LoraModem, ModemEvents, ModemStatus, SendOptions, SendResult } from '../../src/drivers/lora-modem/index.js';
import { maxPayloadAt } from '../../src/drivers/lora-modem/index.js';
import { MIGRATIONS, migrate } from '../../src/store/migrations.js';
import { relayOutboxMigration } from '../../src/relay/outbox.js';
import { messageInboxMigration } from '../../src/coordinator/message-inbox.js';
import { encodeMessage } from '../../src/lora/codec/index.js';
import type { EmergencyReport, NeedsReport, SafeRegistration, StatusReport } from '../../src/relay/messages.js';

export function relayDb(path = ':memory:'): Db {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  migrate(db, [...MIGRATIONS, relayOutboxMigration, messageInboxMigration]);
  return db;
}

/** A note too long for one 51-byte frame (SF10–SF12). */
export const LONG_NOTE =
  'Brand in de schuur achter Kerkstraat 12, twee mensen met brandwonden, één kind vermist. Stuur ambulance en brandweer. ' +
  'De weg naar de Oudegracht is geblokkeerd door omgevallen bomen; kom via de Lange Nieuwstraat. Bel 0612345678.';

export const emergency = (note = 'Man onwel bij de ingang, Kerkstraat 12.'): EmergencyReport => ({ type: 'medical', severity: 'critical', people: 1, note });
export const needs = (people = 30): NeedsReport => ({ needs: [{ category: 'water', severity: 'high', people }] });
export const safe = (name = 'Fam. de Vries'): SafeRegistration => ({ people: 3, postcode: '3511AB', houseNumber: 12, name });
export const status = (visitorsPresent = 20): StatusReport => ({
  fuelPct: 60,
  hoursToEmpty: 31.5,
  batteryPct: 80,
  batteryV: 12.6,
  generator: 'running',
  visitorsPresent,
  visitorsLastHour: 40,
  chargingW: 90,
  chargingSessions: 10,
  alarms: [],
  link: 'ip_down',
});

export interface SentFrame {
  port: number;
  bytes: Uint8Array;
  confirmed: boolean;
  at: number;
}

/**
 * A modem on virtual time: a send takes `txMs` of clock time; `script` may throw a typed error for a
 * send instead. Downlinks are injected with `downAck()`.
 */
export class VirtualModem implements LoraModem {
  readonly name = 'virtual';
  readonly sent: SentFrame[] = [];
  joined = true;
  joins = 0;
  dr = 5;
  sending = false;
  script: ((n: number, confirmed: boolean) => Error | null) | null = null;
  /** Play a coordinator that acks every id-bearing frame in the RX window of the following uplink. */
  autoAck = false;
  private ackDue: number[] = [];
  private readonly bus = new EventBus<ModemEvents>();

  constructor(
    private readonly clock: Clock,
    private readonly txMs = 2000,
  ) {}

  async open(): Promise<void> {}
  async close(): Promise<void> {}
  async join(): Promise<void> {
    this.joins++;
    this.joined = true;
  }
  async setDataRate(dr: number): Promise<void> {
    this.dr = dr;
  }
  async reset(): Promise<void> {
    this.joined = false;
  }
  send(port: number, bytes: Uint8Array, opts: SendOptions = {}): Promise<SendResult> {
    const confirmed = opts.confirmed ?? false;
    const err = this.script?.(this.sent.length, confirmed) ?? null;
    if (err && err.name !== 'ConfirmedSendFailedError') return Promise.reject(err);
    return new Promise((resolve, reject) => {
      this.sending = true;
      const at = this.clock.now();
      this.clock.setTimeout(() => {
        this.sending = false;
        this.sent.push({ port, bytes, confirmed, at });
        if (this.autoAck && !err) {
          if (this.ackDue.length) this.downAck(this.ackDue.splice(0));
          if (port >= 2 && port <= 6) this.ackDue.push((bytes[0] ?? 0) & 63);
        }
        if (err) reject(err);
        else resolve({ confirmed, dr: this.dr, bytes: bytes.length });
      }, this.txMs);
    });
  }
  /** What the network answers a link check with (the uplink itself goes through send()). */
  linkAnswer: Omit<LinkCheckResult, 'dr'> = { ok: true, marginDb: 20, gateways: 1, rssi: -80, snr: 7 };
  async linkCheck(): Promise<LinkCheckResult> {
    await this.send(223, Uint8Array.of(0));
    return { ...this.linkAnswer, dr: this.dr };
  }
  status(): ModemStatus {
    return {
      state: this.joined ? 'joined' : 'ready',
      joined: this.joined,
      dr: this.dr,
      maxPayload: maxPayloadAt(this.dr),
      sending: this.sending,
      counters: { sent: this.sent.length, confirmedFailed: 0, downlinks: 0, timeouts: 0, resets: 0 },
      lastError: null,
    };
  }
  on<K extends keyof ModemEvents>(event: K, fn: (payload: ModemEvents[K]) => void): () => void {
    return this.bus.on(event, fn);
  }
  downAck(ids: number[]): void {
    const f = encodeMessage({ kind: 'downAck', ids });
    const d: Downlink = { port: f.port, bytes: f.bytes, rssi: -80, snr: 7, window: 'RX_1', multicast: false, receivedAt: this.clock.now() };
    this.bus.emit('downlink', d);
  }
}

/** Advances a ManualClock in steps, letting promise callbacks run between them. */
export async function advance(clock: { advance(ms: number): void }, ms: number, step = 100): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    clock.advance(Math.min(step, ms - t));
    for (let i = 0; i < 5; i++) await Promise.resolve();
    await new Promise((r) => setImmediate(r));
  }
}
