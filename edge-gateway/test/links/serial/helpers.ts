// Shared by the serial link tests: record a link's events and wait for conditions.
import type { LinkEvents, NodeLink } from '../../../src/links/link.js';

export type EventLog = { [K in keyof LinkEvents]: LinkEvents[K][] };

export function recordEvents(link: NodeLink): EventLog {
  const log: EventLog = { message: [], rejected: [], availability: [], status: [] };
  link.on('message', (e) => log.message.push(e));
  link.on('rejected', (e) => log.rejected.push(e));
  link.on('availability', (e) => log.availability.push(e));
  link.on('status', (e) => log.status.push(e));
  return log;
}

/** Polls until `cond` holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 3000): Promise<void> {
  const t0 = Date.now();
  while (!cond()) {
    if (Date.now() - t0 > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
