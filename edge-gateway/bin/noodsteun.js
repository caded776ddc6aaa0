#!/usr/bin/env node
// Entry point of the `noodsteun` command. Sources are TypeScript, run through tsx so developers and CI
// run exactly the checked-in code. The long-running services (`gateway`, `sim`) run from the bundle in
// edge-gateway/dist when it is at least as new as every source file: tsx's loader thread alone costs
// ~35 MB of RSS, which the Raspberry Pi should not pay. `npm run build` makes the bundle.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const SERVICES = new Set(['gateway', 'sim']);
const SOURCE_DIRS = ['edge-gateway/src', 'kiosk-ui/src', 'hardware/src'].map((d) => join(root, d));

function newestMtime(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const e of entries) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

function freshBundle(name) {
  const file = join(here, '..', 'dist', `${name}.js`);
  try {
    const built = statSync(file).mtimeMs;
    return SOURCE_DIRS.every((d) => newestMtime(d) <= built) ? file : null;
  } catch {
    return null;
  }
}

const [name, ...rest] = process.argv.slice(2);
const bundle = name && SERVICES.has(name) && !process.env.NOODSTEUN_NO_BUNDLE ? freshBundle(name) : null;
if (bundle) {
  const { command } = await import(pathToFileURL(bundle).href);
  process.exitCode = await command.run(rest);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  const { main } = await import('../src/cli/main.ts');
  process.exitCode = await main(process.argv.slice(2));
}
