import { describe, it, expect, afterAll } from 'vitest';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { assemble, buildFirmware, espruinoModule, FirmwareBuildError } from '../../tools/build.js';
import { PINS_DIR } from '../../../hardware/src/pins.js';

const tmp = mkdtempSync(join(tmpdir(), 'ns-fw-build-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('firmware build', () => {
  it('fails on a pin conflict in hardware/pins, naming it', async () => {
    const pins = join(tmp, 'pins');
    cpSync(PINS_DIR, pins, { recursive: true });
    const map = JSON.parse(readFileSync(join(pins, 'visitors.json'), 'utf8')) as { pins: Record<string, { gpio: number }> };
    map.pins.beamB = { ...map.pins.beamB, gpio: 32 };
    writeFileSync(join(pins, 'visitors.json'), JSON.stringify(map));
    await expect(buildFirmware({ pinsDir: pins })).rejects.toThrow(/visitors: pins\.beamB: GPIO32 already used by beamA/);
    await expect(buildFirmware({ pinsDir: pins })).rejects.toBeInstanceOf(FirmwareBuildError);
  });

  it('fails when a module is missing, although the espruino CLI exits 0', async () => {
    const dir = join(tmp, 'missing');
    mkdirSync(join(dir, 'modules'), { recursive: true });
    writeFileSync(join(dir, 'modules', 'here.js'), 'exports.x = 1;');
    writeFileSync(join(dir, 'entry.js'), 'require("here"); require("not-there");\n');
    await expect(assemble(join(dir, 'entry.js'), join(dir, 'modules'), join(dir, 'out.js'))).rejects.toThrow(/module\(s\) not found: not-there/);
  });

  it('inlines local modules and leaves built-in ones to the board', async () => {
    const dir = join(tmp, 'ok');
    mkdirSync(join(dir, 'modules', 'core'), { recursive: true });
    writeFileSync(join(dir, 'modules', 'core', 'a.js'), 'exports.a = () => require("Storage");');
    writeFileSync(join(dir, 'entry.js'), 'require("core/a").a();\n');
    const code = await assemble(join(dir, 'entry.js'), join(dir, 'modules'), join(dir, 'out.js'));
    expect(code).toBe('Modules.addCached("core/a",function(){exports.a = () => require("Storage");});\nrequire("core/a").a();\n');
  });

  it('rewrites tsc output: flat module names, exports after function declarations, no interop noise', () => {
    const tsc = [
      '"use strict";',
      'Object.defineProperty(exports, "__esModule", { value: true });',
      'exports.B = void 0;',
      'exports.f = f;',
      'const x_js_1 = require("../../core/x.js");',
      'function f() {',
      '    return (0, x_js_1.g)(`a',
      '    b`);',
      '}',
      'class B {',
      '}',
      'exports.B = B;',
    ].join('\n');
    expect(espruinoModule(tsc, 'nodes/demo/main')).toBe(
      ['const x_js_1 = require("core/x");', 'function f() {', 'return (0, x_js_1.g)(`a', '    b`);', '}', 'class B {', '}', 'exports.B = B;', 'exports.f = f;'].join('\n'),
    );
  });
});
