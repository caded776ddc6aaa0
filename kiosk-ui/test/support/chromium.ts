// Debian's Chromium for end-to-end tests. Missing on a developer machine: the tests are skipped with a
// visible line; in CI (NOODSTEUN_REQUIRE_EXTERNALS=1) it is an error, as for the gateway's outside programs.
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM_PATH = '/usr/bin/chromium';

export function skipWithoutChromium(what: string): boolean {
  if (existsSync(CHROMIUM_PATH)) return false;
  const msg = `${what}: chromium is not installed at ${CHROMIUM_PATH} (apt-get install chromium)`;
  if (process.env.NOODSTEUN_REQUIRE_EXTERNALS === '1') throw new Error(`${msg} — required in CI`);
  console.warn(`SKIPPED ${msg}`);
  return true;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}
