// The coordinator's side of the relay as the gateway runs it: one MessageInbox on its database, fed by
// the points' direct MQTT path (over the point ingest's connection: the broker allows one session per
// user) and, when configured, by a LoRaWAN network server's uplink events — on this broker (sharing
// the same connection) or on the network server's own broker (its own connection).
import { readFileSync } from 'node:fs';
import type { Database } from 'better-sqlite3';
import type { MqttClient } from 'mqtt';
import type { Config } from '../config/schema.js';
import type { Clock } from '../core/clock.js';
import type { Lifecycle } from '../gateway/lifecycle.js';
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../log/logger.js';
import { RelayIngest, type RelayIngestHandlers } from './lora-ingest.js';
import { MessageInbox } from './message-inbox.js';

export interface RelayIngestWiring {
  config: Config;
  db: Database;
  /** The point ingest's connection to this coordinator's broker. */
  client: MqttClient | null;
  clock: Clock;
  log: Logger;
  life: Lifecycle;
  /** Also told of every new report and newer status (the console: live inbox, LoRa statuses and help counts). */
  on?: RelayIngestHandlers;
}

export class RelayWiringError extends Error {
  override name = 'RelayWiringError';
}

/** Starts the ingests (registered with `life` for shutdown); returns the inbox they fill. */
export async function startRelayIngest(w: RelayIngestWiring): Promise<MessageInbox> {
  const { config, clock, log, life } = w;
  if (!w.client) throw new RelayWiringError('the relay ingest needs the point ingest’s broker connection');
  const inbox = new MessageInbox(w.db);
  const on: RelayIngestHandlers = {
    message: (m) => {
      log.info('relayed report received', { point: m.point, seq: m.seq, kind: m.kind, path: m.path });
      w.on?.message?.(m);
    },
    ...(w.on?.status ? { status: w.on.status } : {}),
    ...(w.on?.help ? { help: w.on.help } : {}),
  };
  const ns = config.networkServer;
  const local = ns !== undefined && ns.url === undefined;
  const direct = new RelayIngest({
    client: w.client,
    inbox,
    clock,
    log: log.child('ip'),
    on,
    sources: { ip: true, chirpstack: local && ns?.kind === 'chirpstack', ttn: local && ns?.kind === 'ttn' },
  });
  await life.start({ name: 'relay ingest', start: () => direct.start(), stop: () => direct.stop() });

  if (ns?.url) {
    let password: string;
    try {
      password = readFileSync(ns.passwordFile!, 'utf8').trim();
    } catch (err) {
      throw new RelayWiringError(`network server password file ${ns.passwordFile}: ${errorMessage(err)}`, { cause: err });
    }
    const remote = new RelayIngest({
      url: ns.url,
      username: ns.username!,
      password,
      inbox,
      clock,
      log: log.child(ns.kind),
      on,
      sources: { ip: false, chirpstack: ns.kind === 'chirpstack', ttn: ns.kind === 'ttn' },
    });
    // Not awaited: a network server that is down must not hold up the coordinator (the client reconnects).
    const started = remote.start().catch((err: unknown) => log.error('network server ingest failed', { error: errorMessage(err) }));
    life.adopt({ name: 'network server ingest', stop: async () => (await Promise.race([started, Promise.resolve()]), await remote.stop()) });
  }
  return inbox;
}
