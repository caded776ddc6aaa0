// Where the simulator finds the built firmware (firmware/dist/<node>.js, made by `npm run build`)
// and what version string a bundle reports in its heartbeats.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoPaths } from '../../paths.js';
import type { SimNodeKind } from '../nodes/app.js';

/** From the repository root, so the bundled simulator (edge-gateway/dist) finds it too. */
export const FIRMWARE_DIST = repoPaths.firmwareDist;

export class FirmwareBundleError extends Error {
  override name = 'FirmwareBundleError';
}

export function firmwareBundlePath(kind: SimNodeKind, dist: string = FIRMWARE_DIST): string {
  return join(dist, `${kind}.js`);
}

/** Kinds whose bundle is missing from `dist` (empty: all present). */
export function missingFirmwareBundles(kinds: readonly SimNodeKind[], dist: string = FIRMWARE_DIST): SimNodeKind[] {
  return [...new Set(kinds)].filter((k) => !existsSync(firmwareBundlePath(k, dist)));
}

export function readFirmwareBundle(kind: SimNodeKind, dist: string = FIRMWARE_DIST): string {
  const path = firmwareBundlePath(kind, dist);
  try {
    return readFileSync(path, 'utf8');
  } catch (err) {
    throw new FirmwareBundleError(`no firmware bundle for '${kind}' at ${path} (npm run build -w firmware)`, { cause: err });
  }
}

/** The `"<version>+<hash>"` the generated entry passes to start(): what the node's heartbeats carry. */
export function bundleVersion(code: string): string | null {
  const m = /\.start\([\s\S]*,\s*"([^"]+)"\)\s*;?\s*$/.exec(code.trimEnd());
  return m?.[1] ?? null;
}

/**
 * The same bundle reporting another version string: a board still running an older build (a scenario's
 * outdated node, for the wizard to flash). The code is the current build's; only its label differs.
 */
export function withBundleVersion(code: string, version: string): string {
  const current = bundleVersion(code);
  if (current === null) throw new FirmwareBundleError('the bundle carries no version string to replace');
  const at = code.lastIndexOf(`"${current}"`);
  return code.slice(0, at) + JSON.stringify(version) + code.slice(at + current.length + 2);
}
