// The console's screens, one row each: App.tsx shows in the navigation (and lets open) only the rows the
// logged-in user's role may use, on the kind of gateway the row is for. Add a screen with one line here;
// its module is loaded on first use, so the console's first paint carries only the shell.
import type { ComponentType } from 'preact';
import type { SessionStore, UserRole } from '../lib/api/session.js';
import type { I18n } from '../lib/i18n/i18n.js';
import { translator } from '../lib/i18n/table.js';
import { consoleAuthStrings } from '../lib/i18n/tables/console-auth.js';
import { helpLinkStrings } from '../lib/i18n/tables/help-links.js';

/** What every screen component receives. */
export interface ScreenProps {
  i18n: I18n;
  session: SessionStore;
  /** The hash after `#/<id>/` (sub-pages of the screen), '' if none. */
  rest: string;
}

export interface ConsoleScreen {
  /** Hash route `#/<id>`; letters, digits, '-'. */
  id: string;
  /** Navigation label in the current language. */
  label: (i18n: I18n) => string;
  /** Roles that see and may open it (the gateway checks the same roles on every request). */
  roles: readonly UserRole[];
  /** Only on this kind of gateway (`/api/status` point.role); both if absent. */
  on?: 'point' | 'coordinator';
  load: () => Promise<{ default: ComponentType<ScreenProps> }>;
}

const nav = (key: 'nav.board' | 'nav.charging' | 'nav.reports' | 'nav.users') => (i18n: I18n) => translator(consoleAuthStrings, i18n)(key);

export const SCREENS: readonly ConsoleScreen[] = [
  { id: 'board', label: nav('nav.board'), roles: ['staff', 'technician'], on: 'point', load: () => import('./routes/staff/Board.js') },
  { id: 'charging', label: nav('nav.charging'), roles: ['staff', 'technician'], on: 'point', load: () => import('./routes/staff/Charging.js') },
  { id: 'reports', label: nav('nav.reports'), roles: ['staff', 'technician'], on: 'point', load: () => import('./routes/staff/Reports.js') },
  { id: 'technician', label: (i18n) => i18n.t('nav.technician'), roles: ['technician'], load: () => import('./routes/technician/Technician.js') },
  { id: 'coordinator', label: (i18n) => i18n.t('nav.coordinator'), roles: ['coordinator', 'technician'], on: 'coordinator', load: () => import('./routes/coordinator/index.js') },
  { id: 'help', label: (i18n) => translator(helpLinkStrings, i18n)('links.title'), roles: ['staff', 'technician'], on: 'point', load: () => import('./routes/help/Help.js') },
  { id: 'users', label: nav('nav.users'), roles: ['technician'], load: () => import('./routes/staff/Users.js') },
];

/** The screens this user may open on this gateway (gateway kind unknown yet: no `on` filter). */
export function screensFor(role: UserRole | null, gateway: 'point' | 'coordinator' | null, screens: readonly ConsoleScreen[] = SCREENS): ConsoleScreen[] {
  if (!role) return [];
  return screens.filter((s) => s.roles.includes(role) && (!s.on || !gateway || s.on === gateway));
}
