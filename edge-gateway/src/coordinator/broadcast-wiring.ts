// The coordinator's signed board broadcasts as the gateway runs them: the Ed25519 key from the data dir
// (created on first start; points are commissioned with its public half, logged here), the signer's
// persisted sequence, publishing and the points' answers over the point ingest's connection.
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import type { Clock } from '../core/clock.js';
import type { Lifecycle } from '../gateway/lifecycle.js';
import type { Logger } from '../log/logger.js';
import { BoardResultIngest } from './board-results.js';
import { BroadcastService, type BroadcastServiceOptions } from './broadcast-service.js';
import { BoardSigner, FileCounterStore, loadOrCreateSigningKey } from './signing/index.js';

/** In the data dir: the signer's last used sequence (a restart must never reuse one). */
export const SIGNING_COUNTERS_FILE = 'board-signing-counters.json';

export class BroadcastWiringError extends Error {
  override name = 'BroadcastWiringError';
}

export interface BroadcastWiring {
  /** The coordinator's id: the issuer points trust together with the key. */
  issuer: string;
  dataDir: string;
  /** The point ingest's connection to this coordinator's broker. */
  client: MqttClient | null;
  publish: (topic: string, payload: string) => Promise<void>;
  knownPoints: () => string[];
  perPoint?: BroadcastServiceOptions['perPoint'];
  clock: Clock;
  log: Logger;
  life: Lifecycle;
}

export async function startBroadcasts(w: BroadcastWiring): Promise<BroadcastService> {
  const client = w.client;
  if (!client) throw new BroadcastWiringError('board broadcasts need the point ingest’s broker connection');
  const key = await loadOrCreateSigningKey(w.dataDir);
  w.log.info(key.created ? 'board signing key created' : 'board signing key loaded', { issuer: w.issuer, keyId: key.keyId, publicKey: key.publicKey });
  const signer = new BoardSigner({ key, issuer: w.issuer, counters: await FileCounterStore.open(join(w.dataDir, SIGNING_COUNTERS_FILE)) });
  const service = new BroadcastService({ signer, publish: w.publish, knownPoints: w.knownPoints, ...(w.perPoint ? { perPoint: w.perPoint } : {}), clock: w.clock, log: w.log });
  const results = new BoardResultIngest({ client, log: w.log, onResult: (r) => void service.result(r) });
  await w.life.start({ name: 'board results', start: () => results.start(), stop: () => results.stop() });
  return service;
}
