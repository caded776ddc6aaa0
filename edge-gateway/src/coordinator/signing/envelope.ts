// Signed board content from the coordinator to its points (MQTT path). The signature covers the
// canonical JSON of the whole payload, so content, target, validity and sequence cannot be altered
// or replayed elsewhere. Points reject anything unsigned, forged, expired, replayed or not for them.
import { randomBytes, sign } from 'node:crypto';
import { z } from 'zod';
import { BoardContentSchema, type BoardContent } from '../../board/content.js';
import { PointIdSchema } from '../../protocol/index.js';
import { canonicalJson } from './canonical-json.js';
import type { CounterStore } from './counters.js';
import type { SigningKey } from './keys.js';

export const BoardTargetSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('all') }),
  z.object({ kind: z.literal('point'), point: PointIdSchema }),
  z.object({ kind: z.literal('group'), group: z.string().regex(/^[a-z0-9][a-z0-9-]{0,31}$/) }),
]);
export type BoardTarget = z.infer<typeof BoardTargetSchema>;

export const BoardPayloadSchema = z.strictObject({
  v: z.literal(1),
  /** Checked against BoardContentSchema after the signature, so a bad one is reported as such. */
  content: z.unknown(),
  issuer: z.string().min(1).max(64),
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  issuedAt: z.number().int().min(0),
  expiresAt: z.number().int().min(0),
  /** Strictly increasing per issuer, across all targets: a point keeps the highest it accepted. */
  seq: z.number().int().min(1),
  nonce: z.string().regex(/^[A-Za-z0-9_-]{16,32}$/),
  target: BoardTargetSchema,
});
export type BoardPayload = Omit<z.infer<typeof BoardPayloadSchema>, 'content'> & { content: unknown };

export const SignedBoardSchema = z.strictObject({
  payload: z.record(z.string(), z.unknown()),
  alg: z.literal('Ed25519'),
  sig: z.string().regex(/^[A-Za-z0-9_-]{86}$/, 'an Ed25519 signature is 64 bytes of base64url'),
});
export type SignedBoard = { payload: BoardPayload; alg: 'Ed25519'; sig: string };

export const signBytes = (payload: BoardPayload): Buffer => Buffer.from(canonicalJson(payload), 'utf8');

export function signPayload(payload: BoardPayload, key: SigningKey): SignedBoard {
  return { payload, alg: 'Ed25519', sig: sign(null, signBytes(payload), key.privateKey).toString('base64url') };
}

export interface BoardSignerOptions {
  key: SigningKey;
  /** Who signs, e.g. the coordinator's id; points trust (issuer, key) pairs. */
  issuer: string;
  /** Holds `seq:<issuer>`, the last sequence used. */
  counters: CounterStore;
}

export class BoardSigner {
  constructor(private readonly o: BoardSignerOptions) {}

  /** Signs content for a target, valid from `now` for `ttlMs`. The sequence is persisted first. */
  async sign(content: BoardContent, target: BoardTarget, now: number, ttlMs: number): Promise<SignedBoard> {
    BoardContentSchema.parse(content);
    const name = `seq:${this.o.issuer}`;
    const seq = (this.o.counters.get(name) ?? 0) + 1;
    await this.o.counters.set(name, seq);
    const payload: BoardPayload = {
      v: 1,
      content,
      issuer: this.o.issuer,
      keyId: this.o.key.keyId,
      issuedAt: now,
      expiresAt: now + ttlMs,
      seq,
      nonce: randomBytes(12).toString('base64url'),
      target,
    };
    return signPayload(payload, this.o.key);
  }
}
