// Lays out a simulated site for `noodsteun start`: configuration files for the coordinator, the point
// and the simulator, and the credentials that connect them — issued fresh on every start, as a
// technician would at commissioning, so no secret is ever a default or checked in.
import { mkdirSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CredentialStore, coordinatorUsername } from '../broker/index.js';
import type { ConfigInput } from '../config/schema.js';
import { writeFileAtomic } from '../broker/atomic-file.js';
import { DEFAULT_SIM_NODES, type SimNodeSpec } from './simulation.js';
import { socatAvailable } from './pty.js';
import { missingFirmwareBundles } from './firmware/bundles.js';
import { loadPinMap } from '../../../hardware/src/pins.js';
import type { ScenarioInput } from './world/scenario.js';
import { repoPaths } from '../paths.js';
import { loadOrCreateSigningKey } from '../coordinator/signing/index.js';

export const SIM_POINT_ID = 'sim-punt-1';
export const SIM_COORDINATOR_ID = 'sim-regio';
/** The simulated network server's user on the coordinator's broker. */
export const NETWORK_SERVER_USER = '_network-server';

/** What `noodsteun sim --config` reads. */
export interface SimConfigFile {
  seed: number;
  mqttUrl: string;
  /** File holding node id → MQTT password (0600), like the secrets a real node keeps in flash. */
  secretsFile: string;
  serialDir: string;
  nodes: SimNodeSpec[];
  logLevel: 'debug' | 'info' | 'warn' | 'error';
  /** Run the real firmware bundles (firmware/dist) where they exist; stand-ins otherwise. */
  firmware?: boolean;
  scenario?: ScenarioInput;
  /** The point's simulated LoRa module (on a pty the point opens) and the network server publishing to the coordinator's broker. */
  lora?: SimLoraConfig;
}

export interface SimLoraConfig {
  device: { devEui: string; joinEui: string; appKey: string; name: string };
  applicationId: string;
  /** The link the point gateway opens as its modem's serial port. */
  gatewayPath: string;
  mqtt: { url: string; username: string; passwordFile: string };
}

export interface SimulatedSite {
  pointName: string;
  pointConfig: string;
  coordinatorConfig: string;
  simConfig: string;
  pointUrlFile: string;
  coordinatorUrlFile: string;
  boardImage: string;
  serialNodes: number;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

async function portOrFree(port: number): Promise<number> {
  if (port === 0) return freePort();
  return new Promise((resolve) => {
    const srv = createServer();
    srv.once('error', () => void freePort().then(resolve));
    srv.listen(port, '127.0.0.1', () => srv.close(() => resolve(port)));
  });
}

export async function prepareSimulatedSite(opts: { dataDir: string; pointHttpPort: number; fresh: boolean; seed: number; logLevel?: SimConfigFile['logLevel']; firmware?: boolean; scenario?: ScenarioInput; coordinatorHttpPort?: number }): Promise<SimulatedSite> {
  const { dataDir } = opts;
  const dirs = { coordinator: join(dataDir, 'coordinator'), point: join(dataDir, 'point'), sim: join(dataDir, 'sim') };
  if (opts.fresh) for (const d of Object.values(dirs)) rmSync(d, { recursive: true, force: true });
  for (const d of Object.values(dirs)) mkdirSync(d, { recursive: true, mode: 0o750 });
  for (const d of [dirs.coordinator, dirs.point]) rmSync(join(d, 'http.url'), { force: true });
  const logLevel = opts.logLevel ?? 'info';

  const withSerial = socatAvailable();
  if (!withSerial) process.stderr.write('noodsteun: socat is not installed: the serial nodes run over MQTT instead (apt-get install socat)\n');
  const nodes: SimNodeSpec[] = DEFAULT_SIM_NODES.map((n) => ({ ...n, transport: withSerial ? n.transport : 'mqtt' }));
  const firmware = opts.firmware ?? true;
  const missing = firmware ? missingFirmwareBundles(nodes.map((n) => n.kind)) : [];
  if (missing.length > 0) process.stderr.write(`noodsteun: no firmware bundle for ${missing.join(', ')}: those nodes run the stand-ins (npm run build -w firmware)\n`);
  // The charger firmware switches the ports its pin map wires; the point and the world get that many.
  const firmwareCharger = firmware && !missing.includes('charger');
  const chargerPorts = firmwareCharger ? Object.keys(loadPinMap('charger', repoPaths.pinsDir).pins).filter((k) => /^port\d+$/.test(k)).length : 8;

  const [coordMqtt, coordHttp, pointMqtt, pointHttp] = [await freePort(), await portOrFree(opts.coordinatorHttpPort ?? 8081), await freePort(), await portOrFree(opts.pointHttpPort)];

  // Coordinator: its broker admits this point with a secret issued now.
  const coordCreds = await CredentialStore.open(dirs.coordinator);
  const pointSecret = await coordCreds.issue({ username: coordinatorUsername(SIM_POINT_ID), role: 'coordinator', point: SIM_POINT_ID });
  await writeFileAtomic(join(dirs.point, 'coordinator.password'), pointSecret + '\n', 0o600);
  // The coordinator's board-signing key (kept across non-fresh starts); the point trusts its public half.
  const signing = await loadOrCreateSigningKey(dirs.coordinator);
  const boardKey = { issuer: SIM_COORDINATOR_ID, keyId: signing.keyId, publicKey: signing.publicKey };
  // LoRa: a simulated RAK3172 for the point (keys fresh on every start, as a module is provisioned) and a
  // network server with its own user on the coordinator's broker. Needs socat for the module's pty.
  const serialDirForLora = join(dirs.sim, 'tty');
  const lora: SimLoraConfig | undefined = withSerial
    ? {
        device: { devEui: randomBytes(8).toString('hex'), joinEui: '0000000000000001', appKey: randomBytes(16).toString('hex'), name: SIM_POINT_ID },
        applicationId: 'noodsteun-sim',
        gatewayPath: join(serialDirForLora, 'lora-modem.tty'),
        mqtt: { url: `mqtt://127.0.0.1:${coordMqtt}`, username: NETWORK_SERVER_USER, passwordFile: join(dirs.sim, 'network-server.password') },
      }
    : undefined;
  if (lora) {
    const nsSecret = await coordCreds.issue({ username: NETWORK_SERVER_USER, role: 'network-server' });
    await writeFileAtomic(lora.mqtt.passwordFile, nsSecret + '\n', 0o600);
  }
  const coordinator: ConfigInput = {
    role: 'coordinator',
    id: SIM_COORDINATOR_ID,
    name: 'Coördinatiepunt (simulatie)',
    dataDir: '.',
    log: { level: logLevel, format: 'pretty' },
    mqtt: { mode: 'embedded', host: '127.0.0.1', port: coordMqtt },
    http: { host: '127.0.0.1', port: coordHttp },
    ...(lora ? { networkServer: { kind: 'chirpstack' } } : {}),
  };

  // Point: each MQTT node gets a fresh secret on the point's broker, handed to the simulator.
  const pointCreds = await CredentialStore.open(dirs.point);
  const secrets: Record<string, string> = {};
  for (const n of nodes) secrets[n.id] = await pointCreds.issue({ username: n.id, role: 'node' });
  const secretsFile = join(dirs.sim, 'node-secrets.json');
  await writeFileAtomic(secretsFile, JSON.stringify(secrets, null, 2) + '\n', 0o600);
  const serialDir = join(dirs.sim, 'tty');
  const pointName = 'Noodsteunpunt Buurthuis De Linde (simulatie)';
  const point: ConfigInput = {
    role: 'point',
    id: SIM_POINT_ID,
    name: pointName,
    // Where the point stands (a fictional site in Utrecht): walking distances in the neighbourhood directory.
    location: { lat: 52.0894, lon: 5.1077 },
    dataDir: '.',
    log: { level: logLevel, format: 'pretty' },
    nodes: nodes.map((n) => ({ id: n.id, kind: n.kind, heartbeatS: 60 })),
    serial: nodes.filter((n) => n.transport === 'serial').map((n) => ({ path: join(serialDir, `${n.id}.tty`), baud: 115200 })),
    mqtt: { mode: 'embedded', host: '127.0.0.1', port: pointMqtt },
    http: { host: '127.0.0.1', port: pointHttp },
    // The simulated point runs the charging module so its queue, budget and board figures can be seen.
    charging: { enabled: true, node: 'charger-1', ports: chargerPorts },
    powerBudgetFile: repoPaths.powerBudgetExample,
    coordinator: { url: `mqtt://127.0.0.1:${coordMqtt}`, username: coordinatorUsername(SIM_POINT_ID), passwordFile: 'coordinator.password', statusIntervalS: 60, boardKey },
    ...(lora ? { lora: { path: lora.gatewayPath, dataRate: 5 } } : {}),
  };
  const sim: SimConfigFile = { seed: opts.seed, mqttUrl: `mqtt://127.0.0.1:${pointMqtt}`, secretsFile, serialDir, nodes, logLevel, firmware, scenario: mergeScenario(opts.scenario, { phones: { ports: chargerPorts } }), ...(lora ? { lora } : {}) };

  const write = (file: string, value: unknown) => writeFileSync(file, JSON.stringify(value, null, 2) + '\n');
  const files = { coordinator: join(dirs.coordinator, 'config.json'), point: join(dirs.point, 'config.json'), sim: join(dirs.sim, 'config.json') };
  write(files.coordinator, coordinator);
  write(files.point, point);
  write(files.sim, sim);
  if (!existsSync(serialDir)) mkdirSync(serialDir, { recursive: true });
  return {
    pointName,
    pointConfig: files.point,
    coordinatorConfig: files.coordinator,
    simConfig: files.sim,
    pointUrlFile: join(dirs.point, 'http.url'),
    coordinatorUrlFile: join(dirs.coordinator, 'http.url'),
    boardImage: join(dirs.point, 'board', 'latest.png'),
    serialNodes: nodes.filter((n) => n.transport === 'serial').length,
  };
}

/** A scenario override (e.g. `{ generator: { initialFuelL: 4 } }`) merged per section over the site's own settings. */
function mergeScenario(base: ScenarioInput | undefined, site: ScenarioInput): ScenarioInput {
  const out: Record<string, unknown> = { ...(base ?? {}) };
  for (const [k, v] of Object.entries(site)) out[k] = { ...((out[k] as object | undefined) ?? {}), ...(v as object) };
  return out as ScenarioInput;
}
