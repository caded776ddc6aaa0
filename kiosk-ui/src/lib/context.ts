// The stores of one page, composed once in its main.tsx and provided through one context.
import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { I18n } from './i18n/i18n.js';
import type { LiveStore } from './stores/live.js';
import type { StatusStore } from './stores/status.js';

export interface Services {
  i18n: I18n;
  status: StatusStore;
  live: LiveStore;
}

export const ServicesContext = createContext<Services | null>(null);

export function useServices(): Services {
  const s = useContext(ServicesContext);
  if (!s) throw new Error('useServices() outside <ServicesContext.Provider>');
  return s;
}
