// The console's login session, provided once in main.tsx (the shared Services context stays resident-sized).
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { SessionStore } from '../../lib/api/session.js';

export const SessionContext = createContext<SessionStore | null>(null);

/** The session store: `get`/`send` for every console API call, `user`, `can(...roles)`. */
export function useSession(): SessionStore {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession() outside <SessionContext.Provider>');
  return s;
}
