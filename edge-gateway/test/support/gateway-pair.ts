// A point gateway and its coordinator, both real and in this process on loopback with their embedded brokers,
// commissioned as a real pair is: the coordinator's broker admits the point with a secret the point keeps in a
// 0600 file, and (optionally) the point trusts the coordinator's board-signing key.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CredentialStore, coordinatorUsername, type Principal } from '../../src/broker/index.js';
import { writeFileAtomic } from '../../src/broker/atomic-file.js';
import { parseConfig } from '../../src/config/load.js';
import { SystemClock, type Clock } from '../../src/core/clock.js';
import { createLogger, type LogRecord, type Logger } from '../../src/log/logger.js';
import { loadOrCreateSigningKey, type SigningKey } from '../../src/coordinator/signing/index.js';
import { startCoordinatorGateway } from '../../src/gateway/coordinator-gateway.js';
import { startPointGateway, type RunningGateway } from '../../src/gateway/point-gateway.js';

// the pair's tests take the first-run set-up from here
export { firstRunSetUp } from './first-run.js';

type Section = Record<string, unknown>;

export interface PairOptions {
  /** Extra coordinator config (top level). */
  coordinator?: Section;
  /**
   * Extra point config (top level; its `coordinator` section is merged into the pair's link). A function runs
   * once the coordinator is up, e.g. to put a simulated LoRa network between the two.
   */
  point?: Section | ((pair: { coordinator: RunningGateway; secrets: Record<string, string>; clock: Clock; log: Logger }) => Section | Promise<Section>);
  /** More broker users the coordinator admits from the start (it reads its credentials when it starts). */
  users?: Principal[];
  /** The point trusts the coordinator's board-signing key (created in the coordinator's data folder). */
  boardKey?: boolean;
  clock?: Clock;
}

export interface GatewayPair {
  coordinator: RunningGateway;
  point: RunningGateway;
  coordDir: string;
  pointDir: string;
  creds: CredentialStore;
  /** The secrets of `users`, by username. */
  secrets: Record<string, string>;
  key: SigningKey | null;
  /** Log records of each gateway, and of both in the order they came. */
  coordRecords: LogRecord[];
  pointRecords: LogRecord[];
  records: LogRecord[];
  /** Stops both gateways (they keep their databases locked while running); safe to call twice. */
  stop(): Promise<void>;
  /** stop() and remove both data folders. */
  close(): Promise<void>;
}

export async function startGatewayPair(opts: PairOptions = {}): Promise<GatewayPair> {
  const coordDir = mkdtempSync(join(tmpdir(), 'ns-coord-'));
  const pointDir = mkdtempSync(join(tmpdir(), 'ns-point-'));
  const records: LogRecord[] = [];
  const coordRecords: LogRecord[] = [];
  const pointRecords: LogRecord[] = [];
  const sink = (own: LogRecord[]) => (r: LogRecord) => {
    own.push(r);
    records.push(r);
  };
  const clock = opts.clock ?? new SystemClock(1);
  const running: RunningGateway[] = [];
  const stop = async () => {
    for (const g of running.splice(0).reverse()) await g.stop();
  };
  const close = async () => {
    await stop();
    for (const d of [coordDir, pointDir]) rmSync(d, { recursive: true, force: true });
  };
  try {
    const creds = await CredentialStore.open(coordDir);
    const secret = await creds.issue({ username: coordinatorUsername('p1'), role: 'coordinator', point: 'p1' });
    await writeFileAtomic(join(pointDir, 'coordinator.password'), secret + '\n', 0o600);
    const secrets: Record<string, string> = {};
    for (const u of opts.users ?? []) secrets[u.username] = await creds.issue(u);
    const key = opts.boardKey ? await loadOrCreateSigningKey(coordDir) : null;

    const coordinator = await startCoordinatorGateway(
      parseConfig({ role: 'coordinator', id: 'regio', name: 'Regio', dataDir: coordDir, mqtt: { mode: 'embedded', port: 0 }, http: { port: 0 }, ...opts.coordinator }),
      { clock, log: createLogger('coord', { level: 'info', sink: sink(coordRecords) }) },
    );
    running.push(coordinator);
    const extra = typeof opts.point === 'function' ? await opts.point({ coordinator, secrets, clock, log: createLogger('sim', { level: 'info', sink: sink([]) }) }) : (opts.point ?? {});
    const point = await startPointGateway(
      parseConfig({
        role: 'point',
        id: 'p1',
        name: 'Punt 1',
        dataDir: pointDir,
        board: { enabled: false },
        mqtt: { mode: 'embedded', port: 0 },
        http: { port: 0 },
        ...extra,
        coordinator: {
          url: coordinator.mqttUrl!,
          username: coordinatorUsername('p1'),
          passwordFile: join(pointDir, 'coordinator.password'),
          ...(key ? { boardKey: { issuer: 'regio', keyId: key.keyId, publicKey: key.publicKey } } : {}),
          ...(extra.coordinator as Section | undefined),
        },
      }),
      { clock, log: createLogger('point', { level: 'info', sink: sink(pointRecords) }) },
    );
    running.push(point);
    return { coordinator, point, coordDir, pointDir, creds, secrets, key, coordRecords, pointRecords, records, stop, close };
  } catch (err) {
    await close();
    throw err;
  }
}
