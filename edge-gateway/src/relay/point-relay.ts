// The relay as the point gateway runs it: the outbox on the gateway's database, the IP path over the
// uplink's own connection to the coordinator's broker (the broker allows one session per user, and a
// point has one user there), and residents' reports handed in through the API's ReportSink.
import type { Database } from 'better-sqlite3';
import type { MqttClient } from 'mqtt';
import type { Clock } from '../core/clock.js';
import type { Logger } from '../log/logger.js';
import { IpPath } from './ip-path.js';
import type { PointLora } from './point-lora.js';
import { Outbox } from './outbox.js';
import { Relay } from './relay.js';
import { RelayReportSink } from './report-sink.js';

export interface PointRelayOptions {
  db: Database;
  pointId: string;
  clock: Clock;
  log: Logger;
  /** The uplink's connection to the coordinator's broker; null: no IP path. */
  client: MqttClient | null;
  /** The LoRa path and its airtime budget, when the point has a modem. */
  lora?: PointLora;
  /** A report the coordinator acknowledged (ReportService.markConfirmed). */
  confirmed: (reportId: string) => void;
}

export class PointRelay {
  readonly relay: Relay;
  readonly sink: RelayReportSink;
  readonly ip: IpPath | null;

  constructor(private readonly opts: PointRelayOptions) {
    this.ip = opts.client ? new IpPath({ client: opts.client, pointId: opts.pointId, clock: opts.clock, log: opts.log.child('ip') }) : null;
    this.relay = new Relay({
      pointId: opts.pointId,
      outbox: new Outbox(opts.db),
      clock: opts.clock,
      log: opts.log,
      ...(this.ip ? { ip: this.ip } : {}),
      ...(opts.lora ? { lora: opts.lora.path, budget: opts.lora.budget, loraAckTimeoutMs: opts.lora.ackTimeoutMs } : {}),
    });
    this.sink = new RelayReportSink({ db: opts.db, relay: this.relay, log: opts.log.child('reports'), confirmed: opts.confirmed });
  }

  async start(): Promise<void> {
    await this.opts.lora?.start();
    await this.ip?.start();
    this.relay.start();
  }

  async stop(): Promise<void> {
    this.relay.stop();
    this.sink.close();
    await this.ip?.stop();
    await this.opts.lora?.stop();
  }
}
