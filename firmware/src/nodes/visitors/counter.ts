// Door counter from two IR beams: A on the street side, B inside.
// A crossing is everything between "both beams clear" and "both beams clear" again. It counts as an
// entry when it started at A, had both beams broken at some point, and ended with B released last
// (A→B); mirrored for an exit. A person who steps in and backs out (ends on the side they came from)
// is a half crossing and not counted. A crossing shorter than the minimum dwell is a waving hand.
// People walking close together merge into one crossing: groups undercount, as the design accepts.

export interface CounterOptions {
  /** Shortest plausible crossing (first break to last release), ms. */
  minDwellMs: number;
}

export const NONE = 0;
export const ENTRY = 1;
export const EXIT = 2;
export type Verdict = typeof NONE | typeof ENTRY | typeof EXIT;

export class BeamCounter {
  entries = 0;
  exits = 0;
  /** Crossings rejected as too short (hand-waving). */
  rejectedShort = 0;
  /** Crossings that ended on the side they started (half crossings). */
  rejectedHalf = 0;
  private a = false;
  private b = false;
  /** 'A' or 'B': which beam broke first in the current crossing; '' when idle. */
  private first = '';
  private both = false;
  private startMs = 0;
  /** Which beam was released last before idle. */
  private lastHeld = '';

  constructor(readonly opts: CounterOptions) {}

  get active(): boolean {
    return this.first !== '';
  }

  /** Feeds one beam change; `broken` is true while the beam is interrupted. Returns what a finished crossing counted as. */
  update(beam: 'A' | 'B', broken: boolean, tMs: number): Verdict {
    if (beam === 'A') this.a = broken;
    else this.b = broken;
    if (this.first === '') {
      if (!broken) return NONE;
      this.first = beam;
      this.both = false;
      this.startMs = tMs;
    }
    if (this.a && this.b) this.both = true;
    if (this.a !== this.b) this.lastHeld = this.a ? 'A' : 'B';
    if (this.a || this.b) return NONE;
    // Both clear: the crossing is over.
    const first = this.first;
    this.first = '';
    if (!this.both || first === this.lastHeld) {
      this.rejectedHalf++;
      return NONE;
    }
    if (tMs - this.startMs < this.opts.minDwellMs) {
      this.rejectedShort++;
      return NONE;
    }
    if (first === 'A') {
      this.entries++;
      return ENTRY;
    }
    this.exits++;
    return EXIT;
  }

  /** Forgets a crossing in progress (a beam stuck broken). */
  reset(): void {
    this.first = '';
    this.a = false;
    this.b = false;
  }
}
