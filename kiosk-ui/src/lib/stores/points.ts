// Store for the coordinator's overview (`GET /api/points`, live `{type:'points'}`), kept in urgency order.
import { computed, signal, type ReadonlySignal } from '@preact/signals';
import type { ApiClient } from '../api/client.js';
import type { PointsData, PointSummary } from '../api/types.js';
import { sortByUrgency } from '../urgency.js';
import { errorText } from './errors.js';

export interface PointsStore {
  /** null until the first answer. */
  readonly points: ReadonlySignal<PointSummary[] | null>;
  readonly error: ReadonlySignal<string | null>;
  refresh(): Promise<void>;
  receive(data: PointsData): void;
}

export function createPointsStore(api: Pick<ApiClient, 'points'>): PointsStore {
  const raw = signal<PointSummary[] | null>(null);
  const error = signal<string | null>(null);
  const receive = (d: PointsData) => {
    raw.value = d.points;
    error.value = null;
  };
  return {
    points: computed(() => (raw.value ? sortByUrgency(raw.value) : null)),
    error: computed(() => error.value),
    receive,
    async refresh() {
      try {
        receive(await api.points());
      } catch (err) {
        error.value = errorText(err);
        throw err;
      }
    },
  };
}
