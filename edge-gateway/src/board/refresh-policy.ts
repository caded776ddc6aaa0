// When and how to refresh the panel (manufacturer advice, DESIGN §4): only when the frame changed,
// partial for small changes, a full refresh after N partials, never more often than every 180 s,
// at least once per 24 h. The decision is a pure function so it can be tested on its own.
import { diffRect, type Frame, type Rect } from './frame.js';

export interface RefreshPolicyConfig {
  minIntervalMs: number;
  maxIntervalMs: number;
  /** Full refresh after this many partial refreshes in a row (clears ghosting). */
  partialsBeforeFull: number;
  /** Changes covering more than this share of the panel get a full refresh. */
  maxPartialAreaFraction: number;
  partialSupported: boolean;
}

export const DEFAULT_REFRESH_POLICY: RefreshPolicyConfig = {
  minIntervalMs: 180_000,
  maxIntervalMs: 24 * 3600_000,
  partialsBeforeFull: 5,
  maxPartialAreaFraction: 0.25,
  partialSupported: true,
};

export interface PanelState {
  /** What the panel shows now; null before the first refresh. */
  shown: Frame | null;
  lastRefreshAt: number | null;
  partialsSinceFull: number;
}

export type RefreshDecision =
  | { kind: 'none'; reason: 'unchanged' | 'too-soon' }
  // 'after-test': decided by the board service when a test frame gives way to the content, not here.
  | { kind: 'full'; reason: 'first' | 'large-change' | 'after-partials' | 'daily' | 'after-test' }
  | { kind: 'partial'; window: Rect };

export function decideRefresh(next: Frame, state: PanelState, now: number, cfg: RefreshPolicyConfig): RefreshDecision {
  const since = state.lastRefreshAt === null ? Infinity : now - state.lastRefreshAt;
  if (since < cfg.minIntervalMs) return { kind: 'none', reason: 'too-soon' };
  if (state.shown === null) return { kind: 'full', reason: 'first' };
  const rect = diffRect(state.shown, next);
  if (!rect) return since >= cfg.maxIntervalMs ? { kind: 'full', reason: 'daily' } : { kind: 'none', reason: 'unchanged' };
  const area = (rect.w * rect.h) / (next.width * next.height);
  if (!cfg.partialSupported || area > cfg.maxPartialAreaFraction) return { kind: 'full', reason: 'large-change' };
  if (state.partialsSinceFull >= cfg.partialsBeforeFull) return { kind: 'full', reason: 'after-partials' };
  return { kind: 'partial', window: rect };
}
