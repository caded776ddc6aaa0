// A whole point ↔ coordinator relay in simulation, for the end-to-end test and the `lora` bench:
// an in-process MQTT broker (the coordinator's), a cut-able TCP proxy as the point's IP link, the
// simulated RAK3172 + LoRaWAN network server (publishing ChirpStack v4 events to that broker), the
// real RAK3172 driver on the socat pty, the relay, and the coordinator's RelayIngest.
// A trial: IP up → IP cut → a backlog flows over LoRa, an emergency is submitted behind it → IP back →
// the outbox drains. Every report carries a unique marker, so the coordinator's inbox shows what was
// lost (marker never applied) or duplicated (marker applied twice).
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import type { Server, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { Aedes } from 'aedes';
import { SystemClock } from '../core/clock.js';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import { Rak3172Modem } from '../drivers/lora-modem/index.js';
import { startLoraSimulation } from '../sim/lora/index.js';
import { MIGRATIONS, migrate } from '../store/migrations.js';
import { MessageInbox, messageInboxMigration } from '../coordinator/message-inbox.js';
import type { InboxMessage } from '../coordinator/message-inbox.js';
import { RelayIngest } from '../coordinator/lora-ingest.js';
import { IpPath } from './ip-path.js';
import { LoraPath } from './lora-path.js';
import { Outbox, relayOutboxMigration } from './outbox.js';
import { Relay } from './relay.js';
import { LoraBudget } from './scheduler.js';
import type { RelayPathName } from './outbox.js';

const DEVICE = { devEui: 'ac1f09fffe0a1b2c', joinEui: '0000000000000001', appKey: '8d7f3b2a1c0e4f5a6b7c8d9e0f1a2b3c', name: 'punt-sim-01' };
const APP_ID = '0b6f7c2e-1d3a-4e5f-8a9b-1c2d3e4f5a6b';

/** A TCP proxy whose link can be cut (connections dropped, new ones refused) and restored. */
class CuttableLink {
  private readonly pairs = new Set<[Socket, Socket]>();
  private cut = false;
  private server: Server | null = null;
  port = 0;

  constructor(private readonly upstreamPort: number) {}

  async start(): Promise<void> {
    const server = createServer((down) => {
      if (this.cut) return down.destroy();
      const up = connect(this.upstreamPort, '127.0.0.1');
      const pair: [Socket, Socket] = [down, up];
      this.pairs.add(pair);
      const drop = () => {
        down.destroy();
        up.destroy();
        this.pairs.delete(pair);
      };
      down.on('error', drop).on('close', drop);
      up.on('error', drop).on('close', drop);
      down.pipe(up);
      up.pipe(down);
    });
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    const a = server.address();
    if (!a || typeof a === 'string') throw new Error('proxy has no port');
    this.port = a.port;
    this.server = server;
  }

  setCut(cut: boolean): void {
    this.cut = cut;
    if (!cut) return;
    for (const [a, b] of this.pairs) {
      a.destroy();
      b.destroy();
    }
  }

  async close(): Promise<void> {
    this.setCut(true);
    await new Promise<void>((res) => (this.server ? this.server.close(() => res()) : res()));
  }
}

export interface FailoverTrialOptions {
  /** Simulated time runs this much faster than wall time (default 10). */
  speed?: number;
  /** Needs and safe reports submitted while IP is down (default 24). */
  backlog?: number;
  /** Statuses submitted while IP is down, one per simulated 5 s (they coalesce; default 12). */
  statuses?: number;
  /** Reports relayed over LoRa before the emergency is submitted (default 3). */
  emergencyAfter?: number;
  /** LoRa frames sent while IP is down before it comes back (default 10). */
  loraFramesBeforeRestore?: number;
  /** Submit the emergency while a routine uplink is on the air (the worst case), not between uplinks. */
  emergencyWhileSending?: boolean;
  /** EU868 data rate of the modem (default 5). */
  dr?: number;
  log?: Logger;
  /** Wall-clock limit for the whole trial (default 50 s). */
  timeoutMs?: number;
}

export interface FailoverTrialResult {
  submitted: number;
  lost: number;
  duplicated: number;
  /** Simulated ms from submitting the emergency to the modem reporting it sent (and confirmed). */
  emergencyTxDelayMs: number;
  emergencyConfirmed: boolean;
  emergencyPath: RelayPathName;
  /** Messages waiting in the outbox when the emergency was submitted. */
  backlogAtEmergency: number;
  deliveredBy: Record<'ip' | 'chirpstack' | 'ttn', number>;
  loraFrames: number;
  coordinatorDuplicatesDropped: number;
}

async function until(cond: () => boolean, what: string, deadline: number): Promise<void> {
  while (!cond()) {
    if (Date.now() > deadline) throw new Error(`failover trial: timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

function markerOf(m: Pick<InboxMessage, 'kind' | 'body'>): string {
  const b = m.body as { needs?: { people: number | null }[]; name?: string; note?: string };
  if (m.kind === 'needs') return `needs:${b.needs?.[0]?.people ?? '?'}`;
  if (m.kind === 'safe') return `safe:${b.name ?? '?'}`;
  return `emergency:${b.note ?? '?'}`;
}

export async function runFailoverTrial(opts: FailoverTrialOptions = {}): Promise<FailoverTrialResult> {
  const speed = opts.speed ?? 10;
  const log = opts.log ?? silentLogger;
  const deadline = Date.now() + (opts.timeoutMs ?? 50_000);
  const clock = new SystemClock(speed);
  const cleanups: (() => Promise<void> | void)[] = [];
  const dir = mkdtempSync(join(tmpdir(), 'relay-failover-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  try {
    // The coordinator's broker, and the point's IP link to it through a proxy that can be cut.
    const broker = await Aedes.createBroker();
    const brokerServer = createServer(broker.handle);
    await new Promise<void>((res) => brokerServer.listen(0, '127.0.0.1', res));
    cleanups.push(() => new Promise<void>((res) => broker.close(() => brokerServer.close(() => res()))));
    const addr = brokerServer.address();
    if (!addr || typeof addr === 'string') throw new Error('broker has no port');
    const brokerUrl = `mqtt://127.0.0.1:${addr.port}`;
    const link = new CuttableLink(addr.port);
    await link.start();
    cleanups.push(() => link.close());

    // Coordinator: inbox + ingest of ChirpStack events and the direct path.
    const coordDb = new Database(join(dir, 'coordinator.db'));
    cleanups.push(() => void coordDb.close());
    migrate(coordDb, [...MIGRATIONS, messageInboxMigration]);
    const inbox = new MessageInbox(coordDb);
    const appliedMarkers = new Map<string, number>();
    const deliveredBy = { ip: 0, chirpstack: 0, ttn: 0 };
    const ingest = new RelayIngest({
      url: brokerUrl,
      clientId: 'coordinator',
      inbox,
      clock,
      log: log.child('coordinator'),
      ackDelayMs: 2000,
      on: {
        message: (m) => {
          const k = markerOf(m);
          appliedMarkers.set(k, (appliedMarkers.get(k) ?? 0) + 1);
          deliveredBy[m.path]++;
        },
      },
    });
    await ingest.start();
    cleanups.push(() => ingest.stop());

    // LoRa: simulated module + network server, the real driver on the pty.
    const lora = await startLoraSimulation({ device: DEVICE, applicationId: APP_ID, mqtt: { url: brokerUrl }, clock, log: log.child('sim'), module: { seed: 11 } });
    cleanups.push(() => lora.close());
    const modem = new Rak3172Modem({ path: lora.gatewayPath, log: log.child('modem') });
    await modem.open();
    cleanups.push(() => modem.close());
    await modem.setDataRate(opts.dr ?? 5);

    // The point's relay.
    const pointDb = new Database(join(dir, 'point.db'));
    cleanups.push(() => void pointDb.close());
    pointDb.pragma('journal_mode = WAL');
    pointDb.pragma('synchronous = FULL');
    migrate(pointDb, [...MIGRATIONS, relayOutboxMigration]);
    const outbox = new Outbox(pointDb);
    const budget = new LoraBudget();
    const loraPath = new LoraPath({ modem, budget, clock, log: log.child('lora'), join: { attempts: 3, intervalS: 7 } });
    const ip = new IpPath({ url: `mqtt://127.0.0.1:${link.port}`, pointId: DEVICE.name, clock, log: log.child('ip'), reconnectPeriodMs: 300, ackTimeoutMs: 10_000, holdDownMs: 20_000 });
    const relay = new Relay({ pointId: DEVICE.name, outbox, clock, log: log.child('relay'), ip, lora: loraPath, budget, loraAckTimeoutMs: 120_000, tickMs: 1000 });
    const sent = new Map<number, { at: number; path: RelayPathName; confirmed: boolean }>();
    relay.on('sent', (e) => {
      if (!sent.has(e.row.id)) sent.set(e.row.id, { at: e.at, path: e.path, confirmed: e.confirmed });
    });
    await ip.start();
    cleanups.push(() => ip.stop());
    relay.start();
    cleanups.push(() => relay.stop());
    await loraPath.ensureJoined();
    await until(() => ip.healthy(), 'the IP link', deadline);

    const markers: string[] = [];
    let n = 0;
    const submitNeeds = () => {
      const people = ++n;
      markers.push(`needs:${people}`);
      relay.submitNeeds({ needs: [{ category: 'water', severity: 'high', people }] });
    };
    const submitSafe = () => {
      const name = `Fam. ${++n}`;
      markers.push(`safe:${name}`);
      relay.submitSafe({ people: 2, postcode: '3511AB', houseNumber: n, name });
    };

    // 1. IP up: a few reports go over MQTT.
    for (let i = 0; i < 3; i++) submitNeeds();
    await until(() => outbox.size() === 0, 'delivery over IP', deadline);

    // 2. IP down: a backlog builds and flows over LoRa; an emergency is submitted behind it.
    link.setCut(true);
    await until(() => !ip.healthy(), 'the IP path to notice the cut', deadline);
    const backlog = opts.backlog ?? 24;
    for (let i = 0; i < backlog; i++) (i % 3 === 2 ? submitSafe : submitNeeds)();
    let statuses = opts.statuses ?? 12;
    const cancelStatus = clock.setInterval(() => {
      if (statuses-- <= 0) return;
      relay.submitStatus({ fuelPct: 50, hoursToEmpty: 20, batteryPct: 70, batteryV: 12.5, generator: 'running', visitorsPresent: statuses, visitorsLastHour: 30, chargingW: 60, chargingSessions: 6, alarms: [], link: 'ip_down' });
    }, 5000);
    cleanups.push(cancelStatus);
    const framesAtCut = modem.status().counters.sent;
    await until(() => modem.status().counters.sent - framesAtCut >= (opts.emergencyAfter ?? 3), 'LoRa traffic', deadline);
    if (opts.emergencyWhileSending) await until(() => modem.status().sending, 'an uplink on the air', deadline);
    const note = `Noodgeval ${Date.now() % 100_000}: persoon onwel bij de ingang.`;
    markers.push(`emergency:${note}`);
    const backlogAtEmergency = outbox.size();
    const emergencyAt = clock.now();
    const { ref } = relay.submitEmergency({ type: 'medical', severity: 'critical', people: 1, note });
    await until(() => sent.has(ref), 'the emergency to be sent', deadline);
    await until(() => modem.status().counters.sent - framesAtCut >= (opts.loraFramesBeforeRestore ?? 10), 'more LoRa traffic', deadline);

    // 3. IP back: the rest (and anything LoRa sent without a downAck yet) goes over MQTT.
    link.setCut(false);
    await until(() => ip.healthy(), 'the IP path to come back', deadline);
    statuses = 0;
    await until(() => outbox.size() === 0 && markers.every((m) => appliedMarkers.has(m)), 'the outbox to drain', deadline);
    // Let late copies (LoRa retransmissions, MQTT redeliveries) arrive before counting.
    await new Promise((r) => setTimeout(r, 300));

    const e = sent.get(ref)!;
    return {
      submitted: markers.length,
      lost: markers.filter((m) => !appliedMarkers.has(m)).length,
      duplicated: [...appliedMarkers.values()].filter((c) => c > 1).length,
      emergencyTxDelayMs: e.at - emergencyAt,
      emergencyConfirmed: e.confirmed,
      emergencyPath: e.path,
      backlogAtEmergency,
      deliveredBy,
      loraFrames: modem.status().counters.sent,
      coordinatorDuplicatesDropped: ingest.stats.duplicates,
    };
  } finally {
    for (const c of cleanups.reverse()) {
      try {
        await c();
      } catch {
        // best effort: tear down the rest
      }
    }
  }
}
