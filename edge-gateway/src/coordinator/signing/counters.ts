// Monotonic counters that survive restarts and power cuts: the signer's next sequence number and a
// point's last accepted sequence per issuer. Written atomically before the number is used, so a
// crash can skip numbers but never reuse one.
import { readFile } from 'node:fs/promises';
import { writeFileAtomic } from '../../broker/atomic-file.js';

export class CounterFileError extends Error {
  override name = 'CounterFileError';
}

export interface CounterStore {
  get(name: string): number | null;
  /** Persists `value` for `name`; resolves once it is durable. */
  set(name: string, value: number): Promise<void>;
}

export class MemoryCounterStore implements CounterStore {
  readonly values = new Map<string, number>();
  get(name: string): number | null {
    return this.values.get(name) ?? null;
  }
  set(name: string, value: number): Promise<void> {
    this.values.set(name, value);
    return Promise.resolve();
  }
}

export class FileCounterStore implements CounterStore {
  private constructor(
    private readonly path: string,
    private readonly values: Map<string, number>,
  ) {}

  static async open(path: string): Promise<FileCounterStore> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new FileCounterStore(path, new Map());
      throw new CounterFileError(`cannot read ${path}`, { cause: err });
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new CounterFileError(`${path} is not JSON`, { cause: err });
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new CounterFileError(`${path}: expected an object of counters`);
    const values = new Map<string, number>();
    for (const [k, v] of Object.entries(parsed)) {
      if (!Number.isSafeInteger(v)) throw new CounterFileError(`${path}: counter ${k} is not an integer`);
      values.set(k, v as number);
    }
    return new FileCounterStore(path, values);
  }

  get(name: string): number | null {
    return this.values.get(name) ?? null;
  }

  async set(name: string, value: number): Promise<void> {
    this.values.set(name, value);
    await writeFileAtomic(this.path, JSON.stringify(Object.fromEntries(this.values)) + '\n', 0o600);
  }
}
