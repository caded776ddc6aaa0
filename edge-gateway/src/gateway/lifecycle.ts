// Start-up and shutdown order for the parts of a gateway. Parts start in order and stop in reverse;
// a part that fails to stop is logged and the rest still stop, so the store always gets closed.
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../log/logger.js';

export interface Part {
  name: string;
  start?: () => void | Promise<void>;
  stop?: () => void | Promise<void>;
}

export class Lifecycle {
  private readonly started: Part[] = [];

  constructor(private readonly log: Logger) {}

  async start(part: Part): Promise<void> {
    try {
      await part.start?.();
    } catch (err) {
      throw new Error(`${part.name} failed to start: ${errorMessage(err)}`, { cause: err });
    }
    this.started.push(part);
  }

  /** Registers a part that is already running (started elsewhere) so it gets stopped. */
  adopt(part: Part): void {
    this.started.push(part);
  }

  async stopAll(timeoutMs = 10_000): Promise<void> {
    while (this.started.length) {
      const part = this.started.pop()!;
      if (!part.stop) continue;
      try {
        await withTimeout(Promise.resolve(part.stop()), timeoutMs, part.name);
      } catch (err) {
        this.log.error('stop failed', { part: part.name, error: errorMessage(err) });
      }
    }
  }
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what} did not stop within ${ms} ms`)), ms);
    }),
  ]);
}
