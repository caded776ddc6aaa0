// The simulated boards' programming socket and the scenario's outdated firmware: what the wizard's flash
// talks to in `noodsteun start` (the whole flow over a pty is in test/commissioning/flash.test.ts).
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBundles } from '../../../firmware/test/helpers/bundles.js';
import { ManualClock } from '../../src/core/clock.js';
import { bundleVersion, readFirmwareBundle, withBundleVersion } from '../../src/sim/firmware/bundles.js';
import { FirmwareSimNode } from '../../src/sim/firmware/firmware-node.js';
import { programmerSocket, simProgrammerFlasher, startBoardProgrammer, wizardFlasher } from '../../src/sim/firmware/programmer.js';
import { resolveScenario, ScenarioError } from '../../src/sim/world/scenario.js';
import { World } from '../../src/sim/world/world.js';

describe('scenario firmware section', () => {
  it('defaults to no outdated node and checks what it is given', () => {
    expect(resolveScenario().firmware).toEqual({ outdated: [], outdatedVersion: '0.0.1+outdated' });
    expect(resolveScenario({ firmware: { outdated: ['fuel-1'] } }).firmware).toEqual({ outdated: ['fuel-1'], outdatedVersion: '0.0.1+outdated' });
    expect(() => resolveScenario({ firmware: { outdated: 'fuel-1' as unknown as string[] } })).toThrow(ScenarioError);
    expect(() => resolveScenario({ firmware: { outdatedVersion: 'a b"c' } })).toThrow(/outdatedVersion/);
  });
});

describe('simulated board programmer', () => {
  let dir: string;
  let node: FirmwareSimNode;
  let programmer: { path: string; close(): Promise<void> };
  const gatewayPath = () => join(dir, 'battery-1.tty');

  beforeAll(async () => {
    await ensureBundles();
    dir = mkdtempSync(join(tmpdir(), 'ns-prog-'));
    const clock = new ManualClock();
    // Not started: the programmer swaps the code a board boots; booting it is flash.test.ts's business.
    node = new FirmwareSimNode({ id: 'battery-1', kind: 'battery', world: new World(clock), clock, link: { kind: 'serial', path: join(dir, 'none') }, firmwareVersion: '0.0.1+old' });
    programmer = await startBoardProgrammer(node, gatewayPath());
  }, 180_000);

  afterAll(async () => {
    await programmer?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('relabels a bundle without touching its code', () => {
    const code = readFirmwareBundle('battery');
    const old = withBundleVersion(code, '0.0.1+old');
    expect(bundleVersion(old)).toBe('0.0.1+old');
    expect(old.replace('"0.0.1+old"', JSON.stringify(bundleVersion(code)))).toBe(code);
  });

  it('listens next to the gateway end of the pty and loads the named bundle', async () => {
    expect(programmer.path).toBe(programmerSocket(gatewayPath()));
    expect(existsSync(programmer.path)).toBe(true);
    expect(node.firmware).toBe('0.0.1+old');
    const r = await wizardFlasher().flash({ kind: 'battery', port: gatewayPath() });
    expect(r.output.split('\n').at(-1)).toBe('Upload Complete');
    expect(node.firmware).toBe(bundleVersion(readFirmwareBundle('battery')));
  });

  it('refuses an unknown kind with the reason as output, and a board without a programmer', async () => {
    await expect(simProgrammerFlasher().flash({ kind: 'toaster', port: gatewayPath() })).rejects.toMatchObject({ output: expect.stringMatching(/unknown node kind "toaster"/) });
    await expect(simProgrammerFlasher().flash({ kind: 'battery', port: join(dir, 'other.tty') })).rejects.toThrow(/simulated board programmer: .*ENOENT/);
  });

  it('removes its socket when closed', async () => {
    const p = await startBoardProgrammer(node, join(dir, 'x.tty'));
    expect(existsSync(p.path)).toBe(true);
    await p.close();
    expect(existsSync(p.path)).toBe(false);
  });
});
