// Outside programs (Mosquitto, socat, Chromium) used by integration tests. On a developer machine a
// missing one skips its tests with a visible line; in CI (NOODSTEUN_REQUIRE_EXTERNALS=1) it fails instead.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const FALLBACK_DIRS = ['/usr/sbin', '/usr/bin', '/usr/local/bin', '/usr/local/sbin'];

/** Absolute path of a program, or null. */
export function findProgram(name: string): string | null {
  try {
    const out = execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    if (out) return out;
  } catch {
    // not on PATH: try the usual sbin folders (mosquitto lives in /usr/sbin)
  }
  for (const dir of FALLBACK_DIRS) if (existsSync(`${dir}/${name}`)) return `${dir}/${name}`;
  return null;
}

/**
 * Returns true when the program is missing and the tests should be skipped (after saying so).
 * Throws in CI, where every outside program must be present.
 */
export function skipWithout(name: string, what: string): boolean {
  if (findProgram(name)) return false;
  const msg = `${what}: '${name}' is not installed (apt-get install ${name === 'mosquitto_passwd' ? 'mosquitto' : name})`;
  if (process.env.NOODSTEUN_REQUIRE_EXTERNALS === '1') throw new Error(`${msg} — required in CI`);
  console.warn(`SKIPPED ${msg}`);
  return true;
}
