// Fake JSN-SR04T: a trigger pulse's falling edge starts a measurement; the echo pin then goes high
// for the sound's round trip to the surface the world sets (null: no echo, e.g. unplugged).
import type { HostClock } from '../clock.js';
import type { HostPins } from '../pins.js';

export class FakeSR04T {
  /** Distance to the surface in mm; null gives no echo. */
  distanceMm: number | null = 400;
  pings = 0;

  constructor(clock: HostClock, pins: HostPins, trig: number, echo: number) {
    pins.setInput(echo, false);
    pins.onOutput((pin, level) => {
      if (pin !== trig || level) return;
      this.pings++;
      const d = this.distanceMm;
      if (d === null) return;
      // The module starts its burst about 0.5 ms after the trigger.
      clock.setTimeout(() => {
        pins.setInput(echo, true);
        clock.setTimeout(() => pins.setInput(echo, false), (d / 171_500) * 1000);
      }, 0.5);
    });
  }
}
