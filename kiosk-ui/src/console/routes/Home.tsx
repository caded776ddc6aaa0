import type { I18n } from '../../lib/i18n/i18n.js';
import { routeHref } from '../router.js';

/** Start page with the login placeholder. Deliberately no login form: nothing here checks anyone yet. */
export default function Home({ i18n }: { i18n: I18n }) {
  const t = i18n.t;
  return (
    <div>
      <section class="nc-card nc-placeholder" data-placeholder="login" aria-labelledby="login-title">
        <h2 id="login-title">{t('login.title')}</h2>
        <p>{t('login.body')}</p>
      </section>
      <ul class="nc-links">
        <li>
          <a class="nc-link" href={routeHref('technician')}>
            {t('nav.technician')}
          </a>
        </li>
        <li>
          <a class="nc-link" href={routeHref('coordinator')}>
            {t('nav.coordinator')}
          </a>
        </li>
      </ul>
    </div>
  );
}
