// `noodsteun start`'s simulated site commissions the point with the coordinator's board-signing key:
// the point's config names the key the coordinator will load from its data dir.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadOrCreateSigningKey } from '../../src/coordinator/signing/index.js';
import { parseConfig } from '../../src/config/load.js';
import { prepareSimulatedSite, SIM_COORDINATOR_ID } from '../../src/sim/site.js';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('simulated site board key', () => {
  it('hands the coordinator’s public key to the point config, the same across non-fresh starts', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ns-site-'));
    dirs.push(dataDir);
    const site = await prepareSimulatedSite({ dataDir, pointHttpPort: 0, fresh: true, seed: 1 });
    const point = parseConfig({ ...(JSON.parse(readFileSync(site.pointConfig, 'utf8')) as object), dataDir });
    const key = await loadOrCreateSigningKey(join(dataDir, 'coordinator'));
    expect(key.created).toBe(false);
    expect(point.coordinator?.boardKey).toEqual({ issuer: SIM_COORDINATOR_ID, keyId: key.keyId, publicKey: key.publicKey });

    const again = await prepareSimulatedSite({ dataDir, pointHttpPort: 0, fresh: false, seed: 1 });
    const point2 = JSON.parse(readFileSync(again.pointConfig, 'utf8')) as { coordinator: { boardKey: { keyId: string } } };
    expect(point2.coordinator.boardKey.keyId).toBe(key.keyId);
  });
});
