// Rejects JavaScript that Espruino (2v2x on ESP32) cannot run. Applied to every built bundle, so
// whatever tsc or the espruino CLI emit is checked, not just what the lint rule sees in the sources.
import { parse } from 'acorn';
import type { Node } from 'acorn';

export interface Violation {
  rule: string;
  message: string;
  line: number;
  column: number;
}

/** Globals Espruino lacks (or whose use fails there). */
const MISSING_GLOBALS = ['Map', 'Set', 'WeakMap', 'WeakSet', 'Symbol', 'Proxy', 'Reflect', 'BigInt', 'WeakRef'];

type AnyNode = Node & Record<string, unknown>;

function isNode(v: unknown): v is AnyNode {
  return typeof v === 'object' && v !== null && typeof (v as { type?: unknown }).type === 'string';
}

function children(n: AnyNode): AnyNode[] {
  const out: AnyNode[] = [];
  for (const key of Object.keys(n)) {
    if (key === 'loc') continue;
    const v = n[key];
    if (Array.isArray(v)) {
      for (const c of v) if (isNode(c)) out.push(c);
    } else if (isNode(v)) out.push(v);
  }
  return out;
}

const FUNCTION_TYPES = new Set(['FunctionDeclaration', 'FunctionExpression', 'ArrowFunctionExpression']);

/** Identifiers read anywhere below `n` (excluding property names), optionally not descending into functions. */
function references(n: AnyNode, intoFunctions: boolean, out: AnyNode[], parent: AnyNode | null = null): AnyNode[] {
  if (n.type === 'Identifier' && !isPropertyName(n, parent)) out.push(n);
  for (const c of children(n)) {
    if (!intoFunctions && FUNCTION_TYPES.has(c.type)) continue;
    references(c, intoFunctions, out, n);
  }
  return out;
}

function isPropertyName(id: AnyNode, parent: AnyNode | null): boolean {
  if (parent === null) return false;
  if (parent.type === 'MemberExpression') return parent.property === id && parent.computed !== true;
  if (parent.type === 'Property' || parent.type === 'MethodDefinition' || parent.type === 'PropertyDefinition')
    return parent.key === id && parent.computed !== true;
  return false;
}

export function checkEspruinoSubset(code: string): Violation[] {
  const found: Violation[] = [];
  let ast: AnyNode;
  try {
    ast = parse(code, { ecmaVersion: 'latest', sourceType: 'script', locations: true, allowReturnOutsideFunction: true }) as unknown as AnyNode;
  } catch (err) {
    const loc = (err as { loc?: { line: number; column: number } }).loc;
    return [{ rule: 'parse', message: (err as Error).message, line: loc?.line ?? 0, column: loc?.column ?? 0 }];
  }
  const report = (n: AnyNode, rule: string, message: string) => {
    const start = n.loc?.start;
    found.push({ rule, message, line: start?.line ?? 0, column: start?.column ?? 0 });
  };

  const visit = (n: AnyNode, parent: AnyNode | null): void => {
    switch (n.type) {
      case 'ObjectPattern':
      case 'ArrayPattern':
        report(n, 'destructuring', 'destructuring is not supported');
        break;
      case 'SpreadElement':
        report(n, 'spread', 'spread syntax is not supported');
        break;
      case 'RestElement':
        report(n, 'rest', 'rest parameters/elements are not supported');
        break;
      case 'AssignmentPattern':
        report(n, 'default-param', 'default parameters/values are not supported');
        break;
      case 'AwaitExpression':
        report(n, 'async', 'await is not supported');
        break;
      case 'YieldExpression':
        report(n, 'generator', 'yield is not supported');
        break;
      case 'ChainExpression':
        report(n, 'optional-chaining', 'optional chaining (?.) is not supported');
        break;
      case 'BinaryExpression':
        if (n.operator === '**') report(n, 'exponent', '** is not supported; use Math.pow');
        break;
      case 'AssignmentExpression':
        if (n.operator === '**=' || n.operator === '??=' || n.operator === '||=' || n.operator === '&&=')
          report(n, 'assign-operator', `${String(n.operator)} is not supported`);
        break;
      case 'Property':
      case 'MethodDefinition':
        if (n.computed === true) report(n, 'computed-key', 'computed property keys are not supported');
        // Not on the design's list of what works: write `{ a: a }` to be safe.
        if (n.shorthand === true && parent?.type !== 'ObjectPattern') report(n, 'shorthand', 'shorthand properties are not known to work; write key: value');
        break;
      case 'PropertyDefinition':
      case 'StaticBlock':
      case 'PrivateIdentifier':
        report(n, 'class-field', 'class fields, static blocks and #private are not supported');
        break;
      case 'TaggedTemplateExpression':
        report(n, 'tagged-template', 'tagged templates are not supported');
        break;
      case 'LabeledStatement':
        report(n, 'label', 'labels are not supported');
        break;
      case 'ImportExpression':
      case 'MetaProperty':
        report(n, 'module-syntax', 'import()/import.meta/new.target are not supported');
        break;
      case 'Literal':
        if (typeof n.bigint === 'string') report(n, 'bigint', 'BigInt is not supported');
        break;
      case 'Identifier':
        if (MISSING_GLOBALS.includes(n.name as string) && !isPropertyName(n, parent))
          report(n, 'missing-global', `${String(n.name)} does not exist in Espruino`);
        break;
      case 'MemberExpression': {
        const obj = n.object as AnyNode;
        const prop = n.property as AnyNode;
        if (obj.type === 'Identifier' && obj.name === 'Array' && prop.type === 'Identifier' && prop.name === 'from' && n.computed !== true)
          report(n, 'missing-global', 'Array.from does not exist in Espruino');
        break;
      }
      case 'ForStatement':
      case 'ForInStatement':
      case 'ForOfStatement':
        checkLoopClosure(n, report);
        break;
      case 'Program':
      case 'BlockStatement':
        checkHoisting(n.body as AnyNode[], report);
        break;
    }
    if (FUNCTION_TYPES.has(n.type)) {
      if (n.async === true) report(n, 'async', 'async functions are not supported');
      if (n.generator === true) report(n, 'generator', 'generators are not supported');
    }
    for (const c of children(n)) visit(c, n);
  };
  visit(ast, null);
  return found;
}

/** Espruino does not hoist function declarations: a use executed before the declaration fails. */
function checkHoisting(body: AnyNode[], report: (n: AnyNode, rule: string, message: string) => void): void {
  const declaredAt = new Map<string, number>();
  for (const s of body) if (s.type === 'FunctionDeclaration' && isNode(s.id)) declaredAt.set(s.id.name as string, s.start);
  if (declaredAt.size === 0) return;
  for (const s of body) {
    if (s.type === 'FunctionDeclaration') continue;
    for (const id of references(s, false, [])) {
      const at = declaredAt.get(id.name as string);
      if (at !== undefined && id.start < at) report(id, 'hoisting', `${String(id.name)} is used before its function declaration`);
    }
  }
}

/** Closures created in `for (let …)` all see the last value on Espruino. */
function checkLoopClosure(loop: AnyNode, report: (n: AnyNode, rule: string, message: string) => void): void {
  const decl = (loop.type === 'ForStatement' ? loop.init : loop.left) as AnyNode | null;
  if (decl === null || decl.type !== 'VariableDeclaration' || decl.kind === 'var') return;
  const names = new Set<string>();
  for (const d of decl.declarations as AnyNode[]) if ((d.id as AnyNode).type === 'Identifier') names.add((d.id as AnyNode).name as string);
  const inFunctions = (n: AnyNode): void => {
    if (FUNCTION_TYPES.has(n.type)) {
      for (const id of references(n, true, [])) {
        if (names.has(id.name as string)) report(id, 'loop-closure', `closure captures loop variable ${String(id.name)}`);
      }
      return;
    }
    for (const c of children(n)) inFunctions(c);
  };
  inFunctions(loop.body as AnyNode);
}
