// Estimate of the JsVars (Espruino's fixed-size heap cells, ~14 bytes on ESP32) a firmware needs.
// Espruino cannot be run here, so this counts what its interpreter would allocate:
//  - code: with the bundle saved to flash, a function costs a cell for itself, one per parameter
//    name, one for the reference to its code in flash and one for its scope; a class adds its
//    prototype; an object literal property a name cell (+ its value);
//  - data: everything reachable from the firmware's globals and module exports (the nodes publish
//    their core as `global.node`): one cell per object/array, one per property name with small
//    values inlined, strings one cell per 12 characters after the first 4.
// Closure-held locals that are not reachable from a global are missed; functions are only counted
// from the code. It is an estimate for budgeting, documented in bench/README.md.
import { parse } from 'acorn';
import type { Context } from 'node:vm';
import { runInContext } from 'node:vm';

const CHARS_PER_CELL = 12;

export function stringVars(s: string): number {
  return s.length <= 4 ? 1 : 1 + Math.ceil((s.length - 4) / CHARS_PER_CELL);
}

/** Cells the code's definitions take once loaded (functions, classes, literal properties). */
export function estimateCodeVars(code: string): number {
  const ast = parse(code, { ecmaVersion: 'latest', sourceType: 'script', allowReturnOutsideFunction: true });
  let vars = 0;
  const visit = (n: unknown): void => {
    if (typeof n !== 'object' || n === null) return;
    const node = n as { type?: string; params?: unknown[] };
    switch (node.type) {
      case 'FunctionDeclaration':
      case 'FunctionExpression':
      case 'ArrowFunctionExpression':
        vars += 3 + (node.params?.length ?? 0);
        break;
      case 'ClassDeclaration':
      case 'ClassExpression':
        vars += 3;
        break;
      case 'MethodDefinition':
      case 'Property':
        vars += 1;
        break;
    }
    for (const v of Object.values(n)) {
      if (Array.isArray(v)) v.forEach(visit);
      else if (typeof v === 'object' && v !== null) visit(v);
    }
  };
  visit(ast);
  return vars;
}

/**
 * Cells the data reachable from `roots` takes. Functions are skipped (counted from the code), and so
 * are the `builtins` (host objects standing in for Espruino's native ones, which cost no JsVars).
 */
export function estimateDataVars(roots: unknown[], builtins: object[] = []): number {
  const seen = new Set<object>(builtins);
  let vars = 0;
  const value = (v: unknown): number => {
    if (typeof v === 'string') return stringVars(v);
    if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) < 2 ** 31 ? 0 : 1;
    if (typeof v === 'object' && v !== null) {
      walk(v);
      return 0;
    }
    return 0;
  };
  const walk = (o: object): void => {
    if (seen.has(o)) return;
    seen.add(o);
    vars += 1;
    if (ArrayBuffer.isView(o)) {
      vars += Math.ceil((o as Uint8Array).byteLength / CHARS_PER_CELL);
      return;
    }
    for (const key of Object.keys(o)) {
      const v = (o as Record<string, unknown>)[key];
      if (typeof v === 'function') continue;
      // value() may recurse and add to `vars` itself: evaluate it before reading `vars`.
      const cost = value(v);
      vars += 1 + cost;
    }
  };
  for (const r of roots) value(r);
  return vars;
}

/** Names the host puts into every context: built-ins on a board, not firmware data. */
const HOST_GLOBALS = new Set([
  'E', 'LoopbackA', 'Serial1', 'Serial2', 'I2C1', 'ESP32', 'getTime', 'setTimeout', 'setInterval', 'clearTimeout',
  'clearInterval', 'pinMode', 'digitalRead', 'digitalWrite', 'analogRead', 'digitalPulse', 'setWatch', 'clearWatch', 'process',
  'console', 'print', 'Modules', 'global', 'require',
]);

export function firmwareRoots(context: Context, moduleExports: Iterable<unknown>): unknown[] {
  const global = runInContext('this', context) as Record<string, unknown>;
  const roots: unknown[] = [...moduleExports];
  for (const key of Object.keys(global)) if (!HOST_GLOBALS.has(key)) roots.push(global[key]);
  return roots;
}
