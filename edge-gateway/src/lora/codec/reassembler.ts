// Collects fragments (fPort 6) until a message is whole. Bounded in groups and age, so a stream of
// junk or lost fragments cannot grow memory; the clock is injected for tests.
import { FrameDecodeError } from './errors.js';
import { decodeFrame, decodeMessage } from './frame.js';
import type { FragmentMessage, LoraMessage } from './messages.js';

interface Group {
  port: number;
  total: number;
  chunks: (Uint8Array | undefined)[];
  firstSeen: number;
}

export interface ReassemblerOptions {
  maxGroups?: number;
  maxAgeMs?: number;
  now?: () => number;
}

export class Reassembler {
  private readonly groups = new Map<number, Group>();
  private readonly maxGroups: number;
  private readonly maxAgeMs: number;
  private readonly now: () => number;

  constructor(opts: ReassemblerOptions = {}) {
    this.maxGroups = opts.maxGroups ?? 8;
    this.maxAgeMs = opts.maxAgeMs ?? 3_600_000;
    this.now = opts.now ?? Date.now;
  }

  /** Decodes one frame; returns the message, or null while a fragmented message is incomplete. */
  push(port: number, bytes: Uint8Array): LoraMessage | null {
    const decoded = decodeFrame(port, bytes);
    return decoded.kind === 'fragment' ? this.add(decoded) : decoded;
  }

  /** Incomplete groups (ids) still waiting for fragments. */
  pending(): number[] {
    this.expire();
    return [...this.groups.keys()];
  }

  private add(f: FragmentMessage): LoraMessage | null {
    this.expire();
    let g = this.groups.get(f.id);
    if (g && (g.port !== f.port || g.total !== f.total)) {
      // Same id, different message: the id was reused after the old one was lost.
      this.groups.delete(f.id);
      g = undefined;
    }
    if (!g) {
      if (this.groups.size >= this.maxGroups) {
        const oldest = [...this.groups.entries()].sort((a, b) => a[1].firstSeen - b[1].firstSeen)[0];
        if (oldest) this.groups.delete(oldest[0]);
      }
      g = { port: f.port, total: f.total, chunks: new Array<Uint8Array | undefined>(f.total).fill(undefined), firstSeen: this.now() };
      this.groups.set(f.id, g);
    }
    const have = g.chunks[f.index];
    if (have) {
      if (have.length !== f.chunk.length || have.some((b, i) => b !== f.chunk[i])) {
        this.groups.delete(f.id);
        throw new FrameDecodeError('fragment', `fragment ${f.index + 1}/${f.total} of id ${f.id} arrived twice with different content`);
      }
      return null; // a retransmission
    }
    g.chunks[f.index] = f.chunk;
    if (g.chunks.some((c) => !c)) return null;
    this.groups.delete(f.id);
    const whole = new Uint8Array(g.chunks.reduce((n, c) => n + (c?.length ?? 0), 0));
    let at = 0;
    for (const c of g.chunks) {
      if (!c) continue;
      whole.set(c, at);
      at += c.length;
    }
    return decodeMessage(g.port, whole);
  }

  private expire(): void {
    const limit = this.now() - this.maxAgeMs;
    for (const [id, g] of this.groups) if (g.firstSeen < limit) this.groups.delete(id);
  }
}
