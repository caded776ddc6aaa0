import { describe, expect, it } from 'vitest';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError, loadConfigFile, parseConfig } from '../../src/config/load.js';

const minimal = { role: 'point', id: 'test-1', name: 'Test point', dataDir: 'data' };

describe('config', () => {
  it('fills defaults and resolves the data dir against the config file folder', () => {
    const cfg = parseConfig(minimal, 'x', '/srv/point');
    expect(cfg.dataDir).toBe('/srv/point/data');
    expect(cfg.mqtt).toEqual({ mode: 'embedded', host: '127.0.0.1', port: 1883 });
    expect(cfg.store.rawRetentionHours).toBe(48);
    expect(cfg.nodes).toEqual([]);
  });

  it('reports every error with its path', () => {
    const bad = {
      ...minimal,
      role: 'router',
      nodes: [{ id: 'Fuel 1', kind: 'fuel' }, { id: 'b', kind: 'toaster' }],
      mqtt: { mode: 'external', url: 'http://x', username: 'u' },
      extra: true,
    };
    let err: unknown;
    try {
      parseConfig(bad, 'bad.json');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    const problems = (err as ConfigError).problems.join('\n');
    expect(problems).toMatch(/^role: /m);
    expect(problems).toMatch(/^nodes\.0\.id: /m);
    expect(problems).toMatch(/^nodes\.1\.kind: /m);
    expect(problems).toMatch(/^mqtt\.url: /m);
    expect(problems).toMatch(/^mqtt\.passwordFile: /m);
    expect(problems).toMatch(/extra/);
    expect((err as Error).message).toContain('bad.json');
  });

  it('rejects duplicate node ids and serial paths', () => {
    expect(() =>
      parseConfig({
        ...minimal,
        nodes: [
          { id: 'a', kind: 'fuel' },
          { id: 'a', kind: 'battery' },
        ],
        serial: [{ path: '/dev/ttyUSB0' }, { path: '/dev/ttyUSB0' }],
      }),
    ).toThrow(/nodes\.1\.id: duplicate node id 'a'[\s\S]*serial\.1\.path/);
    expect(() =>
      parseConfig({
        ...minimal,
        nodes: [{ id: 'bmv', kind: 'battery' }],
        serial: [{ path: '/dev/ttyUSB0' }],
        vedirect: [{ path: '/dev/ttyUSB0', node: 'bmv' }],
      }),
    ).toThrow(/vedirect\.0\.path: '\/dev\/ttyUSB0' is already used[\s\S]*vedirect\.0\.node: 'bmv' is already a node id/);
  });

  it('loads files and explains unreadable or malformed ones', () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfg-'));
    const good = join(dir, 'good.json');
    writeFileSync(good, JSON.stringify(minimal));
    expect(loadConfigFile(good).dataDir).toBe(join(dir, 'data'));
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, '{"role": "point",');
    expect(() => loadConfigFile(broken)).toThrow(/not valid JSON/);
    expect(() => loadConfigFile(join(dir, 'missing.json'))).toThrow(/cannot read file/);
  });

  it('accepts the example configuration for real hardware', () => {
    const cfg = loadConfigFile(new URL('../../config/example.point.json', import.meta.url).pathname);
    expect(cfg.nodes.map((n) => n.kind).sort()).toEqual(['battery', 'charger', 'fuel', 'visitors']);
    expect(cfg.coordinator?.statusIntervalS).toBe(60);
  });
});
