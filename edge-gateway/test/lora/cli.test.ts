import { describe, it, expect } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { decodeLines } from '../../src/cli/commands/lora.js';
import { encodeFrames } from '../../src/lora/codec/index.js';

const BIN = fileURLToPath(new URL('../../bin/noodsteun.js', import.meta.url));

function cli(args: string[], input?: string) {
  const r = spawnSync(process.execPath, [BIN, 'lora', ...args], { input, encoding: 'utf8', timeout: 30_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('noodsteun lora (child process)', () => {
  it('airtime prints the reference value', () => {
    expect(cli(['airtime', '--sf', '7', '--payload', '1'])).toMatchObject({ code: 0, out: '46.336\n' });
  });

  it('encode | decode gives the message back, fragments included', () => {
    const text = 'Geen stroom in de Dorpsstraat sinds 14:00. '.repeat(6);
    const enc = cli(['encode', '--text', text, '--id', '5']);
    expect(enc.code).toBe(0);
    const lines = enc.out.trim().split('\n');
    expect(lines.length).toBeGreaterThan(1);
    expect(lines.every((l) => /^6 [0-9a-f]+$/.test(l))).toBe(true);
    const dec = cli(['decode'], [...lines].reverse().join('\n') + '\n');
    expect(dec.code).toBe(0);
    expect(JSON.parse(dec.out)).toEqual({ kind: 'text', id: 5, text });
  });

  it('codec --out writes the TS013 file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ns-lora-'));
    try {
      const file = join(dir, 'codec.js');
      const r = cli(['codec', '--out', file]);
      expect(r.code).toBe(0);
      expect(readFileSync(file, 'utf8')).toContain('function decodeUplink(input)');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('answers --help and rejects bad options with exit code 2', () => {
    expect(cli(['airtime', '--help'])).toMatchObject({ code: 0 });
    expect(cli(['airtime', '--sf', '13', '--payload', '1']).code).toBe(2);
    expect(cli(['frobnicate']).code).toBe(2);
  });
});

describe('decodeLines', () => {
  it('reports bad lines and missing fragments without stopping', () => {
    const { messages, errors } = decodeLines(['# comment', '', '5 zz', '1 00ff', '6 4105031234']);
    expect(messages).toEqual([]);
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/line 3: expected/);
    expect(errors[1]).toMatch(/line 4: frame is 2 bytes/);
    expect(errors[2]).toMatch(/line 5: CRC-8/);
  });

  it('reports a message whose fragments never all arrived', () => {
    const frames = encodeFrames({ kind: 'text', id: 17, text: 'Water bij de kerk. '.repeat(12) }, 51);
    const first = frames[0];
    expect(frames.length).toBeGreaterThan(1);
    const { messages, errors } = decodeLines(first ? [`${first.port} ${Buffer.from(first.bytes).toString('hex')}`] : []);
    expect(messages).toEqual([]);
    expect(errors).toEqual(['message 17: fragments missing at end of input']);
  });
});
