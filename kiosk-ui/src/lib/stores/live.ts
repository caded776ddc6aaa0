// One live connection per page, feeding the stores that page uses: a first fetch right away, then the
// WebSocket, or polling while the socket is down.
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import { startLive, type LiveMode, type LiveOptions } from '../api/live.js';
import type { StatusStore } from './status.js';

export interface LiveStore {
  readonly mode: ReadonlySignal<LiveMode>;
  /** True when the last poll failed while the socket is down: what is shown may be stale. */
  readonly lost: ReadonlySignal<boolean>;
  start(): void;
  stop(): void;
}

export function createLiveStore(opts: {
  url: string;
  status?: StatusStore;
  live?: Partial<Pick<LiveOptions, 'openSocket' | 'pollMs' | 'retryMs' | 'timers'>>;
}): LiveStore {
  const mode = signal<LiveMode>('connecting');
  const lost = signal(false);
  let conn: { stop(): void } | null = null;

  const poll = async () => {
    await opts.status?.refresh();
    lost.value = false;
  };

  return {
    mode: computed(() => mode.value),
    lost: computed(() => lost.value),
    start() {
      if (conn) return;
      // The socket may take a while (or never) to open: show data at once.
      poll().catch(() => {
        lost.value = true;
      });
      conn = startLive({
        ...opts.live,
        url: opts.url,
        poll,
        onPollError: () => {
          lost.value = true;
        },
        onMode: (m) => {
          mode.value = m;
          if (m === 'live') lost.value = false;
        },
        onMessage: (msg) => {
          // `points` messages are the coordinator screens' own (routes/coordinator/store.ts)
          if (msg.type === 'status') opts.status?.receive(msg.data);
        },
      });
    },
    stop() {
      conn?.stop();
      conn = null;
    },
  };
}
