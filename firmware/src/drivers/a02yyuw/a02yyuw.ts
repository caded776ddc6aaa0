// DFRobot A02YYUW waterproof ultrasonic sensor, UART 9600 8N1 (processed output mode).
// Frames: 0xFF, distance high, distance low, checksum = (0xFF + high + low) & 0xFF; distance in mm.
// The parser is fed whatever the UART delivers and resyncs on the 0xFF header.

export class A02Parser {
  private buf: number[] = [];
  /** Frames with a bad checksum. */
  bad = 0;

  constructor(private readonly onDistance: (mm: number) => void) {}

  push(data: string): void {
    for (let i = 0; i < data.length; i++) this.byte(data.charCodeAt(i) & 255);
  }

  private byte(b: number): void {
    if (this.buf.length === 0 && b !== 0xff) return;
    this.buf.push(b);
    if (this.buf.length < 4) return;
    const h = this.buf[1] as number;
    const l = this.buf[2] as number;
    if (((0xff + h + l) & 255) !== this.buf[3]) {
      this.bad++;
      // The header may have been a data byte: retry from the next 0xFF in what we hold.
      let next = 1;
      while (next < 4 && this.buf[next] !== 0xff) next++;
      this.buf = this.buf.slice(next);
      return;
    }
    this.buf = [];
    this.onDistance(h * 256 + l);
  }
}

/** Encodes one frame, for fakes and tests. */
export function a02Frame(mm: number): string {
  const h = (mm >> 8) & 255;
  const l = mm & 255;
  return String.fromCharCode(0xff, h, l, (0xff + h + l) & 255);
}
