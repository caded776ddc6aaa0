// Signed board content arriving at a point from its coordinator: verified (signature, key, target,
// validity, sequence) before anything reaches the board; every message gets a BoardResult saying
// accepted or why not, which the uplink sends back. Messages are handled one at a time, in order,
// because the verifier persists the last accepted sequence.
import { join } from 'node:path';
import type { Clock } from '../core/clock.js';
import { errorMessage, type Logger } from '../log/logger.js';
import type { BoardContent } from '../board/content.js';
import {
  BoardVerifier,
  FileCounterStore,
  boardResult,
  publicKeyFromBase64,
  type BoardResult,
  type TrustedKey,
  type VerifyResult,
} from '../coordinator/signing/index.js';

/** In the data dir: the last accepted sequence per issuer (replay protection across restarts). */
export const BOARD_COUNTERS_FILE = 'board-counters.json';

export interface BoardInboxOptions {
  point: string;
  verifier: BoardVerifier;
  clock: Clock;
  /** Shows accepted content; may throw (e.g. BoardContentError), which is reported as invalid content. */
  apply: (content: BoardContent) => void;
  log: Logger;
}

export class BoardInbox {
  private chain: Promise<unknown> = Promise.resolve();
  readonly counts = { accepted: 0, rejected: 0 };

  constructor(private readonly o: BoardInboxOptions) {}

  handle(raw: Uint8Array | string): Promise<BoardResult> {
    const run = this.chain.then(() => this.process(raw));
    this.chain = run.catch(() => {});
    return run;
  }

  private async process(raw: Uint8Array | string): Promise<BoardResult> {
    const now = this.o.clock.now();
    let r: VerifyResult = await this.o.verifier.verify(raw, now);
    if (r.ok) {
      try {
        // Whatever the payload says, content that verified against the coordinator's key is the coordinator's.
        this.o.apply({ ...r.content, source: 'coordinator' });
      } catch (err) {
        r = { ok: false, reason: 'invalid-content', detail: errorMessage(err), issuer: r.payload.issuer, seq: r.payload.seq };
      }
    }
    const result = boardResult(this.o.point, r, now);
    if (result.result === 'accepted') {
      this.counts.accepted++;
      this.o.log.info('board content from the coordinator shown', { issuer: result.issuer, seq: result.seq });
    } else {
      this.counts.rejected++;
      this.o.log.warn('board content refused', { reason: result.result, detail: result.detail, issuer: result.issuer, seq: result.seq });
    }
    return result;
  }
}

export class BoardKeyError extends Error {
  override name = 'BoardKeyError';
}

/** The point's inbox from its config: trusts `boardKey` (none: everything is refused as unknown-key). */
export async function createBoardInbox(o: {
  point: string;
  dataDir: string;
  boardKey: { issuer: string; keyId: string; publicKey: string } | undefined;
  clock: Clock;
  apply: (content: BoardContent) => void;
  log: Logger;
}): Promise<BoardInbox> {
  const trusted: TrustedKey[] = [];
  if (o.boardKey) {
    let key;
    try {
      key = publicKeyFromBase64(o.boardKey.publicKey);
    } catch (err) {
      throw new BoardKeyError('coordinator.boardKey.publicKey is not an Ed25519 public key', { cause: err });
    }
    if (key.keyId !== o.boardKey.keyId) throw new BoardKeyError(`coordinator.boardKey.keyId ${o.boardKey.keyId} does not match the key (${key.keyId})`);
    trusted.push({ issuer: o.boardKey.issuer, keyId: key.keyId, key: key.key });
  } else {
    o.log.warn('no coordinator.boardKey configured: board content from the coordinator will be refused');
  }
  const counters = await FileCounterStore.open(join(o.dataDir, BOARD_COUNTERS_FILE));
  const verifier = new BoardVerifier({ point: o.point, trusted, counters });
  return new BoardInbox({ point: o.point, verifier, clock: o.clock, apply: o.apply, log: o.log });
}
