// The board's content for the status page: read at start (or taken from the server-rendered page), read
// again when the live status says the board changed (status.board.updatedAt), and every minute regardless,
// since content can change while the panel is off or failed and its image then does not.
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { fetchBoardContent, type BoardContent } from '../lib/api/board.js';

export const CONTENT_POLL_MS = 60_000;

export interface ContentStore {
  /** undefined until the first answer; null when the point has no content. */
  readonly content: ReadonlySignal<BoardContent | null | undefined>;
  refresh(): Promise<void>;
  /** Feed every status: a new board time means new content. */
  boardChanged(updatedAt: number | null | undefined): void;
  start(): void;
  stop(): void;
}

export function createContentStore(opts: {
  fetch?: () => Promise<BoardContent | null>;
  initial?: { content: BoardContent | null; boardUpdatedAt: number | null };
  pollMs?: number;
} = {}): ContentStore {
  const read = opts.fetch ?? (() => fetchBoardContent());
  const content = signal<BoardContent | null | undefined>(opts.initial ? opts.initial.content : undefined);
  let seen: number | null | undefined = opts.initial ? opts.initial.boardUpdatedAt : undefined;
  let timer: ReturnType<typeof setInterval> | null = null;
  let inFlight: Promise<void> | null = null;

  const refresh = (): Promise<void> => {
    // one read at a time: a burst of status messages costs one request
    inFlight ??= read()
      .then((c) => {
        content.value = c;
      })
      .finally(() => {
        inFlight = null;
      });
    return inFlight;
  };

  return {
    content: computed(() => content.value),
    refresh,
    boardChanged(updatedAt) {
      if (updatedAt === undefined || updatedAt === seen) return;
      const first = seen === undefined;
      seen = updatedAt;
      // the first status only tells the starting point, unless nothing was read yet
      if (!first || content.value === undefined) void refresh().catch(() => undefined);
    },
    start() {
      if (timer) return;
      if (content.value === undefined) void refresh().catch(() => undefined);
      timer = setInterval(() => void refresh().catch(() => undefined), opts.pollMs ?? CONTENT_POLL_MS);
    },
    stop() {
      if (timer) clearInterval(timer);
      timer = null;
    },
  };
}
