// One valid example per message type, shared by the protocol and link tests.
import type { Message, MessageOf, MessageType } from '../../src/protocol/index.js';
import { mulberry32 } from '../../src/core/prng.js';

const env = { v: 1 as const, boot: 7, seq: 42, ts: Date.UTC(2026, 0, 1, 12) };

export const EXAMPLES: { [T in MessageType]: MessageOf<T> } = {
  fuel: { ...env, node: 'fuel-1', type: 'fuel', body: { litres: 123.5, pct: 61.75, rawMm: 412, status: 'ok', refuelling: false } },
  battery: { ...env, node: 'battery-1', type: 'battery', body: { v: 25.62, a: -3.4, soc: 87, status: 'ok', ttgMin: 640 } },
  visitors: { ...env, node: 'visitors-1', type: 'visitors', body: { entries: 120, exits: 101, inside: 19 } },
  charger: {
    ...env,
    node: 'charger-1',
    type: 'charger',
    body: {
      ports: [
        { p: 0, on: true, mA: 1830, fault: null },
        { p: 1, on: false, mA: null, fault: 'sensor' },
      ],
      failsafe: false,
    },
  },
  hb: { ...env, node: 'fuel-1', type: 'hb', body: { kind: 'fuel', fw: '0.3.1', up: 86_400, mem: 1200, flags: ['LOW_MEMORY'], link: 'serial' } },
  result: { ...env, node: 'charger-1', type: 'result', body: { cmd: 9, ok: false, error: 'port 7 #stuck' } },
  cmd: { ...env, node: 'charger-1', type: 'cmd', body: { op: 'port', port: 3, on: true } },
  ack: { ...env, node: 'fuel-1', type: 'ack', body: { boot: 7, seqs: [40, 41, 42] } },
};

export const ALL_EXAMPLES: Message[] = Object.values(EXAMPLES);

/** Deterministic PRNG so random-input tests are reproducible. */
export const prng = mulberry32;
