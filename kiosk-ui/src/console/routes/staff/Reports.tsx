// Staff: recent reports residents filed at this point (emergencies first in mind: unconfirmed ones are counted
// at the top). Personal fields are shown until the retention purge erases them.
import type { ReportKind, ReportStatus } from '../../../lib/api/reports.js';
import { translator } from '../../../lib/i18n/table.js';
import { staffStrings } from '../../../lib/i18n/tables/staff.js';
import type { ScreenProps } from '../../screens.js';
import { usePolled } from '../../../lib/use-polled.js';

const REFRESH_MS = 15_000;

export interface StaffReport {
  id: number;
  kind: ReportKind;
  status: ReportStatus;
  summary: { what?: string; category?: string; people?: number | null };
  personal: { where?: string; details?: string; name?: string; message?: string } | null;
  createdAt: number;
  sentAt: number | null;
  confirmedAt: number | null;
  purgedAt: number | null;
}

export default function Reports({ i18n, session }: ScreenProps) {
  const t = translator(staffStrings, i18n);
  const polled = usePolled(async () => (await session.get<{ reports: StaffReport[] }>('/api/staff/reports?limit=100')).reports, REFRESH_MS, [session]);
  const reports = polled.data;


  if (!reports) return <p role="status">{polled.error ?? t('loading')}</p>;
  const open = reports.filter((r) => r.kind === 'emergency' && r.status !== 'confirmed').length;
  const when = (ms: number) => new Date(ms).toLocaleString(i18n.locale(), { dateStyle: 'short', timeStyle: 'short' });

  return (
    <section aria-labelledby="reports-title" data-screen="reports">
      <h2 id="reports-title">{t('reports.title')}</h2>
      <p>{t('reports.intro')}</p>
      {open ? (
        <p class="nc-msg" data-tone="bad" data-open-emergencies={open}>
          {t('reports.emergencies', { n: open })}
        </p>
      ) : null}
      {reports.length === 0 ? (
        <p>{t('reports.none')}</p>
      ) : (
        <div class="nc-scroll">
          <table class="nc-table" data-table="reports" aria-labelledby="reports-title">
            <thead>
              <tr>
                <th scope="col">{t('reports.col.time')}</th>
                <th scope="col">{t('reports.col.kind')}</th>
                <th scope="col">{t('reports.col.what')}</th>
                <th scope="col">{t('reports.col.details')}</th>
                <th scope="col">{t('reports.col.status')}</th>
              </tr>
            </thead>
            <tbody>
              {reports.map((r) => (
                <tr key={r.id} data-report={r.id} data-kind={r.kind}>
                  <th scope="row">{when(r.createdAt)}</th>
                  <td data-tone={r.kind === 'emergency' ? 'bad' : undefined}>{t(`reports.kind.${r.kind}`)}</td>
                  <td>
                    {[r.summary.what ?? r.summary.category, r.summary.people ? t('reports.people', { n: r.summary.people }) : null].filter(Boolean).join(' · ')}
                  </td>
                  <td>{r.personal ? [r.personal.where, r.personal.details, r.personal.name, r.personal.message].filter(Boolean).join(' · ') : <em>{t('reports.purged')}</em>}</td>
                  <td data-tone={r.status === 'confirmed' ? 'ok' : undefined}>{t(`reports.status.${r.status}`)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
