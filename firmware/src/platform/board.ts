// Binds the Platform interface to the real Espruino globals. Only the node entry points call this;
// everything else takes the Platform (or a narrower bus) injected.
import type { ESPObject, I2CBus, MemoryInfo, Platform, SerialPort, WatchEvent, WatchOptions, Pin } from './espruino.js';

// Espruino globals (provided by the interpreter, or by the host runtime on Node).
declare const E: ESPObject & { setConsole(device: unknown, options?: { force?: boolean }): void };
declare const LoopbackA: unknown;
declare const Serial1: SerialPort;
declare const Serial2: SerialPort;
declare const I2C1: I2CBus & { setup(options: { sda: Pin; scl: Pin; bitrate?: number }): void };
declare const process: { memory(): MemoryInfo };
declare const global: Record<string, unknown>;
declare function getTime(): number;
declare function pinMode(pin: Pin, mode: string): void;
declare function digitalRead(pin: Pin): number;
declare function digitalWrite(pin: Pin, value: boolean | number): void;
declare function analogRead(pin: Pin): number;
declare function digitalPulse(pin: Pin, value: boolean | number, ms: number): void;
declare function setWatch(cb: (e: WatchEvent) => void, pin: Pin, options: WatchOptions): number;

/** Publishes the running node as `node` for the REPL (and the host's memory estimate). */
export function expose(node: unknown): void {
  global.node = node;
}

// Built-in modules are loaded with require() on Espruino; there is no import.
/* eslint-disable @typescript-eslint/no-require-imports */
export function espruinoPlatform(): Platform {
  // Keep the REPL off UART0 so console output never interleaves with frames on the data link.
  E.setConsole(LoopbackA, { force: true });
  Serial1.setup(115200);
  return {
    E: E,
    storage: require('Storage'),
    now: () => getTime(),
    setInterval: (fn, ms) => setInterval(fn, ms) as unknown as number,
    clearInterval: (id) => clearInterval(id),
    setTimeout: (fn, ms) => setTimeout(fn, ms) as unknown as number,
    clearTimeout: (id) => clearTimeout(id),
    memory: () => process.memory(),
    pinMode: (pin, mode) => pinMode(pin, mode),
    digitalRead: (pin) => digitalRead(pin),
    digitalWrite: (pin, v) => digitalWrite(pin, v),
    analogRead: (pin) => analogRead(pin),
    digitalPulse: (pin, v, ms) => digitalPulse(pin, v, ms),
    setWatch: (cb, pin, opts) => setWatch(cb, pin, opts),
    usb: Serial1,
    // E.setConsole moves the REPL to any hardware Serial, force keeps it there; bytes arriving on the console
    // device go to the REPL, not to a Serial 'data' handler (Espruino src/jswrap_espruino.c, src/jsinteractive.c jsiIdle).
    usbConsole: () => E.setConsole(Serial1, { force: true }),
    serial2: Serial2,
    i2c: I2C1,
    net: require('net'),
    wifi: require('Wifi'),
  };
}
