import { chmod, readFile, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CREDENTIALS_FILE, CredentialStore, CredentialsError, GATEWAY_SECRET_FILE } from '../../src/broker/credentials.js';
import { GATEWAY_USERNAME } from '../../src/broker/acl.js';
import { memoryLogger } from '../../src/log/logger.js';
import { tempDir } from './mqtt-harness.js';

describe('credential store', () => {
  let dir: string;
  let remove: () => Promise<void>;
  beforeEach(async () => ({ dir, remove } = await tempDir('noodsteun-creds-')));
  afterEach(() => remove());

  it('issues node secrets once, stores only hashes, in a 0600 file', async () => {
    const store = await CredentialStore.open(dir);
    const issued = await store.ensureNodeCredentials(['fuel-1', 'battery-1', 'fuel-1']);
    expect([...issued.keys()].sort()).toEqual(['battery-1', 'fuel-1']);
    const secret = issued.get('fuel-1')!;
    expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);

    const again = await store.ensureNodeCredentials(['fuel-1', 'battery-1', 'visitors-1']);
    expect([...again.keys()]).toEqual(['visitors-1']);

    const text = await readFile(join(dir, CREDENTIALS_FILE), 'utf8');
    for (const s of [...issued.values(), ...again.values(), store.gateway.password]) expect(text).not.toContain(s);
    expect(text).toMatch(/"scrypt": "scrypt\$16384\$8\$1\$/);
    expect(text).toMatch(/"mosquitto": "\$7\$1000\$/);
    expect((await stat(join(dir, CREDENTIALS_FILE))).mode & 0o777).toBe(0o600);
    expect((await stat(join(dir, GATEWAY_SECRET_FILE))).mode & 0o777).toBe(0o600);
    // Atomic writes leave no temp files behind.
    expect((await readdir(dir)).sort()).toEqual([CREDENTIALS_FILE, GATEWAY_SECRET_FILE].sort());
  });

  it('verifies passwords after a restart; wrong, unknown and missing credentials give null', async () => {
    const first = await CredentialStore.open(dir);
    const secret = (await first.ensureNodeCredentials(['fuel-1'])).get('fuel-1')!;
    const gw = first.gateway;

    const store = await CredentialStore.open(dir);
    expect(store.gateway).toEqual(gw);
    expect(await store.verify('fuel-1', Buffer.from(secret))).toEqual({ username: 'fuel-1', role: 'node' });
    expect(await store.verify(GATEWAY_USERNAME, gw.password)).toEqual({ username: GATEWAY_USERNAME, role: 'gateway' });
    expect(await store.verify('fuel-1', 'wrong')).toBeNull();
    expect(await store.verify('fuel-1', gw.password)).toBeNull();
    expect(await store.verify('nobody', secret)).toBeNull();
    expect(await store.verify(undefined, undefined)).toBeNull();
    expect(await store.verify('fuel-1', undefined)).toBeNull();
  });

  it('re-issuing replaces the old secret; removing a user locks it out', async () => {
    const store = await CredentialStore.open(dir);
    const old = (await store.ensureNodeCredentials(['fuel-1'])).get('fuel-1')!;
    const fresh = await store.issue({ username: 'fuel-1', role: 'node' });
    expect(fresh).not.toBe(old);
    expect(await store.verify('fuel-1', old)).toBeNull();
    expect(await store.verify('fuel-1', fresh)).not.toBeNull();
    const coord = await store.issue({ username: '_point-p1', role: 'coordinator', point: 'p1' });
    expect(await store.verify('_point-p1', coord)).toEqual({ username: '_point-p1', role: 'coordinator', point: 'p1' });
    expect(await store.remove('fuel-1')).toBe(true);
    expect(await (await CredentialStore.open(dir)).verify('fuel-1', fresh)).toBeNull();
    await expect(store.remove(GATEWAY_USERNAME)).rejects.toThrow(CredentialsError);
  });

  it('refuses node ids that are not valid node ids', async () => {
    const store = await CredentialStore.open(dir);
    await expect(store.ensureNodeCredentials(['Fuel 1'])).rejects.toThrow(CredentialsError);
    await expect(store.ensureNodeCredentials(['_gateway'])).rejects.toThrow(/node id/);
  });

  it('regenerates the gateway secret when its file is lost, and tightens a loose file mode', async () => {
    const log = memoryLogger('gw:broker');
    const first = await CredentialStore.open(dir);
    const oldPassword = first.gateway.password;
    await writeFile(join(dir, GATEWAY_SECRET_FILE), 'not-the-secret\n');
    await chmod(join(dir, CREDENTIALS_FILE), 0o644);
    const store = await CredentialStore.open(dir, { log });
    expect(store.gateway.password).not.toBe(oldPassword);
    expect(await store.verify(GATEWAY_USERNAME, store.gateway.password)).not.toBeNull();
    expect(await store.verify(GATEWAY_USERNAME, oldPassword)).toBeNull();
    expect((await stat(join(dir, CREDENTIALS_FILE))).mode & 0o777).toBe(0o600);
    expect(log.records.map((r) => r.msg)).toEqual(
      expect.arrayContaining(['credentials file readable by others: tightening to 0600', 'gateway service secret missing or not matching its hash: generating a new one']),
    );
  });

  it('reports a corrupt file with its path instead of starting with no users', async () => {
    await writeFile(join(dir, CREDENTIALS_FILE), '{"version":1,"users":{"fuel-1":{"role":"node","scrypt":"plain","mosquitto":"x","created":""}}}');
    await expect(CredentialStore.open(dir)).rejects.toThrow(/users\.fuel-1\.scrypt: not an scrypt hash/);
    await writeFile(join(dir, CREDENTIALS_FILE), '{"version":1,');
    await expect(CredentialStore.open(dir)).rejects.toThrow(/malformed JSON/);
  });
});
