// GPIO emulation: the world drives input levels and analog values; the firmware drives outputs
// and watches edges (with Espruino's debounce semantics: a level must hold for `debounce` ms).
import type { HostClock } from './clock.js';

export type PinModeName = 'input' | 'input_pullup' | 'input_pulldown' | 'output' | 'analog' | 'opendrain';

interface Watch {
  id: number;
  pin: number;
  cb: (e: { state: boolean; time: number; lastTime: number | undefined }) => void;
  repeat: boolean;
  edge: 'rising' | 'falling' | 'both';
  debounce: number;
  /** Level last reported (after debounce). */
  reported: boolean;
  lastTime: number | undefined;
  cancelPending: (() => void) | null;
}

export class HostPins {
  readonly modes = new Map<number, PinModeName>();
  /** Levels the world applies to inputs. */
  private readonly inputs = new Map<number, boolean>();
  readonly outputs = new Map<number, boolean>();
  /** Every output change, for assertions: [ms, pin, level]. */
  readonly outputLog: Array<[number, number, boolean]> = [];
  private readonly analog = new Map<number, number>();
  private readonly outputListeners: Array<(pin: number, level: boolean) => void> = [];
  private watches: Watch[] = [];
  private nextWatch = 1;

  constructor(
    private readonly clock: HostClock,
    /** Seconds on the firmware's getTime() scale. */
    private readonly time: () => number,
  ) {}

  pinMode(pin: number, mode: PinModeName): void {
    this.modes.set(pin, mode);
  }

  digitalRead(pin: number): number {
    if (this.modes.get(pin) === 'output') return this.outputs.get(pin) === true ? 1 : 0;
    return this.level(pin) ? 1 : 0;
  }

  digitalWrite(pin: number, value: boolean | number): void {
    const v = value === true || value === 1;
    const changed = this.outputs.get(pin) !== v;
    if (changed) this.outputLog.push([this.clock.now(), pin, v]);
    this.outputs.set(pin, v);
    if (changed) for (const l of this.outputListeners) l(pin, v);
  }

  /** Drives `value` for `ms`, then the opposite level (Espruino's digitalPulse). */
  digitalPulse(pin: number, value: boolean | number, ms: number): void {
    const v = value === true || value === 1;
    this.digitalWrite(pin, v);
    this.clock.setTimeout(() => this.digitalWrite(pin, !v), ms);
  }

  /** World side: follow output changes (a MOSFET gate switching a load). */
  onOutput(cb: (pin: number, level: boolean) => void): void {
    this.outputListeners.push(cb);
  }

  /** A reset releases every output (the chip's pins come up as inputs: gates pulled low). */
  reset(): void {
    this.clearWatch();
    this.modes.clear();
    for (const pin of [...this.outputs.keys()]) this.digitalWrite(pin, false);
  }

  analogRead(pin: number): number {
    return this.analog.get(pin) ?? 0;
  }

  /** World side: analog input 0–1 (fraction of 3.3 V). */
  setAnalog(pin: number, value: number): void {
    this.analog.set(pin, Math.max(0, Math.min(1, value)));
  }

  private level(pin: number): boolean {
    const v = this.inputs.get(pin);
    if (v !== undefined) return v;
    return this.modes.get(pin) === 'input_pullup';
  }

  /** World side: drive an input. */
  setInput(pin: number, level: boolean): void {
    this.inputs.set(pin, level);
    for (const w of this.watches.filter((x) => x.pin === pin)) this.edge(w);
  }

  setWatch(cb: Watch['cb'], pin: number, opts: { repeat?: boolean; edge?: Watch['edge']; debounce?: number }): number {
    const w: Watch = {
      id: this.nextWatch++,
      pin,
      cb,
      repeat: opts.repeat === true,
      edge: opts.edge ?? 'both',
      debounce: opts.debounce ?? 0,
      reported: this.level(pin),
      lastTime: undefined,
      cancelPending: null,
    };
    this.watches.push(w);
    return w.id;
  }

  clearWatch(id?: number): void {
    for (const w of this.watches) if (id === undefined || w.id === id) w.cancelPending?.();
    this.watches = id === undefined ? [] : this.watches.filter((w) => w.id !== id);
  }

  private edge(w: Watch): void {
    w.cancelPending?.();
    w.cancelPending = null;
    const fire = () => {
      w.cancelPending = null;
      const state = this.level(w.pin);
      if (state === w.reported) return;
      w.reported = state;
      if (w.edge === 'rising' && !state) return;
      if (w.edge === 'falling' && state) return;
      const time = this.time();
      const lastTime = w.lastTime;
      w.lastTime = time;
      if (!w.repeat) this.watches = this.watches.filter((x) => x !== w);
      w.cb({ state, time, lastTime });
    };
    // Espruino delivers watch events from its idle loop, never inside the caller.
    w.cancelPending = this.clock.setTimeout(fire, w.debounce);
  }
}
