// backup.sh / restore.sh on throw-away directories. systemctl is replaced by a small recorder that keeps
// the service's state in a file: these scripts' job is what they copy, check and stop/start, not systemd.
import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';

const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));
const base = mkdtempSync(join(tmpdir(), 'noodsteun-backup-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let n = 0;
let t = { etc: '', state: '', out: '', log: '', active: '', env: {} as Record<string, string> };

beforeEach(() => {
  const d = join(base, String(n++));
  t = { etc: join(d, 'etc/noodsteun'), state: join(d, 'var/lib/noodsteun'), out: join(d, 'backups'), log: join(d, 'systemctl.log'), active: join(d, 'active'), env: {} };
  mkdirSync(join(t.etc, 'secrets'), { recursive: true });
  mkdirSync(t.state, { recursive: true });
  writeFileSync(join(t.etc, 'gateway.json'), '{"id":"utrecht-oost-1"}\n');
  writeFileSync(join(t.etc, 'secrets/session.key'), 'a1b2c3\n');
  writeFileSync(join(t.state, 'noodsteun.db'), Buffer.from([0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0, 1, 2, 3]));
  writeFileSync(t.active, 'active');
  const stub = join(d, 'systemctl');
  writeFileSync(
    stub,
    `#!/bin/sh
echo "$*" >>'${t.log}'
case "$1" in
  is-active) [ "$(cat '${t.active}')" = active ] ;;
  stop) echo inactive >'${t.active}' ;;
  start) echo active >'${t.active}' ;;
esac
`,
  );
  chmodSync(stub, 0o755);
  t.env = { ETC_DIR: t.etc, STATE_DIR: t.state, SYSTEMCTL: stub, SERVICE_USER: 'noodsteun-test-absent' };
});

function run(script: string, args: string[]) {
  return spawnSync('bash', [join(DEPLOY, script), ...args], { encoding: 'utf8', env: { ...process.env, ...t.env } });
}

function backup(): string {
  const r = run('backup.sh', ['--out', t.out]);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
  return r.stdout.trim();
}

describe('backup.sh and restore.sh', () => {
  it('backs up config, secrets and state with checksums, stopping the gateway only while copying', () => {
    const file = backup();
    expect(file.startsWith(t.out)).toBe(true);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const list = spawnSync('tar', ['-tzf', file], { encoding: 'utf8' }).stdout.split('\n');
    expect(list).toEqual(expect.arrayContaining(['./MANIFEST', './SHA256SUMS', './etc/gateway.json', './etc/secrets/session.key', './state/noodsteun.db']));
    expect(readFileSync(t.log, 'utf8').trim().split('\n')).toEqual(['is-active --quiet noodsteun-gateway.service', 'stop noodsteun-gateway.service', 'start noodsteun-gateway.service']);
    expect(readFileSync(t.active, 'utf8').trim()).toBe('active');
  });

  it('restore puts the backed-up state back and keeps the replaced one aside', () => {
    const file = backup();
    writeFileSync(join(t.state, 'noodsteun.db'), 'changed after the backup');
    writeFileSync(join(t.etc, 'secrets/session.key'), 'rotated\n');
    const r = run('restore.sh', [file]);
    expect(r.status, r.stderr).toBe(0);
    expect([...readFileSync(join(t.state, 'noodsteun.db'))]).toEqual([0x53, 0x51, 0x4c, 0x69, 0x74, 0x65, 0, 1, 2, 3]);
    expect(readFileSync(join(t.etc, 'secrets/session.key'), 'utf8')).toBe('a1b2c3\n');
    const aside = readdirSync(join(t.state, '..')).filter((f) => f.startsWith('noodsteun.pre-restore-'));
    expect(aside).toHaveLength(1);
    expect(readFileSync(join(t.state, '..', aside[0] ?? '', 'noodsteun.db'), 'utf8')).toBe('changed after the backup');
    expect(readFileSync(t.active, 'utf8').trim()).toBe('active');
  });

  it('refuses a damaged archive and changes nothing', () => {
    const file = backup();
    // Rebuild the archive with one file altered behind the checksums' back.
    const x = join(base, `x${n}`);
    mkdirSync(x);
    spawnSync('tar', ['-C', x, '-xzf', file]);
    writeFileSync(join(x, 'state/noodsteun.db'), 'tampered');
    const bad = join(t.out, 'damaged.tar.gz');
    spawnSync('tar', ['-C', x, '-czf', bad, '.']);
    writeFileSync(join(t.state, 'noodsteun.db'), 'current');
    const logBefore = readFileSync(t.log, 'utf8');
    const r = run('restore.sh', [bad]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/damaged \(checksum mismatch\), nothing changed/);
    expect(readFileSync(join(t.state, 'noodsteun.db'), 'utf8')).toBe('current');
    expect(readFileSync(t.log, 'utf8')).toBe(logBefore); // the gateway was not stopped
    expect(readdirSync(join(t.state, '..')).filter((f) => f.includes('pre-restore'))).toEqual([]);
  });

  it('refuses a file that is not a noodsteun backup', () => {
    const other = join(base, `other${n}.tar.gz`);
    spawnSync('tar', ['-C', t.etc, '-czf', other, '.']);
    const r = run('restore.sh', [other]);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/is not a noodsteun backup/);
  });

  it('--online leaves the gateway running', () => {
    const r = run('backup.sh', ['--out', t.out, '--online']);
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(t.log)).toBe(false);
  });
});
