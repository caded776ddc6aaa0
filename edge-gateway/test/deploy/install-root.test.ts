// End-to-end run of edge-gateway/deploy/install.sh inside an isolated Debian bookworm root made with
// debootstrap (never on this machine's own root): first run installs, second run must change nothing.
//
// The root is built once by make-bookworm-root.sh (~8 min over a slow mirror) and cached as a tarball in
// $NOODSTEUN_CACHE_DIR (default ~/.cache/noodsteun); each run unpacks it (~1 s) into a fresh directory.
// The root has the host's architecture (amd64 in CI), not the Pi's arm64: what is tested is the script
// against bookworm's packages, users, systemd and dnsmasq, not the CPU.
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, renameSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findProgram } from '../support/externals.js';

const REPO = fileURLToPath(new URL('../../../', import.meta.url));
const MAKE_ROOT = fileURLToPath(new URL('./make-bookworm-root.sh', import.meta.url));
const CACHE_DIR = process.env.NOODSTEUN_CACHE_DIR ?? join(homedir(), '.cache', 'noodsteun');
// Bump the suffix when make-bookworm-root.sh changes what it installs.
const ROOT_TAR = join(CACHE_DIR, 'bookworm-root-v1.tar');
const MIRROR = process.env.NOODSTEUN_DEBIAN_MIRROR ?? 'http://deb.debian.org/debian';

async function mirrorReachable(): Promise<boolean> {
  try {
    const res = await fetch(`${MIRROR}/dists/bookworm/Release`, { method: 'HEAD', signal: AbortSignal.timeout(10_000) });
    return res.ok;
  } catch {
    return false;
  }
}

/** Why the test cannot run here, or null. */
async function skipReason(): Promise<string | null> {
  if (process.env.NOODSTEUN_SKIP_DEBOOTSTRAP === '1') return 'NOODSTEUN_SKIP_DEBOOTSTRAP=1';
  if (process.platform !== 'linux') return 'needs Linux';
  if (process.getuid?.() !== 0) return 'needs root (chroot, useradd inside the test root)';
  if (!findProgram('unshare')) return "'unshare' (util-linux) is not installed";
  if (existsSync(ROOT_TAR)) return null;
  if (!findProgram('debootstrap')) return `'debootstrap' is not installed (apt-get install debootstrap) and no cached root at ${ROOT_TAR}`;
  if (!(await mirrorReachable())) return `Debian mirror ${MIRROR} is unreachable and no cached root at ${ROOT_TAR}`;
  return null;
}

const reason = await skipReason();
if (reason) console.warn(`SKIPPED install.sh in a debootstrap root: ${reason}`);

const NODE_VERSION = process.versions.node;
const NODE_NAME = `node-v${NODE_VERSION}-linux-${process.arch === 'arm64' ? 'arm64' : 'x64'}`;

let work = '';
let root = '';

/** Runs a command inside the root: own mount and PID namespaces, /proc of its own, nothing else shared. */
function inRoot(args: string[], env: Record<string, string> = {}) {
  const envArgs = Object.entries({ PATH: '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin', LANG: 'C.UTF-8', ...env }).map(([k, v]) => `${k}=${v}`);
  return spawnSync('unshare', ['--mount', '--pid', '--fork', `--root=${root}`, '--mount-proc', 'env', '-i', ...envArgs, ...args], {
    encoding: 'utf8',
    timeout: 180_000,
  });
}

const INSTALL_ENV = {
  OFFLINE: '1',
  NODE_TARBALL: `/tmp/${NODE_NAME}.tar`,
  RELEASE_DIR: '/tmp/noodsteun-release',
  HOTSPOT_SSID: 'Noodsteunpunt Test',
};

function install() {
  const r = inRoot(['/bin/bash', '/tmp/noodsteun-release/edge-gateway/deploy/install.sh'], INSTALL_ENV);
  if (r.status !== 0) throw new Error(`install.sh failed (${r.status}):\n${r.stdout}\n${r.stderr}`);
  return r.stdout;
}

const SKIP_TOP = new Set(['proc', 'sys', 'dev', 'run', 'tmp']);

/** Path → type, mode, owner and content hash (or link target) of every file in the root. */
function snapshot(): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (rel: string) => {
    for (const name of readdirSync(join(root, rel))) {
      const r = rel ? `${rel}/${name}` : name;
      if (!rel && SKIP_TOP.has(name)) continue;
      const p = join(root, r);
      const st = lstatSync(p);
      const meta = `${st.mode.toString(8)} ${st.uid}:${st.gid}`;
      if (st.isSymbolicLink()) out.set(r, `${meta} -> ${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.set(r, `${meta} dir`);
        walk(r);
      } else out.set(r, `${meta} ${createHash('sha256').update(readFileSync(p)).digest('hex')}`);
    }
  };
  walk('');
  return out;
}

function diff(a: Map<string, string>, b: Map<string, string>): string[] {
  const keys = new Set([...a.keys(), ...b.keys()]);
  return [...keys].filter((k) => a.get(k) !== b.get(k)).sort();
}

describe.skipIf(reason !== null)('install.sh in a Debian bookworm root (debootstrap)', () => {
  let first = '';
  let second = '';
  let afterFirst = new Map<string, string>();
  let afterSecond = new Map<string, string>();

  beforeAll(() => {
    if (!existsSync(ROOT_TAR)) {
      mkdirSync(CACHE_DIR, { recursive: true });
      console.warn(`building the bookworm root once into ${ROOT_TAR} (debootstrap, several minutes)`);
      execFileSync('bash', [MAKE_ROOT, ROOT_TAR, MIRROR], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 30 * 60_000 });
    }
    work = mkdtempSync(join(tmpdir(), 'noodsteun-install-'));
    root = join(work, 'root');
    mkdirSync(root);
    execFileSync('tar', ['-C', root, '-xf', ROOT_TAR]);

    // What Raspberry Pi OS has and a debootstrap root lacks: the boot partition's config.
    mkdirSync(join(root, 'boot/firmware'), { recursive: true });
    writeFileSync(join(root, 'boot/firmware/config.txt'), 'dtparam=audio=on\n[pi4]\narm_boost=1\n');
    writeFileSync(join(root, 'boot/firmware/cmdline.txt'), 'console=serial0,115200 console=tty1 root=PARTUUID=6c586e13-02 rootfstype=ext4 fsck.repair=yes rootwait\n');

    // The release: the gateway's entry point, config example and deploy folder as they are in this repo.
    const rel = join(root, 'tmp/noodsteun-release');
    mkdirSync(join(rel, 'edge-gateway/bin'), { recursive: true });
    mkdirSync(join(rel, 'edge-gateway/config'), { recursive: true });
    copyFileSync(join(REPO, 'package.json'), join(rel, 'package.json'));
    copyFileSync(join(REPO, 'edge-gateway/bin/noodsteun.js'), join(rel, 'edge-gateway/bin/noodsteun.js'));
    copyFileSync(join(REPO, 'edge-gateway/config/example.point.json'), join(rel, 'edge-gateway/config/example.point.json'));
    cpSync(join(REPO, 'edge-gateway/deploy'), join(rel, 'edge-gateway/deploy'), { recursive: true });

    // Node in the layout of the nodejs.org tarballs, made from the node running this test (bookworm's own
    // Node 18 is too old, and the test must not download anything).
    // Uncompressed and cached: gzip of the 100 MB binary costs more than the whole install.
    const nodeTar = join(CACHE_DIR, `${NODE_NAME}.tar`);
    if (!existsSync(nodeTar)) {
      const nodeDir = join(work, NODE_NAME, 'bin');
      mkdirSync(nodeDir, { recursive: true });
      copyFileSync(realpathSync(process.execPath), join(nodeDir, 'node'));
      execFileSync('tar', ['-C', work, '-cf', `${nodeTar}.part`, NODE_NAME]);
      renameSync(`${nodeTar}.part`, nodeTar);
    }
    copyFileSync(nodeTar, join(root, 'tmp', `${NODE_NAME}.tar`));

    first = install();
    afterFirst = snapshot();
    second = install();
    afterSecond = snapshot();
  }, 40 * 60_000);

  afterAll(() => {
    // --one-file-system: nothing is mounted in the root outside the unshare'd namespaces, but never
    // follow a mount out of it.
    if (work && dirname(work) === tmpdir()) execFileSync('rm', ['-rf', '--one-file-system', work]);
  });

  it('first run installs Node, user, app, secrets, boot config, journald, hotspot and units', () => {
    expect(first).toMatch(/^changed\s+node v\d+/m);
    expect(first).toMatch(/^changed\s+user noodsteun$/m);
    const id = inRoot(['id', '-nG', 'noodsteun']).stdout.trim().split(' ');
    expect(id).toEqual(expect.arrayContaining(['noodsteun', 'dialout', 'spi', 'gpio']));
    expect(readFileSync(join(root, 'opt/noodsteun/edge-gateway/bin/noodsteun.js'), 'utf8')).toBe(readFileSync(join(REPO, 'edge-gateway/bin/noodsteun.js'), 'utf8'));
    expect(inRoot(['node', '-p', 'process.versions.node']).stdout.trim()).toBe(NODE_VERSION);

    const cfg = readFileSync(join(root, 'boot/firmware/config.txt'), 'utf8');
    expect(cfg).toBe('dtparam=audio=on\n[pi4]\narm_boost=1\n[all]\ndtparam=spi=on\nenable_uart=1\ndtoverlay=disable-bt\n');
    expect(readFileSync(join(root, 'boot/firmware/cmdline.txt'), 'utf8')).toBe('console=tty1 root=PARTUUID=6c586e13-02 rootfstype=ext4 fsck.repair=yes rootwait\n');
    expect(readFileSync(join(root, 'etc/systemd/journald.conf.d/noodsteun.conf'), 'utf8')).toMatch(/^Storage=volatile$/m);

    // Units installed and enabled the way systemd reads them (offline systemctl inside the root).
    for (const u of ['noodsteun-gateway.service', 'noodsteun-hotspot-addr.service', 'hostapd@wlan0.service', 'dnsmasq.service']) {
      expect(inRoot(['systemctl', 'is-enabled', u]).stdout.trim(), u).toBe('enabled');
    }
    const verify = inRoot(['systemd-analyze', 'verify', '/etc/systemd/system/noodsteun-gateway.service', '/etc/systemd/system/noodsteun-hotspot-addr.service']);
    expect(verify.stderr).toBe('');
    expect(verify.status).toBe(0);
    expect(readFileSync(join(root, 'etc/systemd/system/noodsteun-gateway.service.d/node.conf'), 'utf8')).toContain(
      // The drop-in keeps the runtime flags of the unit (edge-gateway/src/service-runtime.ts).
      'ExecStart=/usr/local/bin/node --max-semi-space-size=1 --max-old-space-size=96 /opt/noodsteun/edge-gateway/bin/noodsteun.js gateway --config /etc/noodsteun/gateway.json',
    );
  });

  it('generates secrets at install, readable by the service only', () => {
    for (const [file, bytes] of [['technician.password', 18], ['session.key', 32]] as const) {
      const p = join(root, 'etc/noodsteun/secrets', file);
      expect(readFileSync(p, 'utf8')).toMatch(new RegExp(`^[0-9a-f]{${bytes * 2}}$`));
      const st = lstatSync(p);
      expect((st.mode & 0o777).toString(8)).toBe('640');
      expect(st.uid).toBe(0);
    }
    expect(readFileSync(join(root, 'etc/noodsteun/secrets/session.key'), 'utf8')).not.toBe(readFileSync(join(root, 'etc/noodsteun/secrets/technician.password'), 'utf8'));
  });

  it('the hotspot config passes dnsmasq’s own check and answers every name with the Pi', () => {
    const r = inRoot(['dnsmasq', '--test', '--conf-file=/etc/dnsmasq.d/noodsteun-hotspot.conf']);
    expect(r.stderr).toContain('syntax check OK');
    expect(r.status).toBe(0);
    const conf = readFileSync(join(root, 'etc/dnsmasq.d/noodsteun-hotspot.conf'), 'utf8');
    expect(conf).toMatch(/^address=\/#\/10\.42\.0\.1$/m);
    expect(conf).toMatch(/^dhcp-option=114,"http:\/\/10\.42\.0\.1\/"$/m);
    expect(readFileSync(join(root, 'etc/hostapd/wlan0.conf'), 'utf8')).toMatch(/^ssid=Noodsteunpunt Test$/m);
    expect(conf).not.toMatch(/@[A-Z_]+@/);
  });

  it('second run changes nothing', () => {
    expect(second).toMatch(/^done\s+0 change\(s\)$/m);
    expect(second).not.toMatch(/^changed/m);
    expect(afterFirst.size).toBeGreaterThan(1000);
    expect(diff(afterFirst, afterSecond)).toEqual([]);
  });

  it('a third run repairs a drifted file and keeps an edited gateway config', () => {
    const journald = join(root, 'etc/systemd/journald.conf.d/noodsteun.conf');
    writeFileSync(journald, '[Journal]\nStorage=persistent\n');
    const gw = join(root, 'etc/noodsteun/gateway.json');
    const edited = readFileSync(gw, 'utf8').replace('utrecht-oost-1', 'zwolle-zuid-2');
    writeFileSync(gw, edited);
    const third = install();
    expect(third.match(/^changed.*$/gm)).toEqual(['changed  /etc/systemd/journald.conf.d/noodsteun.conf']);
    expect(readFileSync(journald, 'utf8')).toMatch(/^Storage=volatile$/m);
    expect(readFileSync(gw, 'utf8')).toBe(edited);
  });

  it('switching to HOTSPOT=networkmanager writes its connection and captive answer and retires the hostapd setup', () => {
    const r = inRoot(['/bin/bash', '/tmp/noodsteun-release/edge-gateway/deploy/install.sh'], { ...INSTALL_ENV, HOTSPOT: 'networkmanager' });
    expect(r.status, r.stderr).toBe(0);
    expect(r.stdout.match(/^changed.*$/gm)).toEqual([
      'changed  /etc/NetworkManager/system-connections/noodsteun-hotspot.nmconnection',
      'changed  /etc/NetworkManager/dnsmasq-shared.d/noodsteun-captive.conf',
      'changed  disabled noodsteun-hotspot-addr.service',
      'changed  disabled hostapd@wlan0.service',
      'changed  removed /etc/NetworkManager/conf.d/noodsteun-hotspot.conf',
      'changed  removed /etc/dnsmasq.d/noodsteun-hotspot.conf',
    ]);
    expect(inRoot(['systemctl', 'is-enabled', 'hostapd@wlan0.service']).stdout.trim()).toBe('disabled');
    const conn = join(root, 'etc/NetworkManager/system-connections/noodsteun-hotspot.nmconnection');
    expect(lstatSync(conn).mode & 0o777).toBe(0o600); // NetworkManager ignores keyfiles others can read
    expect(readFileSync(conn, 'utf8')).toMatch(/^mode=ap$[\s\S]*^method=shared$/m);
    expect(readFileSync(join(root, 'etc/NetworkManager/dnsmasq-shared.d/noodsteun-captive.conf'), 'utf8')).toMatch(/^address=\/#\/10\.42\.0\.1$/m);
  });
});
