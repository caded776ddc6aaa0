// Loads a route's module on first use, so the console's first paint carries only the shell.
import type { ComponentType } from 'preact';
import { useEffect, useState } from 'preact/hooks';

export function lazyRoute<P extends object>(load: () => Promise<{ default: ComponentType<P> }>, fallback: string) {
  let loaded: ComponentType<P> | null = null;
  return function LazyRoute(props: P) {
    const [Comp, setComp] = useState<ComponentType<P> | null>(() => loaded);
    const [failed, setFailed] = useState<string | null>(null);
    useEffect(() => {
      if (Comp) return;
      let alive = true;
      load().then(
        (m) => {
          loaded = m.default;
          if (alive) setComp(() => m.default);
        },
        (err: unknown) => {
          if (alive) setFailed(err instanceof Error ? err.message : String(err));
        },
      );
      return () => {
        alive = false;
      };
    }, [Comp]);
    if (Comp) return <Comp {...props} />;
    return <p role="status">{failed ?? fallback}</p>;
  };
}
