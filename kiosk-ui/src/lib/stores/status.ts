// Store for the point's own status (`GET /api/status`, live `{type:'status'}`).
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { ApiClient } from '../api/client.js';
import type { StatusData } from '../api/types.js';
import { errorText } from './errors.js';

export interface StatusStore {
  readonly data: ReadonlySignal<StatusData | null>;
  /** Message of the last failed refresh; cleared by the next success. */
  readonly error: ReadonlySignal<string | null>;
  refresh(): Promise<void>;
  receive(data: StatusData): void;
}

export function createStatusStore(api: Pick<ApiClient, 'status'>): StatusStore {
  const data = signal<StatusData | null>(null);
  const error = signal<string | null>(null);
  const receive = (d: StatusData) => {
    data.value = d;
    error.value = null;
  };
  return {
    data: computed(() => data.value),
    error: computed(() => error.value),
    receive,
    async refresh() {
      try {
        receive(await api.status());
      } catch (err) {
        error.value = errorText(err);
        throw err;
      }
    },
  };
}
