// A point whose only path is LoRa and the coordinator that hears it, wired as the gateways do, for end-to-end
// tests in simulation: the coordinator's broker (aedes), RelayIngest and monitor; the point's real RAK3172
// driver on a socat pty ↔ the simulated module ↔ the simulated network server (ChirpStack v4 events into the
// coordinator's broker), and the relay with no IP path. The caller starts its feed, then start() joins.
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { Database as Db } from 'better-sqlite3';
import { Aedes } from 'aedes';
import type { Clock } from '../../src/core/clock.js';
import { silentLogger } from '../../src/log/logger.js';
import { Rak3172Modem } from '../../src/drivers/lora-modem/index.js';
import { startLoraSimulation, type LoraSim } from '../../src/sim/lora/index.js';
import { migrate } from '../../src/store/migrations.js';
import { CoordinatorMonitor } from '../../src/coordinator/monitor.js';
import { PointBook } from '../../src/coordinator/point-book.js';
import { MessageInbox } from '../../src/coordinator/message-inbox.js';
import { RelayIngest, type RelayIngestHandlers } from '../../src/coordinator/lora-ingest.js';
import { LoraPath } from '../../src/relay/lora-path.js';
import { Outbox } from '../../src/relay/outbox.js';
import { Relay } from '../../src/relay/relay.js';
import { LoraBudget } from '../../src/relay/scheduler.js';

export interface LoraDevice {
  devEui: string;
  joinEui: string;
  appKey: string;
  name: string;
}

export interface LoraOnlySite {
  book: PointBook;
  monitor: CoordinatorMonitor;
  ingest: RelayIngest;
  sim: LoraSim;
  modem: Rak3172Modem;
  pointDb: Db;
  budget: LoraBudget;
  path: LoraPath;
  relay: Relay;
  /** Runs `fn` when the site closes (before what the site itself started). */
  onClose(fn: () => Promise<void> | void): void;
  /** Joins the network and starts the relay's pump. */
  start(): Promise<void>;
  close(): Promise<void>;
}

export async function startLoraOnlySite(o: {
  device: LoraDevice;
  applicationId: string;
  clock: Clock;
  /** The simulated module's random seed. */
  seed: number;
  /** What the coordinator does with what its ingest hears (as coordinator-gateway wires it). */
  handlers: (monitor: CoordinatorMonitor) => RelayIngestHandlers;
}): Promise<LoraOnlySite> {
  const { clock } = o;
  const cleanups: (() => Promise<void> | void)[] = [];
  const close = async () => {
    for (const c of cleanups.splice(0).reverse()) {
      try {
        await c();
      } catch {
        // best effort: tear down the rest
      }
    }
  };
  const dir = mkdtempSync(join(tmpdir(), 'lora-only-'));
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
  try {
    const broker = await Aedes.createBroker();
    const server = createServer(broker.handle);
    await new Promise<void>((res) => server.listen(0, '127.0.0.1', res));
    cleanups.push(() => new Promise<void>((res) => broker.close(() => server.close(() => res()))));
    const addr = server.address();
    if (!addr || typeof addr === 'string') throw new Error('broker has no port');
    const url = `mqtt://127.0.0.1:${addr.port}`;
    const coordDb = new Database(join(dir, 'coordinator.db'));
    cleanups.push(() => void coordDb.close());
    migrate(coordDb);
    const book = new PointBook(3 * 60_000);
    const monitor = new CoordinatorMonitor({ db: coordDb, book, clock, log: silentLogger });
    const ingest = new RelayIngest({ url, clientId: 'coordinator', inbox: new MessageInbox(coordDb), clock, log: silentLogger, sources: { chirpstack: true, ttn: false, ip: false }, on: o.handlers(monitor) });
    await ingest.start();
    cleanups.push(() => ingest.stop());

    const sim = await startLoraSimulation({ device: o.device, applicationId: o.applicationId, mqtt: { url }, clock, log: silentLogger, module: { seed: o.seed } });
    cleanups.push(() => sim.close());
    const modem = new Rak3172Modem({ path: sim.gatewayPath, log: silentLogger });
    await modem.open();
    cleanups.push(() => modem.close());
    await modem.setDataRate(5);
    const pointDb = new Database(join(dir, 'point.db'));
    cleanups.push(() => void pointDb.close());
    migrate(pointDb);
    const budget = new LoraBudget();
    const path = new LoraPath({ modem, budget, clock, log: silentLogger, join: { attempts: 3, intervalS: 7 } });
    const relay = new Relay({ pointId: o.device.name, outbox: new Outbox(pointDb), clock, log: silentLogger, lora: path, budget, tickMs: 1000 });
    return {
      book,
      monitor,
      ingest,
      sim,
      modem,
      pointDb,
      budget,
      path,
      relay,
      onClose: (fn) => void cleanups.push(fn),
      start: async () => {
        await path.ensureJoined();
        relay.start();
        cleanups.push(() => relay.stop());
      },
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
