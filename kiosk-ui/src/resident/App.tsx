import type { VNode } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { useServices, type Services } from '../lib/context.js';
import { StatusPage } from './StatusPage.js';
import { ReportApp, reportRoute } from './ReportApp.js';
import { ChargingApp } from './ChargingApp.js';
import { CHARGING_PATH } from './ChargingScreen.js';
import type { ContentStore } from './content-store.js';
import { HelpScreens, parseHelpRoute } from './help/route.js';

export type Loc = Pick<Location, 'pathname' | 'search' | 'hash'>;

export interface RouteContext extends Services {
  content: ContentStore;
  location: Loc;
}

/**
 * The resident screens by address, first match wins. Paths are pages the gateway also serves without
 * JavaScript; hash routes (`/#/…`) switch in place. `live`: the screen wants the live status (WebSocket,
 * else polling). A new screen is one line above the catch-all.
 */
export interface ResidentRoute {
  match(loc: Loc): boolean;
  live: boolean;
  render(ctx: RouteContext): VNode;
}

export const ROUTES: readonly ResidentRoute[] = [
  { match: (loc) => reportRoute(loc) !== null, live: false, render: (c) => <ReportApp i18n={c.i18n} route={reportRoute(c.location)!} /> },
  { match: (loc) => loc.pathname === CHARGING_PATH, live: false, render: (c) => <ChargingApp i18n={c.i18n} /> },
  { match: (loc) => parseHelpRoute(loc.hash) !== null, live: false, render: (c) => <HelpScreens i18n={c.i18n} screen={parseHelpRoute(c.location.hash)!} /> },
  { match: () => true, live: true, render: (c) => <StatusView {...c} /> },
];

export function findRoute(loc: Loc): ResidentRoute {
  return ROUTES.find((r) => r.match(loc)) ?? ROUTES[ROUTES.length - 1]!;
}

function StatusView({ i18n, status, live, content }: RouteContext) {
  const updatedAt = status.data.value?.board.updatedAt;
  useEffect(() => content.boardChanged(updatedAt), [updatedAt]);
  useEffect(() => {
    content.start();
    return () => content.stop();
  }, [content]);
  return <StatusPage i18n={i18n} status={status.data.value} mode={live.mode.value} lost={live.lost.value} content={content.content.value} />;
}

const here = (): Loc => ({ pathname: location.pathname, search: location.search, hash: location.hash });

/** The address, followed through in-page (hash) navigation and the back button. */
function useLoc(): Loc {
  const [loc, setLoc] = useState(here);
  useEffect(() => {
    const on = () => setLoc(here());
    addEventListener('hashchange', on);
    addEventListener('popstate', on);
    return () => {
      removeEventListener('hashchange', on);
      removeEventListener('popstate', on);
    };
  }, []);
  return loc;
}

export function App({ content }: { content: ContentStore }) {
  const services = useServices();
  const { i18n, status, live } = services;
  const loc = useLoc();
  const route = findRoute(loc);
  useEffect(() => {
    if (!route.live) return;
    live.start();
    return () => live.stop();
  }, [live, route]);
  const name = status.data.value?.point.name;
  const title = name ? `${name} · ${i18n.t('app.title')}` : i18n.t('app.title');
  useEffect(() => {
    document.title = title;
  }, [title]);
  return route.render({ ...services, content, location: loc });
}
