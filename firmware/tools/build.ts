// Firmware build: firmware/src (TypeScript) → ES2015 CommonJS modules → one bundle per node in
// firmware/dist/<node>.js, assembled offline by the espruino CLI with the pin map baked in.
//
//   node --import tsx firmware/tools/build.ts [node …]
//
// Steps: transpile each source file (type checking is `npm run typecheck`'s job); give every module a
// flat name (Espruino's require() has no relative paths); move tsc's early `exports.f = f` below the
// function (Espruino does not hoist); let the CLI inline the modules; check the result.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { parse } from 'acorn';
import ts from 'typescript';
import { loadPinMap, PinMapError } from '../../hardware/src/pins.js';
import type { PinMap } from '../../hardware/src/pins.js';
import { checkEspruinoSubset } from './espruino-subset.js';
import { BOARD, BUILD, DIST, FIRMWARE_DIR, listNodes, SRC } from './paths.js';

export { DIST, FIRMWARE_DIR, listNodes };

const run = promisify(execFile);

const require_ = (await import('node:module')).createRequire(import.meta.url);
const ESPRUINO_CLI = join(dirname(require_.resolve('espruino/package.json')), 'bin', 'espruino-cli.js');
const BUILTIN: string[] = (JSON.parse(readFileSync(BOARD, 'utf8')) as { info: { builtin_modules: string[] } }).info.builtin_modules;

export class FirmwareBuildError extends Error {
  override name = 'FirmwareBuildError';
}

export interface BuiltNode {
  node: string;
  file: string;
  bytes: number;
  fw: string;
}

function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) out.push(...walk(full));
    else if (name.endsWith('.ts') && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

/** Module name of a source file: its path under src without extension, e.g. `core/node`. */
function moduleName(file: string): string {
  return relative(SRC, file).split('\\').join('/').replace(/\.(ts|js)$/, '');
}

const COMPILER_OPTIONS: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2015,
  module: ts.ModuleKind.CommonJS,
  removeComments: true,
  useDefineForClassFields: false,
  verbatimModuleSyntax: false,
  isolatedModules: true,
};

/** Rewrites one transpiled CommonJS module into the shape Espruino runs. */
export function espruinoModule(js: string, name: string): string {
  const ast = parse(js, { ecmaVersion: 2020, sourceType: 'script' }) as unknown as { body: Array<Record<string, unknown> & { start: number; end: number; type: string }> };
  const edits: Array<{ start: number; end: number; text: string }> = [];
  const functions = new Set<string>();
  for (const s of ast.body) if (s.type === 'FunctionDeclaration') functions.add((s.id as { name: string }).name);
  const tail: string[] = [];
  for (const s of ast.body) {
    const text = js.slice(s.start, s.end);
    // Noise tsc emits for ES interop: Espruino needs none of it.
    if (text === '"use strict";' || text.startsWith('Object.defineProperty(exports, "__esModule"') || /^(exports\.\w+ = )+void 0;$/.test(text)) {
      edits.push({ start: s.start, end: s.end, text: '' });
      continue;
    }
    const m = /^exports\.(\w+) = (\w+);$/.exec(text);
    if (m !== null && m[2] !== undefined && functions.has(m[2])) {
      edits.push({ start: s.start, end: s.end, text: '' });
      tail.push(text);
    }
  }
  // require("./x.js") → require("<flat name>")
  const re = /require\("(\.{1,2}\/[^"]+)"\)/g;
  for (let m = re.exec(js); m !== null; m = re.exec(js)) {
    const target = posix.normalize(posix.join(posix.dirname(name), m[1] ?? '')).replace(/\.js$/, '');
    edits.push({ start: m.index, end: m.index + m[0].length, text: `require(${JSON.stringify(target)})` });
  }
  edits.sort((a, b) => b.start - a.start);
  let out = js;
  for (const e of edits) out = out.slice(0, e.start) + e.text + out.slice(e.end);
  out = out + '\n' + tail.join('\n');
  return compactWhitespace(out);
}

/** Drops indentation and blank lines, leaving template literal contents untouched. */
function compactWhitespace(js: string): string {
  const keep: Array<[number, number]> = [];
  const ast = parse(js, { ecmaVersion: 2020, sourceType: 'script' });
  const visit = (n: unknown): void => {
    if (typeof n !== 'object' || n === null) return;
    const node = n as { type?: string; start?: number; end?: number };
    if (node.type === 'TemplateLiteral' && node.start !== undefined && node.end !== undefined) keep.push([node.start, node.end]);
    for (const v of Object.values(n)) {
      if (Array.isArray(v)) v.forEach(visit);
      else if (typeof v === 'object') visit(v);
    }
  };
  visit(ast);
  const lines = js.split('\n');
  let pos = 0;
  const out: string[] = [];
  for (const line of lines) {
    const inside = keep.some(([s, e]) => pos > s && pos < e);
    pos += line.length + 1;
    if (inside) out.push(line);
    else if (line.trim() !== '') out.push(line.trim());
  }
  return out.join('\n');
}

/** Transpiles all of src into build/modules/<name>.js; returns the module names. */
export function compileModules(): string[] {
  rmSync(join(BUILD, 'modules'), { recursive: true, force: true });
  const names: string[] = [];
  for (const file of walk(SRC)) {
    const name = moduleName(file);
    const r = ts.transpileModule(readFileSync(file, 'utf8'), { compilerOptions: COMPILER_OPTIONS, fileName: file, reportDiagnostics: true });
    const errors = (r.diagnostics ?? []).filter((d) => d.category === ts.DiagnosticCategory.Error);
    if (errors.length > 0) throw new FirmwareBuildError(`${name}: ${ts.flattenDiagnosticMessageText(errors[0]?.messageText ?? '', '\n')}`);
    const out = join(BUILD, 'modules', `${name}.js`);
    mkdirSync(dirname(out), { recursive: true });
    writeFileSync(out, espruinoModule(r.outputText, name));
    names.push(name);
  }
  return names;
}

function fwVersion(modulesDir: string, names: string[]): string {
  const version = (JSON.parse(readFileSync(join(FIRMWARE_DIR, 'package.json'), 'utf8')) as { version: string }).version;
  const h = createHash('sha256');
  for (const n of [...names].sort()) h.update(n).update(readFileSync(join(modulesDir, `${n}.js`)));
  return `${version}+${h.digest('hex').slice(0, 8)}`;
}

/** Pins as the node's start() receives them: name → { gpio }. */
function pinsLiteral(map: PinMap): string {
  const pins: Record<string, { gpio: number }> = {};
  for (const name of Object.keys(map.pins).sort()) pins[name] = { gpio: map.pins[name]?.gpio ?? -1 };
  return JSON.stringify(pins);
}

/**
 * Runs the espruino CLI on an entry file with local modules and checks what it produced.
 * Throws FirmwareBuildError for a missing module (the CLI itself exits 0) or a forbidden construct.
 */
export async function assemble(entry: string, modulesDir: string, file: string): Promise<string> {
  const args = [
    ESPRUINO_CLI, '--no-ble', '-n', '--board', BOARD,
    '--config', `MODULE_URL=${modulesDir}`,
    '--config', 'MODULE_EXTENSIONS=.js',
    '--config', 'MODULE_MINIFICATION_LEVEL=',
    '--config', `MODULES_CWD=${dirname(entry)}`,
    '-o', file, entry,
  ];
  let output: string;
  try {
    const r = await run(process.execPath, args, { cwd: dirname(entry), timeout: 120_000 });
    output = r.stdout + r.stderr;
  } catch (err) {
    throw new FirmwareBuildError(`espruino CLI failed for ${entry}`, { cause: err });
  }
  const label = relative(FIRMWARE_DIR, file);
  const missing = [...output.matchAll(/Module (\S+) not found/g)].map((m) => m[1]);
  if (missing.length > 0) throw new FirmwareBuildError(`${label}: module(s) not found: ${missing.join(', ')}`);
  const code = sortModules(readFileSync(file, 'utf8'));
  writeFileSync(file, code);
  const cached = new Set([...code.matchAll(/Modules\.addCached\("([^"]+)"/g)].map((m) => m[1]));
  for (const m of code.matchAll(/require\("([^"]+)"\)/g)) {
    const name = m[1] ?? '';
    if (!cached.has(name) && !BUILTIN.includes(name)) throw new FirmwareBuildError(`${label}: require("${name}") is neither bundled nor built in`);
  }
  const violations = checkEspruinoSubset(code);
  if (violations.length > 0) {
    const v = violations.slice(0, 5).map((x) => `${x.line}:${x.column} ${x.rule}: ${x.message}`);
    throw new FirmwareBuildError(`${label}: bundle uses what Espruino cannot run:\n  ${v.join('\n  ')}`);
  }
  return code;
}

async function bundle(node: string, map: PinMap, fw: string): Promise<BuiltNode> {
  const entry = join(BUILD, 'entry', `${node}.js`);
  mkdirSync(dirname(entry), { recursive: true });
  writeFileSync(entry, `require("nodes/${node}/main").start(${pinsLiteral(map)},${JSON.stringify(fw)});\n`);
  const file = join(DIST, `${node}.js`);
  const code = await assemble(entry, join(BUILD, 'modules'), file);
  return { node, file, bytes: Buffer.byteLength(code), fw };
}

/** The CLI appends modules in the order its file reads finish: sort them so builds are reproducible. */
function sortModules(code: string): string {
  const ast = parse(code, { ecmaVersion: 2020, sourceType: 'script' }) as unknown as { body: Array<{ start: number; end: number }> };
  const modules: Array<{ name: string; text: string }> = [];
  const rest: string[] = [];
  for (const s of ast.body) {
    const text = code.slice(s.start, s.end);
    const m = /^Modules\.addCached\("([^"]+)"/.exec(text);
    if (m !== null && m[1] !== undefined) modules.push({ name: m[1], text });
    else rest.push(text);
  }
  modules.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  return [...modules.map((m) => m.text), ...rest].join('\n') + '\n';
}

export interface BuildOptions {
  nodes?: string[];
  /** Pin map folder (tests point it at a deliberately broken copy). */
  pinsDir?: string;
}

export async function buildFirmware(opts: BuildOptions = {}): Promise<BuiltNode[]> {
  const known = listNodes();
  const nodes = opts.nodes ?? known;
  for (const n of nodes) if (!known.includes(n)) throw new FirmwareBuildError(`unknown node ${n}`);
  // Pin maps first: a conflict fails the build before anything is written.
  const maps: PinMap[] = [];
  for (const n of nodes) {
    try {
      maps.push(loadPinMap(n, opts.pinsDir));
    } catch (err) {
      if (err instanceof PinMapError) throw new FirmwareBuildError(err.message, { cause: err });
      throw err;
    }
  }
  const names = compileModules();
  const fw = fwVersion(join(BUILD, 'modules'), names);
  mkdirSync(DIST, { recursive: true });
  return Promise.all(nodes.map((n, i) => bundle(n, maps[i] as PinMap, fw)));
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    const built = await buildFirmware({ nodes: process.argv.length > 2 ? process.argv.slice(2) : undefined });
    for (const b of built) console.log(`${relative(process.cwd(), b.file)}  ${b.bytes} bytes  fw ${b.fw}`);
  } catch (err) {
    console.error(err instanceof FirmwareBuildError ? `firmware build failed: ${err.message}` : err);
    process.exitCode = 1;
  }
}
