// Runs a built firmware bundle (firmware/dist/<node>.js) on Node against an emulation of the
// Espruino API it uses, on an injected clock (virtual in tests, accelerated in the simulator).
// A reboot throws the JS context away and runs the bundle again; Storage, the pins' input levels,
// attached I2C devices and the far ends of the serial lines survive it, as on a board.
import { createContext, runInContext } from 'node:vm';
import type { Context } from 'node:vm';
import { crc32 } from 'node:zlib';
import type { HostClock } from './clock.js';
import { HostI2C } from './i2c.js';
import { estimateCodeVars, estimateDataVars, firmwareRoots } from './jsvars.js';
import { HostNet, HostWifi } from './network.js';
import type { Dialer } from './network.js';
import { HostPins } from './pins.js';
import type { PinModeName } from './pins.js';
import { HostSerial } from './serial.js';
import { HostStorage } from './storage.js';

export interface HostOptions {
  clock: HostClock;
  /** Shared across runtimes to emulate a board keeping its flash; a fresh one by default. */
  storage?: HostStorage;
  /** JsVars the emulated board has (ESP32: at most 16,383). */
  totalVars?: number;
  dial?: Dialer;
  /** Where console output of the firmware goes (it is moved off the data link on a board). */
  console?: (line: string) => void;
}

export interface RebootRecord {
  at: number;
  reason: 'watchdog' | 'command' | 'host';
}

export class FirmwareError extends Error {
  override name = 'FirmwareError';
}

export class EspruinoHost {
  readonly clock: HostClock;
  readonly storage: HostStorage;
  readonly pins: HostPins;
  readonly i2c = new HostI2C();
  readonly usb: HostSerial;
  readonly serial2: HostSerial;
  readonly wifi: HostWifi;
  readonly net: HostNet;
  readonly totalVars: number;
  /** Uncaught exceptions inside firmware callbacks (Espruino prints them and carries on). */
  readonly errors: unknown[] = [];
  readonly reboots: RebootRecord[] = [];
  readonly consoleLines: string[] = [];
  /**
   * Where the REPL is (E.setConsole): a device name, or null when disabled. Boots on Serial1 (the ESP32's
   * UART0, on the USB bridge), as Espruino does; the firmware moves it to LoopbackA at once.
   */
  consoleDevice: string | null = 'Serial1';
  consoleForced = false;
  /** What reached the REPL over a UART while it was the console (the espruino CLI's side of an upload). */
  replInput = '';
  boots = 0;
  /** World side: force process.memory().free (e.g. to simulate a leak). */
  freeVarsOverride: number | null = null;
  watchdog: { timeoutMs: number; lastKick: number; kicks: number } | null = null;
  private code = '';
  private bootAt = 0;
  private context: Context | null = null;
  private cancels = new Map<number, () => void>();
  private nextTimer = 1;
  private errorFlags: string[] = [];
  private errorFlagListeners: Array<(flags: string[]) => void> = [];
  private usageCache: { at: number; vars: number } | null = null;
  private codeVars: number | null = null;
  private moduleCache = new Map<string, unknown>();
  /** Host objects standing in for Espruino's native ones: not firmware data. */
  private builtinObjects: object[] = [];
  private readonly log: (line: string) => void;

  constructor(opts: HostOptions) {
    this.clock = opts.clock;
    this.storage = opts.storage ?? new HostStorage();
    this.totalVars = opts.totalVars ?? 16383;
    this.pins = new HostPins(this.clock, () => this.uptime());
    this.usb = new HostSerial('Serial1', this.clock);
    this.serial2 = new HostSerial('Serial2', this.clock);
    this.net = new HostNet(this.clock, () => this.wifi.connected, opts.dial);
    this.wifi = new HostWifi(this.clock, () => this.net.dropAll());
    this.log = opts.console ?? (() => undefined);
  }

  /** Seconds since boot: what getTime() returns on a board whose clock was never set. */
  uptime(): number {
    return (this.clock.now() - this.bootAt) / 1000;
  }

  /** Loads a bundle and boots it. */
  load(code: string): void {
    this.code = code;
    this.codeVars = null;
    this.boot();
  }

  reboot(reason: RebootRecord['reason']): void {
    this.reboots.push({ at: this.clock.now(), reason });
    this.shutdown();
    this.boot();
  }

  /** Stops everything the firmware scheduled (end of a test or simulation). */
  shutdown(): void {
    for (const cancel of this.cancels.values()) cancel();
    this.cancels.clear();
    this.pins.reset();
    this.usb.resetFirmwareSide();
    this.serial2.resetFirmwareSide();
    this.wifi.removeAllListeners();
    this.wifi.connected = false;
    this.net.dropAll();
    this.watchdog = null;
    this.errorFlagListeners = [];
    this.context = null;
  }

  /** World side: raise an Espruino error flag (e.g. BUFFER_FULL, LOW_MEMORY). */
  raiseErrorFlag(flag: string): void {
    if (!this.errorFlags.includes(flag)) this.errorFlags.push(flag);
    for (const l of this.errorFlagListeners) this.guard(() => l([...this.errorFlags]));
  }

  /** Evaluates an expression inside the firmware's context (like typing at the REPL). */
  evaluate(expr: string): unknown {
    if (this.context === null) throw new FirmwareError('no firmware running');
    return runInContext(expr, this.context);
  }

  /** JsVars the running firmware is estimated to occupy (see jsvars.ts). */
  jsVarsInUse(): number {
    if (this.context === null) return 0;
    if (this.codeVars === null) this.codeVars = estimateCodeVars(this.code);
    return this.codeVars + estimateDataVars(firmwareRoots(this.context, this.moduleCache.values()), this.builtinObjects);
  }

  private guard(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.errors.push(err);
      this.log(`Uncaught ${String(err)}`);
    }
  }

  private timer(fn: unknown, ms: unknown, repeat: boolean, args: unknown[]): number {
    if (typeof fn !== 'function') throw new FirmwareError('setTimeout/setInterval need a function');
    const id = this.nextTimer++;
    const run = () => {
      if (!repeat) this.cancels.delete(id);
      this.guard(() => (fn as (...a: unknown[]) => void)(...args));
    };
    const delay = Math.max(0, Number(ms) || 0);
    const cancel = repeat ? this.clock.setInterval(run, Math.max(1, delay)) : this.clock.setTimeout(run, delay);
    this.cancels.set(id, cancel);
    return id;
  }

  private clear(id: unknown): void {
    if (id === undefined) {
      for (const c of this.cancels.values()) c();
      this.cancels.clear();
      return;
    }
    const cancel = this.cancels.get(Number(id));
    cancel?.();
    this.cancels.delete(Number(id));
  }

  private memory(): { free: number; usage: number; total: number } {
    // Estimating walks the heap: do it at most every 10 s of firmware time.
    const now = this.clock.now();
    if (this.usageCache === null || now - this.usageCache.at > 10_000) this.usageCache = { at: now, vars: this.jsVarsInUse() };
    const usage = this.usageCache.vars;
    const free = this.freeVarsOverride ?? Math.max(0, this.totalVars - usage);
    return { free, usage: this.totalVars - free, total: this.totalVars };
  }

  private readonly loopbackA = { name: 'LoopbackA' };
  private readonly loopbackB = { name: 'LoopbackB' };

  /**
   * E.setConsole as Espruino's jsiSetConsoleDevice does it: any hardware Serial (object or name) or null;
   * with echo on, "-> <new>" goes to the old console and "<- <old>" to the new one; input on a UART that
   * is the console goes to the REPL (kept in replInput), no longer to its `data` handlers.
   */
  private setConsole(device: unknown, options?: { force?: unknown }): void {
    const devices: Record<string, object> = { Serial1: this.usb, Serial2: this.serial2, LoopbackA: this.loopbackA, LoopbackB: this.loopbackB };
    let name: string | null = null;
    if (typeof device === 'string') name = device in devices ? device : null;
    else if (device !== null) name = Object.keys(devices).find((k) => devices[k] === device) ?? null;
    if (name === null && device !== null) throw new FirmwareError(`Unknown device type ${String(device)}`);
    this.consoleForced = options?.force === true;
    if (name === this.consoleDevice) return;
    const old = this.consoleDevice;
    this.consoleTo(old, `-> ${name ?? 'null'}\r\n`);
    this.consoleDevice = name;
    this.consoleTo(name, `<- ${old ?? 'null'}\r\n`);
    this.routeConsoleInput();
  }

  private routeConsoleInput(): void {
    const toRepl = (data: string) => {
      this.replInput += data;
    };
    this.usb.repl = this.consoleDevice === 'Serial1' ? toRepl : null;
    this.serial2.repl = this.consoleDevice === 'Serial2' ? toRepl : null;
  }

  /** Console output on a UART reaches the far end; on a loopback nobody on the host reads it. */
  private consoleTo(device: string | null, text: string): void {
    if (device === 'Serial1') this.usb.write(text);
    else if (device === 'Serial2') this.serial2.write(text);
  }

  private boot(): void {
    this.boots++;
    this.consoleDevice = 'Serial1';
    this.consoleForced = false;
    this.replInput = '';
    this.routeConsoleInput();
    this.bootAt = this.clock.now();
    this.usageCache = null;
    this.errorFlags = [];
    const modules = new Map<string, unknown>();
    const cache = new Map<string, unknown>();
    this.moduleCache = cache;
    const builtins: Record<string, unknown> = {
      Storage: this.storage,
      Wifi: this.wifi,
      net: this.net,
      ESP32: { setBLE_Power: () => undefined, deepSleep: () => undefined },
    };
    const E = {
      CRC32: (s: unknown) => crc32(Buffer.from(String(s), 'latin1')) >>> 0,
      enableWatchdog: (timeout: number, isAuto: boolean) => {
        this.watchdog = { timeoutMs: timeout * 1000, lastKick: this.clock.now(), kicks: 0 };
        // The auto mode kicks from the idle loop, which on the host never hangs: nothing to police.
        if (isAuto) return;
        const check = this.clock.setInterval(() => {
          const w = this.watchdog;
          if (w !== null && this.clock.now() - w.lastKick >= w.timeoutMs) {
            // The reboot cancels this interval with the rest of the firmware's timers.
            this.reboot('watchdog');
          }
        }, 500);
        this.cancels.set(-1, check);
      },
      kickWatchdog: () => {
        if (this.watchdog !== null) {
          this.watchdog.lastKick = this.clock.now();
          this.watchdog.kicks++;
        }
      },
      getErrorFlags: () => {
        const f = this.errorFlags;
        this.errorFlags = [];
        return f;
      },
      on: (event: string, cb: (flags: string[]) => void) => {
        if (event === 'errorFlag') this.errorFlagListeners.push(cb);
      },
      setConsole: (device: unknown, options?: { force?: unknown }) => this.setConsole(device, options),
      getConsole: () => this.consoleDevice,
      reboot: () => {
        this.clock.setTimeout(() => this.reboot('command'), 0);
      },
    };
    const sandbox: Record<string, unknown> = {
      E,
      LoopbackA: this.loopbackA,
      LoopbackB: this.loopbackB,
      Serial1: this.usb,
      Serial2: this.serial2,
      I2C1: this.i2c,
      ESP32: builtins.ESP32,
      getTime: () => this.uptime(),
      setTimeout: (fn: unknown, ms: unknown, ...args: unknown[]) => this.timer(fn, ms, false, args),
      setInterval: (fn: unknown, ms: unknown, ...args: unknown[]) => this.timer(fn, ms, true, args),
      clearTimeout: (id: unknown) => this.clear(id),
      clearInterval: (id: unknown) => this.clear(id),
      pinMode: (pin: number, mode: PinModeName) => this.pins.pinMode(pin, mode),
      digitalRead: (pin: number) => this.pins.digitalRead(pin),
      digitalWrite: (pin: number, v: boolean | number) => this.pins.digitalWrite(pin, v),
      analogRead: (pin: number) => this.pins.analogRead(pin),
      digitalPulse: (pin: number, v: boolean | number, ms: number) => this.pins.digitalPulse(pin, v, ms),
      setWatch: (cb: Parameters<HostPins['setWatch']>[0], pin: number, opts: Parameters<HostPins['setWatch']>[2]) =>
        this.pins.setWatch((e) => this.guard(() => cb(e)), pin, opts ?? {}),
      clearWatch: (id?: number) => this.pins.clearWatch(id),
      process: { memory: () => this.memory(), env: { BOARD: 'ESP32', VERSION: 'host' } },
      console: { log: (...a: unknown[]) => this.print(a) },
      print: (...a: unknown[]) => this.print(a),
      Modules: {
        addCached: (name: string, fn: unknown) => {
          modules.set(name, fn);
          cache.delete(name);
        },
      },
    };
    this.builtinObjects = [...Object.values(sandbox), ...Object.values(builtins)].filter(
      (v): v is object => typeof v === 'object' && v !== null,
    );
    const context = createContext(sandbox);
    this.context = context;
    sandbox.global = runInContext('this', context);
    sandbox.require = (name: string) => {
      if (name in builtins) return builtins[name];
      if (cache.has(name)) return cache.get(name);
      const fn = modules.get(name);
      if (typeof fn !== 'function') throw new FirmwareError(`Module ${name} not found`);
      // Espruino runs a cached module function with `exports` and `module` in scope.
      const src = fn.toString();
      const body = src.slice(src.indexOf('{') + 1, src.lastIndexOf('}'));
      const wrapped = runInContext(`(function (exports, module) {${body}\n})`, context, { filename: `${name}.js` }) as (e: unknown, m: unknown) => void;
      const module = { exports: runInContext('({})', context) as unknown };
      cache.set(name, module.exports);
      wrapped(module.exports, module);
      cache.set(name, module.exports);
      return module.exports;
    };
    this.guard(() => runInContext(this.code, context, { filename: 'bundle.js' }));
  }

  private print(args: unknown[]): void {
    const line = args.map((a) => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    this.consoleLines.push(line);
    this.log(line);
    this.consoleTo(this.consoleDevice, line + '\r\n');
  }
}
