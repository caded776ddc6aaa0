import { describe, it, expect } from 'vitest';
import { checkEspruinoSubset } from '../../tools/espruino-subset.js';

const rules = (code: string) => checkEspruinoSubset(code).map((v) => v.rule);

describe('Espruino subset checker', () => {
  it('accepts what Espruino runs: arrows, classes, getters, templates, let/const, for…of, ??', () => {
    const ok = `
      class A { constructor(x) { this.x = x; } get y() { return this.x ?? 1; } static z() { return new A(2); } }
      class B extends A { constructor() { super(3); } }
      const f = (a, b) => \`\${a}-\${b}\`;
      let s = 0; for (const v of [1, 2]) s += v;
      for (let i = 0; i < 2; i++) s += i;
      function g() { return h(); } function h() { return 1; } g();
      const o = { a: 1, b() { return 2; } }; o.a = obj['k'];
      new Promise((r) => r(1)).then(() => s);
    `;
    expect(checkEspruinoSubset(ok)).toEqual([]);
  });

  const cases: Array<[string, string]> = [
    ['destructuring', 'const { a } = o;'],
    ['destructuring', 'const [a, b] = o;'],
    ['destructuring', 'function f({ a }) { return a; }'],
    ['spread', 'f(...xs);'],
    ['spread', 'const o2 = { ...o };'],
    ['rest', 'function f(...xs) { return xs; }'],
    ['default-param', 'function f(a = 1) { return a; }'],
    ['async', 'async function f() { return 1; }'],
    ['async', 'const f = async () => { await g(); };'],
    ['generator', 'function* f() { yield 1; }'],
    ['computed-key', "const o = { ['k' + i]: 1 };"],
    ['computed-key', "class A { ['m']() { return 1; } }"],
    ['optional-chaining', 'const v = o?.a;'],
    ['exponent', 'const v = 2 ** 8;'],
    ['assign-operator', 'a ??= 1;'],
    ['missing-global', 'const m = new Map();'],
    ['missing-global', 'const s = new Set([1]);'],
    ['missing-global', "const k = Symbol('k');"],
    ['missing-global', 'const a = Array.from(x);'],
    ['class-field', 'class A { x = 1; }'],
    ['label', 'outer: for (;;) break outer;'],
    ['tagged-template', 'const t = tag`x`;'],
    ['shorthand', 'const o = { a };'],
    ['hoisting', 'f(); function f() { return 1; }'],
    ['hoisting', 'exports.f = f; function f() { return 1; }'],
    ['loop-closure', 'for (let i = 0; i < 3; i++) setTimeout(() => console.log(i), 1);'],
  ];
  it.each(cases)('rejects %s in `%s`', (rule, code) => {
    expect(rules(code)).toContain(rule);
  });

  it('does not mistake property names for forbidden globals', () => {
    expect(rules('o.Map = 1; const p = { Set: 2 }; p.Symbol;')).toEqual([]);
  });

  it('reports where the construct is', () => {
    expect(checkEspruinoSubset('let a = 1;\nconst { b } = a;')).toEqual([
      { rule: 'destructuring', message: 'destructuring is not supported', line: 2, column: 6 },
    ]);
  });

  it('reports unparsable code instead of passing it', () => {
    expect(rules('const = ;')).toEqual(['parse']);
  });
});
