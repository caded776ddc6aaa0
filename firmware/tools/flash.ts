// Uploads a built bundle to a board over USB serial and saves it as the boot code (.bootcde in
// Storage), through the espruino CLI. The exact bytes of firmware/dist/<node>.js go up: the modules
// it already contains are declared built in for this run, so the CLI does not resolve them again.
import { execFile } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { BOARD, BUILD, DIST } from './paths.js';

export class FlashError extends Error {
  override name = 'FlashError';
}

export interface FlashOptions {
  node: string;
  port: string;
  /** ESP32 Espruino talks 115200 on USB (the CLI's default 9600 does not work). */
  baud?: number;
}

const ESPRUINO_CLI = join(dirname(createRequire(import.meta.url).resolve('espruino/package.json')), 'bin', 'espruino-cli.js');

/** Writes the per-upload board file and returns the CLI arguments. */
export function flashArgs(opts: FlashOptions): string[] {
  const bundle = join(DIST, `${opts.node}.js`);
  let code: string;
  try {
    code = readFileSync(bundle, 'utf8');
  } catch (err) {
    throw new FlashError(`no bundle for node ${opts.node} (${bundle}): run npm run build`, { cause: err });
  }
  const board = JSON.parse(readFileSync(BOARD, 'utf8')) as { info: { builtin_modules: string[] } };
  const cached = [...code.matchAll(/Modules\.addCached\("([^"]+)"/g)].map((m) => m[1] as string);
  board.info.builtin_modules = [...board.info.builtin_modules, ...cached];
  const boardFile = join(BUILD, 'flash', `${opts.node}.board.json`);
  mkdirSync(dirname(boardFile), { recursive: true });
  writeFileSync(boardFile, JSON.stringify(board));
  return [ESPRUINO_CLI, '--no-ble', '-p', opts.port, '-b', String(opts.baud ?? 115200), '--board', boardFile, '--storage', '.bootcde:-', bundle];
}

/** Runs the upload; resolves with the CLI's output. */
export function flash(opts: FlashOptions): Promise<string> {
  const args = flashArgs(opts);
  return new Promise((resolve, reject) => {
    execFile(process.execPath, args, { timeout: 180_000 }, (err, stdout, stderr) => {
      const out = `${stdout}${stderr}`;
      if (err) reject(new FlashError(`espruino CLI failed: ${out.trim().split('\n').slice(-3).join(' | ')}`, { cause: err }));
      else if (/not found|Unable to open|Error:/i.test(out)) reject(new FlashError(`upload failed: ${out.trim().split('\n').slice(-3).join(' | ')}`));
      else resolve(out);
    });
  });
}
