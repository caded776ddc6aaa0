// The time source the host runtime runs on. Same shape as edge-gateway's Clock, so the simulator can
// drive bundles with its SystemClock(speed) and tests with a ManualClock (virtual time).
export interface HostClock {
  /** ms (any origin). */
  now(): number;
  setTimeout(fn: () => void, ms: number): () => void;
  setInterval(fn: () => void, ms: number): () => void;
}

export interface SteppableClock extends HostClock {
  advance(ms: number): void;
}

/**
 * Advances a virtual clock in steps and lets Node's event loop run between them, so real I/O
 * (an in-process MQTT broker, sockets) keeps pace with virtual time.
 */
export async function advanceAsync(clock: SteppableClock, ms: number, stepMs = 100, realMsPerStep = 0): Promise<void> {
  let left = ms;
  while (left > 0) {
    const step = Math.min(stepMs, left);
    clock.advance(step);
    left -= step;
    // setImmediate lets pending I/O callbacks run; a real-time pause per step also lets a loaded
    // machine's sockets keep up, so virtual timeouts do not fire ahead of real round trips.
    await new Promise<void>((r) => (realMsPerStep > 0 ? setTimeout(r, realMsPerStep) : setImmediate(r)));
  }
}
