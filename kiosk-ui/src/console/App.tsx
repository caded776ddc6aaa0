import { useEffect, useMemo, useRef, useState } from 'preact/hooks';
import { useServices } from '../lib/context.js';
import { LangSwitch } from '../components/LangSwitch.js';
import { translator } from '../lib/i18n/table.js';
import { consoleAuthStrings } from '../lib/i18n/tables/console-auth.js';
import { parseRoute, routeHref, type Route } from './router.js';
import { lazyRoute } from './Lazy.js';
import { SCREENS, screensFor, type ScreenProps } from './screens.js';
import { useSession } from './auth/session-context.js';
import { Login } from './auth/Login.js';
import { Setup } from './auth/Setup.js';

// One lazy component per registered screen, made once so a screen keeps its loaded module across visits.
const LAZY = new Map(SCREENS.map((s) => [s.id, lazyRoute<ScreenProps>(s.load, '…')]));

export function App() {
  const { i18n, live, status } = useServices();
  const session = useSession();
  const t = i18n.t;
  const ta = translator(consoleAuthStrings, i18n);
  // (no `location` when rendered on the server or in a unit test: the start page)
  const [route, setRoute] = useState<Route>(() => parseRoute(typeof location === 'undefined' ? '' : location.hash));
  const [checkError, setCheckError] = useState<string | null>(null);
  // A session that ends without the user logging out (expired, revoked) gets a note on the login form.
  const [expired, setExpired] = useState(false);
  const loggingOut = useRef(false);
  const wasIn = useRef(false);

  useEffect(() => {
    const onHash = () => setRoute(parseRoute(location.hash));
    addEventListener('hashchange', onHash);
    live.start();
    session.refresh().catch((err: unknown) => setCheckError(err instanceof Error ? err.message : String(err)));
    return () => {
      removeEventListener('hashchange', onHash);
      live.stop();
    };
  }, [live, session]);

  const state = session.state.value;
  useEffect(() => {
    if (state === 'in') {
      wasIn.current = true;
      setExpired(false);
    } else if (state === 'anonymous' && wasIn.current) {
      wasIn.current = false;
      setExpired(!loggingOut.current);
      loggingOut.current = false;
    }
  }, [state]);

  const user = session.user.value;
  const gateway = status.data.value?.point.role ?? null;
  const allowed = useMemo(() => screensFor(user?.role ?? null, gateway), [user?.role, gateway]);
  const current = allowed.find((s) => s.id === route.screen) ?? null;
  const Screen = current ? LAZY.get(current.id) : undefined;

  const conn = live.lost.value ? 'lost' : live.mode.value === 'live' ? 'live' : 'polling';
  const logout = () => {
    loggingOut.current = true;
    session.logout().catch(() => undefined);
  };

  let main;
  if (state === 'unknown') main = <p role="status">{checkError ?? ta('checking')}</p>;
  else if (state === 'anonymous' || !user)
    main = session.setupNeeded.value ? <Setup i18n={i18n} session={session} /> : <Login i18n={i18n} session={session} expired={expired} />;
  else if (Screen) main = <Screen i18n={i18n} session={session} rest={route.rest} />;
  else
    main = (
      <section aria-labelledby="home-title" data-screen="home">
        <h2 id="home-title">{ta('home.title', { name: user.username })}</h2>
        <p>{ta('home.role', { role: ta(`role.${user.role}`) })}</p>
        {allowed.length ? (
          <ul class="nc-links">
            {allowed.map((s) => (
              <li key={s.id}>
                <a class="nc-link" href={routeHref(s.id)}>
                  {s.label(i18n)}
                </a>
              </li>
            ))}
          </ul>
        ) : (
          <p>{ta('home.none')}</p>
        )}
      </section>
    );

  return (
    <div class="nc-page">
      <header class="nc-header">
        <h1>
          <a class="nc-home" href={routeHref('')}>
            {t('console.title')}
          </a>
        </h1>
        {user ? (
          <nav class="nc-nav" aria-label={ta('nav.label')}>
            {allowed.map((s) => (
              <a key={s.id} class="nc-nav__link" href={routeHref(s.id)} data-screen-link={s.id} aria-current={current?.id === s.id ? 'page' : undefined}>
                {s.label(i18n)}
              </a>
            ))}
          </nav>
        ) : (
          <span class="nc-nav" />
        )}
        <LangSwitch i18n={i18n} />
        {user ? (
          <span class="nc-user">
            <span data-user={user.username}>{ta('user.signedIn', { name: user.username, role: ta(`role.${user.role}`) })}</span>
            <button type="button" class="nc-button nc-button--quiet" onClick={logout} data-action="logout">
              {ta('logout')}
            </button>
          </span>
        ) : null}
      </header>
      <main>{main}</main>
      <footer>
        <p class="ns-conn" role="status" data-state={conn}>
          {t(conn === 'lost' ? 'conn.lost' : conn === 'live' ? 'conn.live' : 'conn.polling')}
        </p>
      </footer>
    </div>
  );
}
