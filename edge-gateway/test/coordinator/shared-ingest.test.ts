// Two coordinator ingest instances behind one MQTT 5 shared subscription on Mosquitto 2, with the
// generated password and ACL files: every status reaches exactly one instance, both get a share,
// and when one stops the other takes all.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { join } from 'node:path';
import type { MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { coordinatorUsername } from '../../src/broker/acl.js';
import { CredentialStore } from '../../src/broker/credentials.js';
import { writeMosquittoConfig } from '../../src/broker/mosquitto-config.js';
import type { MqttPointIngest } from '../../src/coordinator/mqtt-ingest.js';
import { createSharedPointIngest, ShareGroupError, sharedStatusFilter } from '../../src/coordinator/shared-ingest.js';
import { silentLogger } from '../../src/log/logger.js';
import { pointTopics, type PointStatus } from '../../src/protocol/index.js';
import { connectClient, endAll, freePort, publishSettled, record, subscribeGranted, tempDir, waitFor } from '../broker/mqtt-harness.js';
import { findProgram, skipWithout } from '../support/externals.js';

const missing = skipWithout('mosquitto', 'shared-subscription ingest tests');

const status = (point: string, seq: number): PointStatus => ({
  v: 1,
  point,
  name: point,
  seq,
  ts: seq * 1000,
  nodes: [],
  fuel: { litres: 20, pct: 50, status: 'ok' },
  battery: null,
  visitors: null,
  charging: null,
  alarms: [],
});

async function waitForPort(port: number, proc: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`mosquitto exited with ${proc.exitCode}: ${log()}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, '127.0.0.1');
      s.once('connect', () => (s.destroy(), resolve(true)));
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`mosquitto did not listen on ${port}: ${log()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('createSharedPointIngest', () => {
  it('refuses a share group that would break the topic filter', () => {
    const o = { url: 'mqtt://127.0.0.1:1', username: '_gateway', password: 'x', log: silentLogger, on: { status: () => {}, state: () => {} }, instance: 'a' };
    expect(() => createSharedPointIngest({ ...o, group: 'a/b' })).toThrow(ShareGroupError);
    expect(() => createSharedPointIngest({ ...o, group: '+' })).toThrow(ShareGroupError);
    expect(sharedStatusFilter('coordinator')).toBe('$share/coordinator/noodsteun/point/+/status');
  });
});

describe.skipIf(missing)('shared-subscription ingest with two instances on Mosquitto 2', () => {
  let proc: ChildProcess;
  let url: string;
  let output = '';
  let removeDir: () => Promise<void>;
  let store: CredentialStore;
  const secrets = new Map<string, string>();
  const clients = new Set<MqttClient>();
  const ingests: MqttPointIngest[] = [];

  beforeAll(async () => {
    const tmp = await tempDir('noodsteun-shared-');
    removeDir = tmp.remove;
    store = await CredentialStore.open(join(tmp.dir, 'data'));
    secrets.set('_ingest-b', await store.issue({ username: '_ingest-b', role: 'gateway' }));
    for (const p of ['p1', 'p2']) secrets.set(coordinatorUsername(p), await store.issue({ username: coordinatorUsername(p), role: 'coordinator', point: p }));
    const port = await freePort();
    const extra = process.getuid?.() === 0 ? ['user root'] : [];
    const files = await writeMosquittoConfig(join(tmp.dir, 'mosquitto'), store.list(), { host: '127.0.0.1', port, extra });
    proc = spawn(findProgram('mosquitto')!, ['-c', files.conf], { stdio: ['ignore', 'pipe', 'pipe'] });
    proc.stdout?.on('data', (d: Buffer) => (output += d.toString()));
    proc.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    url = `mqtt://127.0.0.1:${port}`;
    await waitForPort(port, proc, () => output);
  });
  afterAll(async () => {
    await Promise.all(ingests.map((i) => i.stop()));
    await endAll(clients);
    if (proc && proc.exitCode === null) {
      const exited = new Promise((resolve) => proc.once('exit', resolve));
      proc.kill('SIGTERM');
      await exited;
    }
    await removeDir?.();
  });

  const point = async (p: string) => {
    const c = await connectClient(url, { username: coordinatorUsername(p), password: secrets.get(coordinatorUsername(p)), clientId: coordinatorUsername(p) });
    clients.add(c);
    return c;
  };

  it('splits statuses between the instances, each exactly once, and fails over', async () => {
    const got = { a: [] as string[], b: [] as string[] };
    const states: string[] = [];
    const make = (instance: 'a' | 'b', username: string, password: string) => {
      const ingest = createSharedPointIngest({
        url,
        username,
        password,
        log: silentLogger,
        instance,
        on: { status: (s) => got[instance].push(`${s.point}:${s.seq}`), state: (p, st) => states.push(`${instance}:${p}:${st}`) },
      });
      ingests.push(ingest);
      return ingest;
    };
    const a = make('a', store.gateway.username, store.gateway.password);
    const b = make('b', '_ingest-b', secrets.get('_ingest-b')!);
    await a.start();
    await b.start();
    const p1 = await point('p1');
    const p2 = await point('p2');
    const sent: string[] = [];
    for (let seq = 1; seq <= 100; seq++) {
      for (const [p, c] of [['p1', p1], ['p2', p2]] as const) {
        expect(await publishSettled(c, pointTopics.status(p), JSON.stringify(status(p, seq)))).toBe('acked');
        sent.push(`${p}:${seq}`);
      }
    }
    await waitFor(() => got.a.length + got.b.length >= sent.length, 'all statuses at one of the instances');
    expect([...got.a, ...got.b].sort()).toEqual([...sent].sort());
    expect(got.a.length).toBeGreaterThan(0);
    expect(got.b.length).toBeGreaterThan(0);
    // Link state is not shared: both instances see it.
    expect(await publishSettled(p1, pointTopics.state('p1'), 'online', true)).toBe('acked');
    await waitFor(() => states.includes('a:p1:online') && states.includes('b:p1:online'), 'the link state at both');

    // One instance stops: the other gets everything.
    await a.stop();
    const before = got.b.length;
    for (let seq = 101; seq <= 120; seq++) expect(await publishSettled(p1, pointTopics.status('p1'), JSON.stringify(status('p1', seq)))).toBe('acked');
    await waitFor(() => got.b.length - before === 20, 'the statuses at the remaining instance');
    expect(a.stats.statuses + b.stats.statuses).toBe(220);
  });

  it('a point cannot use a shared subscription to read other points', async () => {
    const spy = await point('p1');
    const seen = record(spy);
    // Mosquitto 2.0 grants it (as it grants `#`) and applies the read ACL to each message at delivery.
    expect(await subscribeGranted(spy, sharedStatusFilter('spy'))).toBe(1);
    const p2 = await point('p2');
    expect(await publishSettled(p2, pointTopics.status('p2'), JSON.stringify(status('p2', 500)))).toBe('acked');
    expect(await publishSettled(spy, pointTopics.status('p1'), JSON.stringify(status('p1', 500)))).toBe('acked');
    // p1 may read its own subtree, so its own status is the sentinel that arrives after p2's would have.
    await waitFor(() => seen.length > 0, 'own status');
    expect(seen.map((m) => m.topic)).toEqual([pointTopics.status('p1')]);
  });
});
