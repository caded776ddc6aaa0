// A serial port that plays a recorded AT transcript: each line the driver writes must be the next
// "> " line; the "< " lines after it are then delivered as the modem's answer. Anything the driver
// writes out of order is recorded as a mismatch, so a test fails on the first unexpected command.
import { EventEmitter } from 'node:events';
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { ManualClock } from '../../../src/core/clock.js';
import type { PortCallback, PortFactory, SerialPortLike } from '../../../src/links/serial/port.js';

interface Step {
  expect: string;
  replies: string[];
}

export function loadTranscript(path: string): Step[] {
  const steps: Step[] = [];
  for (const raw of readFileSync(path, 'utf8').split('\n')) {
    if (raw.startsWith('#') || raw.trim() === '') continue;
    if (raw.startsWith('> ')) steps.push({ expect: raw.slice(2), replies: [] });
    else if (raw.startsWith('< ')) {
      const last = steps.at(-1);
      if (!last) throw new Error(`${path}: reply before any command: ${raw}`);
      last.replies.push(raw.slice(2));
    } else throw new Error(`${path}: unknown line ${raw}`);
  }
  return steps;
}

export class ScriptedPort extends EventEmitter implements SerialPortLike {
  isOpen = false;
  readonly written: string[] = [];
  readonly mismatches: string[] = [];
  private partial = '';

  constructor(private readonly steps: Step[]) {
    super();
  }

  /** Commands of the transcript not yet written by the driver. */
  get remaining(): string[] {
    return this.steps.map((s) => s.expect);
  }

  open(cb: PortCallback): void {
    this.isOpen = true;
    queueMicrotask(() => cb(null));
  }

  close(cb?: PortCallback): void {
    this.isOpen = false;
    queueMicrotask(() => {
      this.emit('close', null);
      cb?.(null);
    });
  }

  write(data: Buffer, cb?: (err: Error | null | undefined) => void): boolean {
    this.partial += data.toString('latin1');
    let nl: number;
    while ((nl = this.partial.indexOf('\r\n')) >= 0) {
      const line = this.partial.slice(0, nl);
      this.partial = this.partial.slice(nl + 2);
      this.onCommand(line);
    }
    queueMicrotask(() => cb?.(null));
    return true;
  }

  private onCommand(line: string): void {
    this.written.push(line);
    const step = this.steps[0];
    if (!step || step.expect !== line) {
      this.mismatches.push(`driver wrote ${JSON.stringify(line)}, transcript expects ${JSON.stringify(step?.expect ?? '(end)')}`);
      return;
    }
    this.steps.shift();
    // Real UARTs deliver answers in arbitrary chunks: split each answer line in two.
    for (const reply of step.replies) {
      const bytes = Buffer.from(`${reply}\r\n`, 'latin1');
      const cut = Math.max(1, bytes.length >> 1);
      setImmediate(() => this.emit('data', bytes.subarray(0, cut)));
      setImmediate(() => this.emit('data', bytes.subarray(cut)));
    }
  }
}

export function scriptedFactory(port: ScriptedPort): PortFactory {
  return () => port;
}

export const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

/** Lets replies arrive and advances virtual time in steps until the promise settles. */
export async function drive<T>(clock: ManualClock, p: Promise<T>, maxMs = 120_000, stepMs = 250): Promise<T> {
  let settled = false;
  p.then(
    () => (settled = true),
    () => (settled = true),
  );
  for (let t = 0; t <= maxMs && !settled; t += stepMs) {
    for (let i = 0; i < 5; i++) await flush();
    if (!settled) clock.advance(stepMs);
  }
  return p;
}

/** The driver wrote exactly the transcript's commands, in order, and all of them. */
export function done(r: { port: ScriptedPort }): void {
  expect(r.port.mismatches).toEqual([]);
  expect(r.port.remaining).toEqual([]);
}
