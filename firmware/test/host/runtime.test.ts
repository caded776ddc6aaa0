import { describe, it, expect } from 'vitest';
import { ManualClock } from '../../../edge-gateway/src/core/clock.js';
import { estimateCodeVars, estimateDataVars, stringVars } from '../../host/jsvars.js';
import { EspruinoHost } from '../../host/runtime.js';
import { HostStorage } from '../../host/storage.js';

function host(code: string, storage?: HostStorage) {
  const clock = new ManualClock(0);
  const h = new EspruinoHost({ clock, storage });
  h.load(code);
  return { h, clock };
}

describe('host runtime', () => {
  it('runs cached modules with their own exports, and getTime counts from boot', () => {
    const { h, clock } = host(`
      Modules.addCached("m/a", function () { exports.get = function () { return exports.v; }; exports.v = 2; });
      Modules.addCached("m/b", function () { exports.v = 3; });
      var a = require("m/a"); var b = require("m/b");
      global.r = [a.get(), b.v, require("m/a") === a];
    `);
    expect(h.evaluate('JSON.stringify(r)')).toBe('[2,3,true]');
    clock.advance(2500);
    expect(h.evaluate('getTime()')).toBe(2.5);
    expect(() => h.evaluate('require("nope")')).toThrow(/Module nope not found/);
  });

  it('setWatch debounces: a level must hold for the debounce time to be reported', () => {
    const { h, clock } = host(`
      global.ev = [];
      pinMode(32, "input_pullup");
      setWatch(function (e) { ev.push(e.state); }, 32, { repeat: true, edge: "both", debounce: 20 });
    `);
    h.pins.setInput(32, false);
    clock.advance(5);
    h.pins.setInput(32, true); // bounce back within 20 ms: nothing
    clock.advance(50);
    h.pins.setInput(32, false);
    clock.advance(50);
    expect(h.evaluate('JSON.stringify(ev)')).toBe('[false]');
  });

  it('keeps Storage across reboots and reboots on a starved watchdog', () => {
    const storage = new HostStorage();
    const { h, clock } = host(
      `
      var n = Number(require("Storage").read("n") || 0) + 1;
      require("Storage").write("n", String(n));
      E.enableWatchdog(5, false);
      if (n === 1) setInterval(function () { E.kickWatchdog(); }, 1000);
    `,
      storage,
    );
    clock.advance(30_000);
    expect(h.reboots).toEqual([]);
    clock.advance(0);
    // Second boot after a commanded reboot does not kick: the watchdog resets it.
    h.evaluate('E.reboot()');
    clock.advance(6_000);
    expect(h.reboots.map((r) => r.reason)).toEqual(['command', 'watchdog']);
    expect(storage.read('n')).toBe('3');
  });

  it('an exception in a callback is recorded, the firmware keeps running', () => {
    const { h, clock } = host('global.t = 0; setInterval(function () { t++; if (t === 2) throw new Error("boom"); }, 100);');
    clock.advance(500);
    expect(h.evaluate('t')).toBe(5);
    expect(String(h.errors[0])).toMatch(/boom/);
  });
});

describe('JsVar estimate', () => {
  it('counts strings by blocks, nested data once, and skips functions and builtins', () => {
    expect([stringVars('abcd'), stringVars('abcde'), stringVars('x'.repeat(16)), stringVars('x'.repeat(17))]).toEqual([1, 2, 2, 3]);
    const shared = { s: 'hello' };
    // root 1 + a(1+obj 1 + s(1+2)) + b(1, shared already counted) + n(1+0) + f skipped = 8
    expect(estimateDataVars([{ a: shared, b: shared, n: 5, f: () => 1 }])).toBe(8);
    const builtin = { big: 'x'.repeat(1000) };
    expect(estimateDataVars([{ dev: builtin }], [builtin])).toBe(2);
  });

  it('counts code definitions: functions with parameters, classes, properties', () => {
    // function f(a,b): 3+2; arrow (x): 3+1; class: 3; method m(): 1 + its function 3; object with 2 props: 2
    expect(estimateCodeVars('function f(a, b) {} const g = (x) => x; class C { m() {} } const o = { p: 1, q: 2 };')).toBe(5 + 4 + 3 + 4 + 2);
  });
});
