// The slice of the Espruino API the firmware uses, typed once. On a board these are globals and
// built-in modules; on the host the runtime in firmware/host provides the same names.
// Kept structural so drivers and node logic can be handed fakes in unit tests.

/** Espruino accepts GPIO numbers wherever it takes a Pin. */
export type Pin = number;

export interface WatchEvent {
  state: boolean;
  /** Seconds (float) when the edge happened. */
  time: number;
  lastTime?: number;
}

export interface WatchOptions {
  repeat: boolean;
  edge: 'rising' | 'falling' | 'both';
  /** Milliseconds. */
  debounce?: number;
}

export interface I2CBus {
  writeTo(address: number, data: number[] | Uint8Array | number): void;
  readFrom(address: number, quantity: number): Uint8Array;
}

export interface SerialPort {
  setup(baud: number, options?: { rx?: Pin; tx?: Pin }): void;
  write(data: string): void;
  on(event: 'data', cb: (data: string) => void): void;
  removeAllListeners(event: 'data'): void;
}

export interface StorageModule {
  read(name: string): string | undefined;
  readJSON(name: string, noExceptions: boolean): unknown;
  write(name: string, data: string): boolean;
  writeJSON(name: string, data: unknown): boolean;
  erase(name: string): void;
}

export interface MemoryInfo {
  free: number;
  usage: number;
  total: number;
}

export interface ESPObject {
  CRC32(data: string): number;
  enableWatchdog(timeoutSeconds: number, isAuto: boolean): void;
  kickWatchdog(): void;
  getErrorFlags(): string[];
  on(event: 'errorFlag', cb: (flags: string[]) => void): void;
  reboot(): void;
}

export interface Socket {
  write(data: string): void;
  end(): void;
  on(event: 'data', cb: (data: string) => void): void;
  on(event: 'close' | 'end', cb: () => void): void;
  on(event: 'error', cb: (err: unknown) => void): void;
}

export interface NetModule {
  connect(options: { host: string; port: number }, onConnect: () => void): Socket;
}

export interface WifiModule {
  connect(ssid: string, options: { password: string }, cb: (err: unknown) => void): void;
  disconnect(cb?: () => void): void;
  on(event: 'disconnected', cb: () => void): void;
}

/** Everything a node touches, so node logic runs against fakes. */
export interface Platform {
  E: ESPObject;
  storage: StorageModule;
  /** Seconds since boot (float), like Espruino's getTime(). */
  now(): number;
  setInterval(fn: () => void, ms: number): number;
  clearInterval(id: number): void;
  setTimeout(fn: () => void, ms: number): number;
  clearTimeout(id: number): void;
  memory(): MemoryInfo;
  pinMode(pin: Pin, mode: 'input' | 'input_pullup' | 'input_pulldown' | 'output' | 'analog'): void;
  digitalRead(pin: Pin): number;
  digitalWrite(pin: Pin, value: boolean | number): void;
  analogRead(pin: Pin): number;
  /** A pulse of `value` lasting `ms` (fractions allowed), e.g. an ultrasonic trigger. */
  digitalPulse(pin: Pin, value: boolean | number, ms: number): void;
  setWatch(cb: (e: WatchEvent) => void, pin: Pin, options: WatchOptions): number;
  /** USB serial data link (console moved off it). */
  usb: SerialPort;
  /** Moves the REPL back onto the USB UART (for the espruino CLI); what comes in there then goes to the REPL. */
  usbConsole(): void;
  serial2: SerialPort;
  i2c: I2CBus & { setup(options: { sda: Pin; scl: Pin; bitrate?: number }): void };
  net: NetModule;
  wifi: WifiModule;
}
