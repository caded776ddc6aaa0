// The gateway's systemd unit: systemd's own checker must accept it, and the properties the deployment
// relies on (notify + watchdog, restart, dedicated user, device access, hardening) must be there.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { skipWithout } from '../support/externals.js';

const DEPLOY = fileURLToPath(new URL('../../deploy/', import.meta.url));
const UNIT = join(DEPLOY, 'noodsteun-gateway.service');
const unitText = readFileSync(UNIT, 'utf8');
const dir = mkdtempSync(join(tmpdir(), 'noodsteun-unit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function verify(file: string) {
  return spawnSync('systemd-analyze', ['verify', file], { encoding: 'utf8' });
}

/** Directives of one section as [key, value] pairs, in order (keys repeat: DeviceAllow …). */
function directives(text: string, section: string): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  let current = '';
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const head = /^\[(.+)\]$/.exec(line);
    if (head) current = head[1] ?? '';
    else if (current === section) {
      const i = line.indexOf('=');
      out.push([line.slice(0, i), line.slice(i + 1)]);
    }
  }
  return out;
}

describe.skipIf(skipWithout('systemd-analyze', 'systemd unit verification'))('noodsteun-gateway.service', () => {
  it('passes systemd-analyze verify', () => {
    const r = verify(UNIT);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  it('systemd-analyze verify does catch a broken copy (the check can fail)', () => {
    const broken = join(dir, 'noodsteun-gateway.service');
    writeFileSync(broken, unitText.replace('Type=notify', 'Type=notfy').replace('Restart=always', 'Restart=sometimes'));
    const r = verify(broken);
    expect(r.stderr).toMatch(/Failed to parse service type|Failed to parse service restart specifier/);
  });

  it('is rated OK or better by systemd-analyze security', () => {
    const r = spawnSync('systemd-analyze', ['security', '--offline=true', UNIT], { encoding: 'utf8' });
    const m = /Overall exposure level for \S+: (\d+\.\d)/.exec(r.stdout);
    expect(m, r.stdout + r.stderr).not.toBeNull();
    // 10 = no hardening; < 4 is what systemd calls OK.
    expect(Number(m?.[1])).toBeLessThan(4);
  });

  it('declares notify + watchdog, restart, a dedicated user with device groups, and device access', () => {
    const svc = directives(unitText, 'Service');
    const get = (k: string) => svc.filter(([key]) => key === k).map(([, v]) => v);
    expect(get('Type')).toEqual(['notify']);
    expect(get('NotifyAccess')).toEqual(['all']);
    expect(Number(get('WatchdogSec')[0])).toBeGreaterThan(0);
    expect(get('Restart')).toEqual(['always']);
    expect(get('User')).toEqual(['noodsteun']);
    expect(get('SupplementaryGroups')[0]?.split(' ')).toEqual(expect.arrayContaining(['dialout', 'spi', 'gpio']));
    expect(get('ProtectSystem')).toEqual(['strict']);
    expect(get('NoNewPrivileges')).toEqual(['true']);
    expect(get('DevicePolicy')).toEqual(['closed']);
    // Names as the kernel registers them in /proc/devices: spidev is "spi", GPIO character devices "gpiochip".
    expect(get('DeviceAllow')).toEqual(expect.arrayContaining(['char-ttyUSB rw', 'char-ttyACM rw', 'char-ttyAMA rw', 'char-spi rw', 'char-gpiochip rw']));
    expect(directives(unitText, 'Unit')).toContainEqual(['StartLimitIntervalSec', '0']);
  });

  it('the hotspot address unit, rendered as install.sh does, passes verify', () => {
    const rendered = readFileSync(join(DEPLOY, 'hotspot/noodsteun-hotspot-addr.service'), 'utf8')
      .replaceAll('@HOTSPOT_IFACE@', 'wlan0')
      .replaceAll('@HOTSPOT_ADDR@', '10.42.0.1');
    expect(rendered).not.toMatch(/@[A-Z_]+@/);
    const file = join(dir, 'noodsteun-hotspot-addr.service');
    writeFileSync(file, rendered);
    const r = verify(file);
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });
});
