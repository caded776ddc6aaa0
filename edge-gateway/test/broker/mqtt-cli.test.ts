// `noodsteun mqtt`: issue prints each new secret once, and the written Mosquitto files match the store.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CredentialStore } from '../../src/broker/credentials.js';
import { command } from '../../src/cli/commands/mqtt.js';
import { UsageError } from '../../src/cli/command.js';
import { tempDir } from './mqtt-harness.js';

describe('noodsteun mqtt', () => {
  let dir: string;
  let remove: () => Promise<void>;
  let out: string[];
  beforeEach(async () => {
    ({ dir, remove } = await tempDir('noodsteun-cli-'));
    out = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      out.push(String(chunk));
      return true;
    });
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
  });
  afterEach(async () => {
    vi.restoreAllMocks();
    await remove();
  });

  it('issues secrets once per node and writes Mosquitto files for the same users', async () => {
    const data = join(dir, 'data');
    expect(await command.run(['issue', '--data-dir', data, 'fuel-1', 'charger-1'])).toBe(0);
    const lines = out.join('').trim().split('\n');
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['fuel-1', 'charger-1']);
    out = [];
    expect(await command.run(['issue', '--data-dir', data, 'fuel-1'])).toBe(0);
    expect(out.join('')).toBe('');

    const store = await CredentialStore.open(data);
    const fuelSecret = lines[0]!.split(' ')[1]!;
    expect(await store.verify('fuel-1', fuelSecret)).toEqual({ username: 'fuel-1', role: 'node' });

    expect(await command.run(['mosquitto', '--data-dir', data, '--out', join(dir, 'mosq'), '--port', '1884'])).toBe(0);
    const passwd = await readFile(join(dir, 'mosq', 'passwd'), 'utf8');
    expect(passwd.split('\n').filter(Boolean).map((l) => l.split(':')[0]).sort()).toEqual(['_gateway', 'charger-1', 'fuel-1']);
    expect(passwd).not.toContain(fuelSecret);
    expect(await readFile(join(dir, 'mosq', 'mosquitto.conf'), 'utf8')).toMatch(/^listener 1884 0\.0\.0\.0$/m);
  });

  it('rotates on request and reports usage errors', async () => {
    const data = join(dir, 'data');
    await command.run(['issue', '--data-dir', data, 'fuel-1']);
    const first = out.join('').trim().split(' ')[1];
    out = [];
    await command.run(['issue', '--data-dir', data, '--rotate', 'fuel-1']);
    const second = out.join('').trim().split(' ')[1];
    expect(second).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(second).not.toBe(first);
    await expect(command.run(['issue', 'fuel-1'])).rejects.toThrow(UsageError);
    await expect(command.run(['mosquitto', '--data-dir', data, '--out', dir, '--port', '99999'])).rejects.toThrow(UsageError);
    await expect(command.run(['nope'])).rejects.toThrow(UsageError);
  });
});
