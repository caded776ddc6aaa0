// A one-off frame on the panel (the commissioning test pattern), driven by the board service through the
// same driver path as the content. The panel's minimum refresh interval (DESIGN §4) holds both ways: the
// test frame goes on when the panel may refresh again, and the content comes back no sooner than one
// interval after it, so a test always takes two full refreshes at least one interval apart.

export type PanelTestPhase =
  /** Waiting for the panel's minimum interval (or a refresh in progress) to end. */
  | 'pending'
  /** On the panel. */
  | 'showing'
  /** The content's refresh is running. */
  | 'restoring'
  /** The content is back on the panel. */
  | 'restored'
  /** The driver failed (test frame or restore); the board redraws its content in full at its next refresh. */
  | 'failed'
  /** Ended before it reached the panel. */
  | 'cancelled';

export interface PanelTestStatus {
  id: number;
  phase: PanelTestPhase;
  requestedAt: number;
  /** Pending: when the panel may refresh next; null while the panel is being refreshed (the content, or this frame). */
  dueAt: number | null;
  /** The end of the refresh that put the frame on the panel (the moment it shows). */
  shownAt: number | null;
  /** Duration of that full refresh, BUSY released included. */
  refreshMs: number | null;
  /** Earliest moment the content may come back (shownAt + the minimum interval). */
  restoreFrom: number | null;
  /** The content comes back at this moment at the latest. */
  holdUntil: number | null;
  /** When the technician asked for the content back (confirmation or "restore now"). */
  restoreRequestedAt: number | null;
  /** Showing: when the content's refresh will start. */
  restoreAt: number | null;
  restoredAt: number | null;
  /** The driver's error when the test frame or the restore failed. */
  error: string | null;
}

export const DEFAULT_TEST_HOLD_MS = 10 * 60_000;
export const MAX_TEST_HOLD_MS = 30 * 60_000;

export class PanelTestError extends Error {
  override name = 'PanelTestError';
}

/** A test is already waiting for or on the panel. */
export class PanelTestBusyError extends PanelTestError {
  override name = 'PanelTestBusyError';
}

export function isTestActive(phase: PanelTestPhase): boolean {
  return phase === 'pending' || phase === 'showing' || phase === 'restoring';
}

/** When the content's refresh is due for a test on the panel: after the minimum interval, then on request or at the hold limit. */
export function restoreDueAt(t: Pick<PanelTestStatus, 'restoreFrom' | 'holdUntil' | 'restoreRequestedAt'>): number | null {
  if (t.restoreFrom === null || t.holdUntil === null) return null;
  return Math.max(t.restoreFrom, t.restoreRequestedAt ?? t.holdUntil);
}
