// What the UC8179 driver needs from the board: an SPI bus that sends one transfer at a time (CS is
// the kernel's job) and three GPIO lines. Wiring (Waveshare HAT on a Pi, BCM numbers, DESIGN §4):
//   RST 17 · DC 25 · CS 8 (CE0) · BUSY 24 (low = busy) · PWR 18 · SPI0 mode 0, 4 MHz

/** Largest single transfer: Linux spidev's default buffer size. */
export const MAX_TRANSFER = 4096;

export interface SpiBus {
  /** Sends bytes in one transfer (≤ MAX_TRANSFER). */
  write(bytes: Uint8Array): Promise<void>;
  close?(): Promise<void>;
}

export interface EpdGpio {
  /** Data/command line: 0 = command byte, 1 = data bytes. */
  setDc(level: 0 | 1): Promise<void>;
  setReset(level: 0 | 1): Promise<void>;
  /** Panel power switch (PWR) where the HAT has one. */
  setPower?(on: boolean): Promise<void>;
  /** BUSY line level; the UC8179 holds it low while busy. */
  readBusy(): Promise<0 | 1>;
  close?(): Promise<void>;
}

/** Time source for delays and the BUSY timeout; tests inject virtual time. */
export interface EpdTiming {
  sleep(ms: number): Promise<void>;
  now(): number;
}

export const realTiming: EpdTiming = {
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  now: () => Date.now(),
};
