import { describe, it, expect, beforeAll, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { command } from '../../../edge-gateway/src/cli/commands/firmware.js';
import { flashArgs } from '../../tools/flash.js';
import { DIST } from '../../tools/paths.js';
import { ensureBundles } from '../helpers/bundles.js';

const run = promisify(execFile);

describe('firmware flash', () => {
  beforeAll(async () => {
    await ensureBundles();
  }, 120_000);

  it('uploads the exact bytes of the built bundle, saved as boot code', async () => {
    const args = flashArgs({ node: 'visitors', port: '/dev/ttyUSB7' });
    expect(args.slice(1, 5)).toEqual(['--no-ble', '-p', '/dev/ttyUSB7', '-b']);
    expect(args).toContain('.bootcde:-');
    // The same invocation without a board (-n) and writing what it would send (-o):
    const out = join(mkdtempSync(join(tmpdir(), 'ns-flash-')), 'sent.js');
    const offline = args.map((a) => (a === '-p' ? '-n' : a)).filter((a) => a !== '/dev/ttyUSB7');
    const i = offline.indexOf('--storage');
    offline.splice(i, 2, '-o', out);
    await run(process.execPath, offline);
    expect(readFileSync(out, 'utf8')).toBe(readFileSync(join(DIST, 'visitors.js'), 'utf8'));
  });

  it('noodsteun firmware flash --dry-run names the port and bundle; bad input is a usage error', async () => {
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await command.run(['flash', '--node', 'fuel', '--port', '/dev/ttyACM0', '--no-build', '--dry-run'])).toBe(0);
      const printed = String(write.mock.calls.at(-1)?.[0]);
      expect(printed).toContain('-p /dev/ttyACM0 -b 115200');
      expect(printed).toContain(join(DIST, 'fuel.js'));
      await expect(command.run(['flash', '--node', 'fuel'])).rejects.toThrow(/--port is required/);
      await expect(command.run(['flash', '--node', 'toaster', '--port', 'x'])).rejects.toThrow(/unknown node 'toaster'/);
      await expect(command.run(['flash', '--node', 'fuel', '--port', 'x', '--no-build', '--dry-run', '--handoff-wait', '0'])).rejects.toThrow(/bad --handoff-wait 0/);
      expect(await command.run(['flash', '--help'])).toBe(0);
    } finally {
      write.mockRestore();
    }
  });
});
