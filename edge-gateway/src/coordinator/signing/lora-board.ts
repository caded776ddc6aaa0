// Board content over LoRa: the compact template form (lora/codec board, fPort 8) carries no Ed25519
// signature (64 bytes would not fit the airtime budget); it is authenticated by the LoRaWAN session
// instead: the MIC under the network session key proves it came through the point's own session,
// and the 32-bit downlink frame counter, persisted, refuses replays. The compact form has no issue
// time, so validity runs from receipt (`validHours`); a frame held back and sent late is refused
// only by its counter once a newer one arrived.
import { decodeMessage, KINDS, type BoardMessage } from '../../lora/codec/index.js';
import { fullCounter, openDataFrame, parseDataFrame, type ParsedData, type SessionKeys } from '../../sim/lora/frames.js';
import type { CounterStore } from './counters.js';
import type { RejectReason } from './verifier.js';

export interface LoraSession {
  devAddr: string;
  keys: SessionKeys;
}

export type LoraBoardResult =
  | { ok: true; board: BoardMessage; fCnt: number; expiresAt: number | null }
  | { ok: false; reason: RejectReason; detail: string; fCnt: number | null };

const LAST = 'lora-fcnt-down';

function micValid(parsed: ParsedData, fCnt: number, keys: SessionKeys): boolean {
  try {
    openDataFrame(parsed, fCnt, keys);
    return true;
  } catch {
    return false;
  }
}

export class LoraBoardReceiver {
  constructor(
    private readonly session: LoraSession,
    /** Holds `lora-fcnt-down`, the last downlink counter accepted in this session. */
    private readonly counters: CounterStore,
  ) {}

  async receive(phy: Uint8Array, now: number): Promise<LoraBoardResult> {
    let parsed;
    try {
      parsed = parseDataFrame(Buffer.from(phy));
    } catch (err) {
      return { ok: false, reason: 'malformed', detail: (err as Error).message, fCnt: null };
    }
    if (parsed.dir !== 'down' || parsed.devAddr !== this.session.devAddr.toLowerCase()) {
      return { ok: false, reason: 'wrong-target', detail: `${parsed.dir}link for ${parsed.devAddr}`, fCnt: null };
    }
    const last = this.counters.get(LAST) ?? -1;
    const fCnt = fullCounter(parsed.fCnt16, last);
    let payload: Buffer;
    try {
      payload = openDataFrame(parsed, fCnt, this.session.keys);
    } catch (err) {
      // An old frame played back: its low 16 bits map above `last`, so check it at its real counter too.
      if (fCnt >= 0x10000 && fCnt - 0x10000 <= last && micValid(parsed, fCnt - 0x10000, this.session.keys)) {
        return { ok: false, reason: 'replayed', detail: `frame counter ${fCnt - 0x10000} not after ${last}`, fCnt: fCnt - 0x10000 };
      }
      return { ok: false, reason: 'bad-signature', detail: (err as Error).message, fCnt };
    }
    // fullCounter never goes below `last`; an old frame that still verifies is the same counter.
    if (fCnt <= last) return { ok: false, reason: 'replayed', detail: `frame counter ${fCnt} not after ${last}`, fCnt };
    if (parsed.port !== KINDS.board.port) return { ok: false, reason: 'malformed', detail: `fPort ${parsed.port} is not board content`, fCnt };
    let msg;
    try {
      msg = decodeMessage(KINDS.board.port, payload);
    } catch (err) {
      return { ok: false, reason: 'invalid-content', detail: (err as Error).message, fCnt };
    }
    if (msg.kind !== 'board') return { ok: false, reason: 'malformed', detail: `decoded a ${msg.kind}`, fCnt };
    await this.counters.set(LAST, fCnt);
    return { ok: true, board: msg, fCnt, expiresAt: msg.validHours === null ? null : now + msg.validHours * 3_600_000 };
  }
}

/** Shown content is dropped once its validity has run out. */
export const loraBoardExpired = (r: { expiresAt: number | null }, now: number): boolean => r.expiresAt !== null && now >= r.expiresAt;
