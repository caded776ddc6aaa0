// Tests that run the real bundles build them first (firmware/dist is git-ignored). One build per
// change: a directory lock keeps parallel test files from building at once, and a fresh dist is reused.
import { mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DIST, FIRMWARE_DIR, listNodes } from '../../tools/paths.js';

const INPUTS = [join(FIRMWARE_DIR, 'src'), join(FIRMWARE_DIR, 'tools'), join(FIRMWARE_DIR, 'board'), join(FIRMWARE_DIR, '..', 'hardware', 'pins'), join(FIRMWARE_DIR, '..', 'hardware', 'src')];
const LOCK = join(FIRMWARE_DIR, 'build', '.lock');

function newest(path: string): number {
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let t = st.mtimeMs;
  for (const name of readdirSync(path)) t = Math.max(t, newest(join(path, name)));
  return t;
}

function fresh(): boolean {
  const inputs = Math.max(...INPUTS.map(newest));
  for (const node of listNodes()) {
    const st = statSync(join(DIST, `${node}.js`), { throwIfNoEntry: false });
    if (st === undefined || st.mtimeMs < inputs) return false;
  }
  return true;
}

export async function ensureBundles(): Promise<string[]> {
  mkdirSync(join(FIRMWARE_DIR, 'build'), { recursive: true });
  const deadline = Date.now() + 120_000;
  for (;;) {
    try {
      mkdirSync(LOCK);
      break;
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const age = Date.now() - (statSync(LOCK, { throwIfNoEntry: false })?.mtimeMs ?? Date.now());
      if (age > 120_000) rmSync(LOCK, { recursive: true, force: true });
      if (Date.now() > deadline) throw new Error('timed out waiting for another firmware build', { cause: err });
      await new Promise((r) => setTimeout(r, 200));
    }
  }
  try {
    if (!fresh()) {
      // Loaded on demand: the TypeScript compiler is slow to import.
      const { buildFirmware } = await import('../../tools/build.js');
      await buildFirmware();
    }
  } finally {
    rmSync(LOCK, { recursive: true, force: true });
  }
  return listNodes().map((n) => join(DIST, `${n}.js`));
}
