// Point side of signed board content: every check has its own rejection reason, which the point
// reports back to the coordinator (pointTopics.boardResult) so an operator sees why a board did
// not change. The highest accepted sequence per issuer is persisted before the content is used.
import { verify, type KeyObject } from 'node:crypto';
import { z } from 'zod';
import { BoardContentSchema, type BoardContent } from '../../board/content.js';
import { PointIdSchema } from '../../protocol/index.js';
import type { CounterStore } from './counters.js';
import { BoardPayloadSchema, SignedBoardSchema, signBytes, type BoardPayload, type BoardTarget } from './envelope.js';

export const REJECT_REASONS = ['malformed', 'unsigned', 'unknown-key', 'bad-signature', 'not-yet-valid', 'expired', 'replayed', 'wrong-target', 'invalid-content'] as const;
export type RejectReason = (typeof REJECT_REASONS)[number];

export interface TrustedKey {
  issuer: string;
  keyId: string;
  key: KeyObject;
}

export type VerifyResult =
  | { ok: true; content: BoardContent; payload: BoardPayload }
  | { ok: false; reason: RejectReason; detail: string; issuer: string | null; seq: number | null };

export interface BoardVerifierOptions {
  point: string;
  groups?: readonly string[];
  trusted: readonly TrustedKey[];
  /** Holds `last:<issuer>`, the highest sequence accepted. */
  counters: CounterStore;
  /** Clock difference tolerated for `issuedAt` in the future (points may lack a good clock). */
  maxSkewMs?: number;
}

/** What a point reports back for each board message it received. */
export const BoardResultSchema = z.object({
  v: z.literal(1),
  point: PointIdSchema,
  at: z.number().int().min(0),
  issuer: z.string().max(64).nullable(),
  seq: z.number().int().nullable(),
  result: z.enum(['accepted', ...REJECT_REASONS]),
  detail: z.string().max(200),
});
export type BoardResult = z.infer<typeof BoardResultSchema>;

export function boardResult(point: string, r: VerifyResult, at: number): BoardResult {
  return r.ok
    ? { v: 1, point, at, issuer: r.payload.issuer, seq: r.payload.seq, result: 'accepted', detail: '' }
    : { v: 1, point, at, issuer: r.issuer, seq: r.seq, result: r.reason, detail: r.detail.slice(0, 200) };
}

export class BoardVerifier {
  constructor(private readonly o: BoardVerifierOptions) {}

  private targets(t: BoardTarget): boolean {
    if (t.kind === 'all') return true;
    if (t.kind === 'point') return t.point === this.o.point;
    return (this.o.groups ?? []).includes(t.group);
  }

  async verify(raw: string | Uint8Array, now: number): Promise<VerifyResult> {
    let value: unknown;
    try {
      value = JSON.parse(typeof raw === 'string' ? raw : Buffer.from(raw).toString('utf8'));
    } catch (err) {
      return { ok: false, reason: 'malformed', detail: `not JSON: ${(err as Error).message}`, issuer: null, seq: null };
    }
    const hint = value && typeof value === 'object' ? ((value as { payload?: unknown }).payload ?? value) : null;
    const issuer = hint && typeof hint === 'object' && typeof (hint as { issuer?: unknown }).issuer === 'string' ? (hint as { issuer: string }).issuer : null;
    const hintSeq = hint && typeof hint === 'object' && Number.isInteger((hint as { seq?: unknown }).seq) ? (hint as { seq: number }).seq : null;
    const no = (reason: RejectReason, detail: string): VerifyResult => ({ ok: false, reason, detail, issuer, seq: hintSeq });

    if (!value || typeof value !== 'object' || !('sig' in value)) return no('unsigned', 'no signature');
    const env = SignedBoardSchema.safeParse(value);
    if (!env.success) return no('malformed', issues(env.error));
    const p = BoardPayloadSchema.safeParse(env.data.payload);
    if (!p.success) return no('malformed', issues(p.error));
    const payload = p.data as BoardPayload;

    const trusted = this.o.trusted.find((k) => k.keyId === payload.keyId && k.issuer === payload.issuer);
    if (!trusted) return no('unknown-key', `no trusted key ${payload.keyId} for issuer ${payload.issuer}`);
    // Verify the re-serialised parsed payload (not the wire bytes): unknown fields were refused above.
    if (!verify(null, signBytes(payload), trusted.key, Buffer.from(env.data.sig, 'base64url'))) return no('bad-signature', 'signature does not match');

    if (!this.targets(payload.target)) return no('wrong-target', `for ${JSON.stringify(payload.target)}`);
    if (payload.issuedAt > now + (this.o.maxSkewMs ?? 5 * 60_000)) return no('not-yet-valid', `issued ${payload.issuedAt - now} ms in the future`);
    if (payload.expiresAt <= now) return no('expired', `expired ${now - payload.expiresAt} ms ago`);
    const name = `last:${payload.issuer}`;
    const last = this.o.counters.get(name);
    if (last !== null && payload.seq <= last) return no('replayed', `sequence ${payload.seq} not after ${last}`);
    const content = BoardContentSchema.safeParse(payload.content);
    if (!content.success) return no('invalid-content', issues(content.error));
    await this.o.counters.set(name, payload.seq);
    return { ok: true, content: content.data, payload };
  }
}

function issues(e: z.ZodError): string {
  return e.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
}
