// `noodsteun start --scenario`: a world override file is checked before anything starts.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/noodsteun.js', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'ns-start-opts-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function start(scenario: string): Promise<{ code: number; stderr: string }> {
  const file = join(dir, `s${Math.random()}.json`);
  writeFileSync(file, scenario);
  try {
    await promisify(execFile)(process.execPath, [BIN, 'start', '--scenario', file, '--data', join(dir, 'data')], { timeout: 30_000 });
    return { code: 0, stderr: '' };
  } catch (err) {
    const e = err as { code: number; stderr: string };
    return { code: e.code, stderr: e.stderr };
  }
}

describe('noodsteun start --scenario', () => {
  it.each([
    ['{"generatr": {}}', 'unknown section "generatr"'],
    ['{"generator": {"tankl": 3}}', 'unknown field "generator.tankl"'],
    ['[1, 2]', 'expected a JSON object'],
    ['{nope', 'JSON'],
  ])('refuses %s with a usage error naming the problem', async (text, message) => {
    const r = await start(text);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
  });
});
