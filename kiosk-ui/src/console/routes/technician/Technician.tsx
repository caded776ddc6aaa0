// The technician's screen: the commissioning wizard and the diagnostics page (`#/technician/diagnostics`).
import { useMemo } from 'preact/hooks';
import type { ScreenProps } from '../../screens.js';
import { technicianApi } from '../../../lib/api/technician.js';
import { translator } from '../../../lib/i18n/table.js';
import { technicianStrings } from '../../../lib/i18n/tables/technician.js';
import { routeHref } from '../../router.js';
import { Wizard } from './Wizard.js';
import { Diagnostics } from './Diagnostics.js';
import './technician.css';

export default function Technician({ i18n, session, rest }: ScreenProps) {
  const t = translator(technicianStrings, i18n);
  const api = useMemo(() => technicianApi(session), [session]);
  const page = rest.startsWith('diagnostics') ? 'diagnostics' : 'wizard';
  return (
    <section class="tc" aria-labelledby="tc-title">
      <h2 id="tc-title">{t('title')}</h2>
      <nav class="tc-tabs" aria-label={t('tabs')}>
        <a href={routeHref('technician', 'wizard')} aria-current={page === 'wizard' ? 'page' : undefined}>
          {t('tab.wizard')}
        </a>
        <a href={routeHref('technician', 'diagnostics')} aria-current={page === 'diagnostics' ? 'page' : undefined}>
          {t('tab.diagnostics')}
        </a>
      </nav>
      {page === 'diagnostics' ? <Diagnostics api={api} t={t} i18n={i18n} /> : <Wizard api={api} t={t} i18n={i18n} />}
    </section>
  );
}
