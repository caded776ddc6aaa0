// Interop with Mosquitto 2: the generated password_file/acl_file must make an external broker
// enforce the same rules as the embedded one, and MqttNodeLink must work against it.
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { connect } from 'node:net';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { MqttClient } from 'mqtt';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { CredentialStore } from '../../src/broker/credentials.js';
import { writeMosquittoConfig } from '../../src/broker/mosquitto-config.js';
import { verifyMosquitto } from '../../src/broker/password-hash.js';
import type { LinkEvents } from '../../src/links/link.js';
import { MqttNodeLink } from '../../src/links/mqtt/mqtt-node-link.js';
import { silentLogger } from '../../src/log/logger.js';
import { NODE_STATE_FILTER, NODE_UP_FILTER, encodeMessage, nodeTopics } from '../../src/protocol/index.js';
import type { DownlinkMessage } from '../../src/protocol/index.js';
import { findProgram, skipWithout } from '../support/externals.js';
import { connectClient, endAll, freePort, fuelMessage, publishSettled, publishUp, record, refusedCode, subscribeGranted, tempDir, waitFor } from './mqtt-harness.js';

const missing = skipWithout('mosquitto', 'Mosquitto interop tests');

async function waitForPort(port: number, proc: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`mosquitto exited with ${proc.exitCode}: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port}: ${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe.skipIf(missing)('Mosquitto 2 with the generated password_file and acl_file', () => {
  let store: CredentialStore;
  let secrets: Map<string, string>;
  let proc: ChildProcess;
  let url: string;
  let output = '';
  let removeDir: () => Promise<void>;
  const clients = new Set<MqttClient>();
  const links = new Set<MqttNodeLink>();

  const as = async (user: string, extra: Parameters<typeof connectClient>[1] = {}) => {
    const password = user === '_gateway' ? store.gateway.password : secrets.get(user);
    const c = await connectClient(url, { username: user, password, clientId: user, ...extra });
    clients.add(c);
    return c;
  };

  beforeAll(async () => {
    const tmp = await tempDir('noodsteun-mosquitto-');
    removeDir = tmp.remove;
    store = await CredentialStore.open(join(tmp.dir, 'data'));
    secrets = await store.ensureNodeCredentials(['fuel-1', 'fuel-2', 'charger-1']);
    const port = await freePort();
    // Started as root, Mosquitto would drop to user `mosquitto`, which cannot read our 0600 files.
    const extra = process.getuid?.() === 0 ? ['user root'] : [];
    const files = await writeMosquittoConfig(join(tmp.dir, 'mosquitto'), store.list(), { host: '127.0.0.1', port, extra });
    proc = spawn(findProgram('mosquitto')!, ['-c', files.conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    url = `mqtt://127.0.0.1:${port}`;
    await waitForPort(port, proc, () => output);
  });
  afterEach(async () => {
    await Promise.all([...links].map((l) => l.stop()));
    links.clear();
    await endAll(clients);
    clients.clear();
  });
  afterAll(async () => {
    if (proc && proc.exitCode === null) {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      await exited;
    }
    await removeDir?.();
  });

  it('our $7$ hashes are the format mosquitto_passwd writes', async (ctx) => {
    const tool = findProgram('mosquitto_passwd');
    if (!tool) {
      console.warn('SKIPPED hash cross-check: mosquitto_passwd is not installed');
      ctx.skip();
    }
    const tmp = await tempDir('noodsteun-passwd-');
    try {
      const file = join(tmp.dir, 'pw');
      await promisify(execFile)(tool!, ['-c', '-b', file, 'probe', 'correct horse']);
      const hash = (await readFile(file, 'utf8')).trim().split(':')[1]!;
      expect(hash).toMatch(/^\$7\$/);
      expect(await verifyMosquitto(hash, 'correct horse')).toBe(true);
      expect(await verifyMosquitto(hash, 'wrong horse')).toBe(false);
    } finally {
      await tmp.remove();
    }
  });

  it('refuses wrong credentials, unknown users and anonymous clients', async () => {
    for (const opts of [{ username: 'fuel-1', password: 'guess' }, { username: 'fuel-1', password: secrets.get('fuel-2') }, { username: 'nobody', password: 'x' }, {}]) {
      expect([4, 5]).toContain(await refusedCode(url, opts));
    }
    // The right secret works.
    await as('fuel-1');
  });

  it('does not deliver publishes outside a node’s own topics, nor oversize payloads', async () => {
    const gw = await as('_gateway');
    const gwGot = record(gw);
    expect(await subscribeGranted(gw, NODE_UP_FILTER)).toBe(1);
    const fuel2 = await as('fuel-2');
    const fuel2Got = record(fuel2);
    expect(await subscribeGranted(fuel2, nodeTopics.down('fuel-2'))).toBe(1);

    const intruder = await as('fuel-1');
    for (const topic of [nodeTopics.up('fuel-2'), nodeTopics.down('fuel-2'), nodeTopics.down('fuel-1'), 'noodsteun/point/p1/board']) {
      // Mosquitto acknowledges and drops (aedes disconnects instead); either way nothing is delivered.
      expect(await publishSettled(intruder, topic, encodeMessage(fuelMessage('fuel-2')))).toBe('acked');
    }
    // message_size_limit: acknowledged, not forwarded.
    expect(await publishSettled(intruder, nodeTopics.up('fuel-1'), Buffer.alloc(8 * 1024 + 1, 0x20))).toBe('acked');
    // Legitimate messages sent afterwards arrive: the refused ones would have come before them.
    expect(await publishSettled(gw, nodeTopics.down('fuel-2'), 'sentinel')).toBe('acked');
    expect(await publishUp(fuel2, 'fuel-2', fuelMessage('fuel-2', 42))).toBe('acked');
    await waitFor(() => gwGot.length > 0 && fuel2Got.length > 0, 'the legitimate messages');
    expect(gwGot.map((m) => m.topic)).toEqual([nodeTopics.up('fuel-2')]);
    expect(fuel2Got.map((m) => m.payload)).toEqual(['sentinel']);
  });

  it("never delivers another node's commands, whatever a node subscribes to", async () => {
    const fuel1 = await as('fuel-1');
    const got = record(fuel1);
    // Mosquitto 2.0 grants these subscriptions (aedes refuses them with 0x80) and applies the
    // read ACL to each message at delivery instead: what matters is that nothing arrives.
    for (const filter of [nodeTopics.down('fuel-2'), '#', NODE_STATE_FILTER, NODE_UP_FILTER]) {
      expect([1, 128]).toContain(await subscribeGranted(fuel1, filter));
    }
    expect(await subscribeGranted(fuel1, nodeTopics.down('fuel-1'))).toBe(1);
    const gw = await as('_gateway');
    const fuel2 = await as('fuel-2');
    expect(await publishSettled(fuel2, nodeTopics.up('fuel-2'), encodeMessage(fuelMessage('fuel-2')))).toBe('acked');
    expect(await publishSettled(fuel2, nodeTopics.state('fuel-2'), 'online')).toBe('acked');
    expect(await publishSettled(gw, nodeTopics.down('fuel-2'), 'for fuel-2')).toBe('acked');
    expect(await publishSettled(gw, nodeTopics.down('fuel-1'), 'for fuel-1')).toBe('acked');
    await waitFor(() => got.length > 0, 'the command for fuel-1');
    expect(got.map((m) => [m.topic, m.payload])).toEqual([[nodeTopics.down('fuel-1'), 'for fuel-1']]);
  });

  it('MqttNodeLink as an external-broker client: uplinks, availability, last will, send', async () => {
    const link = new MqttNodeLink({ url, ...store.gateway, log: silentLogger, reconnectMinMs: 50 });
    links.add(link);
    const got = { message: [] as LinkEvents['message'][], rejected: [] as LinkEvents['rejected'][], availability: [] as LinkEvents['availability'][] };
    link.on('message', (e) => got.message.push(e));
    link.on('rejected', (e) => got.rejected.push(e));
    link.on('availability', (e) => got.availability.push(e));
    await link.start();
    expect(link.connected).toBe(true);

    const charger = await as('charger-1', { will: { topic: nodeTopics.state('charger-1'), payload: Buffer.from('offline'), qos: 1, retain: true } });
    const chargerGot = record(charger);
    expect(await subscribeGranted(charger, nodeTopics.down('charger-1'))).toBe(1);
    expect(await publishSettled(charger, nodeTopics.state('charger-1'), 'online', true)).toBe('acked');
    const lastState = () => got.availability.filter((a) => a.node === 'charger-1').at(-1)?.online;
    await waitFor(() => lastState() === true, 'charger online');

    const hb = { v: 1, node: 'charger-1', boot: 1, seq: 1, ts: 1, type: 'charger', body: { ports: [{ p: 0, on: false, mA: 0, fault: null }], failsafe: false } } as const;
    expect(await publishSettled(charger, nodeTopics.up('charger-1'), JSON.stringify(hb))).toBe('acked');
    expect(await publishSettled(charger, nodeTopics.up('charger-1'), '{not json')).toBe('acked');
    await waitFor(() => got.message.length === 1 && got.rejected.length === 1, 'message and rejection');
    expect(got.message[0]!.msg).toEqual(hb);
    expect(got.rejected[0]).toMatchObject({ reason: 'malformed', node: 'charger-1' });

    const cmd: DownlinkMessage = { v: 1, node: 'charger-1', boot: 3, seq: 4, ts: 5, type: 'cmd', body: { op: 'port', port: 0, on: true } };
    expect(link.send(cmd)).toBe(true);
    await waitFor(() => chargerGot.length === 1, 'the command at the node');
    expect(JSON.parse(chargerGot[0]!.payload)).toEqual(cmd);

    charger.stream.destroy();
    await waitFor(() => lastState() === false, 'the last will');
    expect(link.send({ ...cmd, seq: 5 })).toBe(false);
  });

  it('binds sessions to usernames (use_username_as_clientid)', async () => {
    const fuel1 = await as('fuel-1');
    const impostor = await as('fuel-2', { clientId: 'fuel-1' });
    expect(await publishSettled(impostor, nodeTopics.up('fuel-2'), encodeMessage(fuelMessage('fuel-2')))).toBe('acked');
    expect(await publishSettled(fuel1, nodeTopics.up('fuel-1'), encodeMessage(fuelMessage('fuel-1')))).toBe('acked');
  });
});
