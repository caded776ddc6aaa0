// A screen's data from the gateway, loaded now and again every `everyMs`: the latest answer, or why
// it could not be had. Answers that arrive after the screen is gone are dropped.
import { useCallback, useEffect, useRef, useState } from 'preact/hooks';
import { reasonOf } from './api/client.js';

export interface Polled<T> {
  data: T | null;
  /** Why the last load failed (null after a success). */
  error: string | null;
  /** Replace the data with a fresher answer (e.g. the reply to an action). */
  set(value: T): void;
  /** Load now (after an action that changed what the screen shows). */
  reload(): Promise<void>;
}

export function usePolled<T>(load: () => Promise<T>, everyMs: number, deps: readonly unknown[]): Polled<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<string | null>(null);
  const alive = useRef(true);
  const latest = useRef(load);
  latest.current = load;
  const reload = useCallback(
    () =>
      latest.current().then(
        (v) => {
          if (!alive.current) return;
          setData(v);
          setError(null);
        },
        (err: unknown) => {
          if (alive.current) setError(reasonOf(err));
        },
      ),
    [],
  );
  useEffect(() => {
    alive.current = true;
    void reload();
    const timer = setInterval(() => void reload(), everyMs);
    return () => {
      alive.current = false;
      clearInterval(timer);
    };
  }, deps);
  return { data, error, set: setData, reload };
}
