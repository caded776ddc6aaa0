// The firmware build a node should run: the version string baked into firmware/dist/<kind>.js (what its
// heartbeats report once flashed). Read once per kind and cached; a missing build is null, not an error.
import { FIRMWARE_DIST, bundleVersion, readFirmwareBundle } from '../sim/firmware/bundles.js';
import type { NodeKind } from '../protocol/index.js';

const FLASHABLE = ['fuel', 'battery', 'visitors', 'charger'] as const;

export function firmwareVersions(dist: string = FIRMWARE_DIST): (kind: NodeKind) => string | null {
  const cache = new Map<NodeKind, string | null>();
  return (kind) => {
    if (!cache.has(kind)) {
      let v: string | null = null;
      if ((FLASHABLE as readonly string[]).includes(kind)) {
        try {
          v = bundleVersion(readFirmwareBundle(kind as (typeof FLASHABLE)[number], dist));
        } catch {
          v = null;
        }
      }
      cache.set(kind, v);
    }
    return cache.get(kind) ?? null;
  };
}
