// Where the firmware build reads and writes; kept apart from build.ts so tests can find bundles
// without loading the TypeScript compiler.
import { readdirSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIRMWARE_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const SRC = join(FIRMWARE_DIR, 'src');
export const BUILD = join(FIRMWARE_DIR, 'build');
export const DIST = join(FIRMWARE_DIR, 'dist');
export const BOARD = join(FIRMWARE_DIR, 'board', 'ESP32.json');

/** Nodes are the folders of src/nodes with a main.ts. */
export function listNodes(): string[] {
  return readdirSync(join(SRC, 'nodes'))
    .filter((n) => statSync(join(SRC, 'nodes', n, 'main.ts'), { throwIfNoEntry: false })?.isFile() === true)
    .sort();
}
