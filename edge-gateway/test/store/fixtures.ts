// Valid uplink messages for store/ingest tests (values follow the protocol schema).
import type { MessageOf, NodeKind, UplinkMessage } from '../../src/protocol/index.js';
import { parseMessage } from '../../src/protocol/index.js';

interface Env {
  node: string;
  boot?: number;
  seq: number;
  ts?: number;
}

const env = (e: Env) => ({ v: 1 as const, node: e.node, boot: e.boot ?? 1, seq: e.seq, ts: e.ts ?? Date.UTC(2026, 0, 1) });

export function fuel(e: Env, litres: number | null = 120, status: MessageOf<'fuel'>['body']['status'] = 'ok'): MessageOf<'fuel'> {
  return { ...env(e), type: 'fuel', body: { litres, pct: litres === null ? null : Math.min(100, litres / 2), rawMm: 300, status, refuelling: false } };
}

export function battery(e: Env, v: number | null = 25.6, soc: number | null = 80): MessageOf<'battery'> {
  return { ...env(e), type: 'battery', body: { v, a: -3.2, soc, status: 'ok' } };
}

export function visitors(e: Env, entries = 10, exits = 4): MessageOf<'visitors'> {
  return { ...env(e), type: 'visitors', body: { entries, exits, inside: Math.max(0, entries - exits) } };
}

export function charger(e: Env, ports = 8): MessageOf<'charger'> {
  return {
    ...env(e),
    type: 'charger',
    body: { ports: Array.from({ length: ports }, (_, p) => ({ p, on: p % 2 === 0, mA: p % 2 === 0 ? 1500 : 0, fault: null })), failsafe: false },
  };
}

export function hb(e: Env, kind: NodeKind = 'fuel', fw = '1.0.0'): MessageOf<'hb'> {
  return { ...env(e), type: 'hb', body: { kind, fw, up: 100, mem: 2000, flags: [], link: 'serial' } };
}

export function result(e: Env, cmd: number, ok = true): MessageOf<'result'> {
  return { ...env(e), type: 'result', body: { cmd, ok } };
}

/** Checks a fixture against the real schema, so tests never feed the ingest something a link would refuse. */
export function valid<M extends UplinkMessage>(m: M): M {
  parseMessage(m);
  return m;
}
