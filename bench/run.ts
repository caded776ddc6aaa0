// `npm run bench` runs every suite in bench/suites; `npm run bench -- <suite> [...]` runs some.
// Each suite returns its figures; they are printed as a table and merged into bench/results.json.
import { readdirSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { spawn } from 'node:child_process';

export type Figure = { value: number; unit: string };
export type SuiteResult = Record<string, Figure>;

const here = dirname(fileURLToPath(import.meta.url));
const suitesDir = join(here, 'suites');
const resultsFile = join(here, 'results.json');

function available(): string[] {
  return readdirSync(suitesDir)
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
    .map((f) => f.slice(0, -3))
    .sort();
}

function formatValue(v: number): string {
  if (Number.isInteger(v)) return String(v);
  return Math.abs(v) >= 100 ? v.toFixed(1) : v.toPrecision(4);
}

async function main(): Promise<number> {
  const all = available();
  const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
  const unknown = wanted.filter((w) => !all.includes(w));
  if (unknown.length) {
    console.error(`unknown suite(s): ${unknown.join(', ')}; available: ${all.join(', ')}`);
    return 2;
  }
  const run = wanted.length ? wanted : all;
  const results: Record<string, SuiteResult> = existsSync(resultsFile)
    ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, SuiteResult>)
    : {};
  const rows: [string, string, string, string][] = [];
  let failed = 0;
  for (const suite of run) {
    const started = Date.now();
    process.stderr.write(`bench: running ${suite}…\n`);
    try {
      const figures = await runIsolated(suite);
      results[suite] = { ...results[suite], ...figures };
      for (const [metric, f] of Object.entries(figures)) rows.push([suite, metric, formatValue(f.value), f.unit]);
      process.stderr.write(`bench: ${suite} done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
    } catch (err) {
      failed++;
      console.error(`bench: suite ${suite} failed:`, err);
    }
  }
  writeFileSync(resultsFile, JSON.stringify(results, null, 2) + '\n');
  const head: [string, string, string, string] = ['suite', 'metric', 'value', 'unit'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) => '| ' + r.map((c, i) => (i === 2 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!))).join(' | ') + ' |';
  console.log(line(head));
  console.log('|' + widths.map((w, i) => (i === 2 ? '-'.repeat(w + 1) + ':' : '-'.repeat(w + 2))).join('|') + '|');
  for (const r of rows) console.log(line(r));
  return failed ? 1 : 0;
}

const RESULT = 'BENCH_RESULT ';

/**
 * Each suite in its own process: memory figures (RSS) must not carry what an earlier suite loaded (a Vite
 * build, Chromium drivers), and a suite's leftovers cannot slow the next.
 */
function runIsolated(suite: string): Promise<SuiteResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), '--child', suite], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.once('error', reject);
    child.once('exit', (code) => {
      const line = out.split('\n').find((l) => l.startsWith(RESULT));
      if (code === 0 && line) resolve(JSON.parse(line.slice(RESULT.length)) as SuiteResult);
      else reject(new Error(`suite ${suite} exited with ${code}${line ? '' : ' without figures'}`));
    });
  });
}

async function child(suite: string): Promise<number> {
  const mod = (await import(pathToFileURL(join(suitesDir, `${suite}.ts`)).href)) as { default: () => Promise<SuiteResult> };
  process.stdout.write(RESULT + JSON.stringify(await mod.default()) + '\n');
  return 0;
}

const childAt = process.argv.indexOf('--child');
process.exitCode = childAt > 0 ? await child(process.argv[childAt + 1]!) : await main();
