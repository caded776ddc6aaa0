// Coordinator overview: every point, most urgent first (see lib/urgency.ts).
import { useServices } from '../../lib/context.js';
import { formatAgo, formatValue } from '../../lib/format.js';
import { pointBattery, pointCharging, pointFuel } from '../values.js';

export default function Coordinator() {
  const { i18n, status, points } = useServices();
  const t = i18n.t;
  const role = status.data.value?.point.role;
  if (role === 'point' || !points) return <p role="status">{t('coord.notCoordinator')}</p>;
  const list = points.points.value;
  if (!list) return <p role="status">{points.error.value ?? t('loading')}</p>;
  const now = status.data.value?.time ?? Date.now();
  return (
    <section aria-labelledby="coord-title">
      <h2 id="coord-title">{t('coord.title')}</h2>
      <p>{t('coord.sorted')}</p>
      {list.length === 0 ? (
        <p>{t('coord.empty')}</p>
      ) : (
        <div class="nc-scroll">
          <table class="nc-table" data-table="points">
            <thead>
              <tr>
                <th scope="col">{t('col.point')}</th>
                <th scope="col">{t('col.online')}</th>
                <th scope="col">{t('col.received')}</th>
                <th scope="col">{t('col.fuel')}</th>
                <th scope="col">{t('col.battery')}</th>
                <th scope="col">{t('col.visitors')}</th>
                <th scope="col">{t('col.charging')}</th>
                <th scope="col">{t('col.alarms')}</th>
              </tr>
            </thead>
            <tbody>
              {list.map((p) => (
                <tr key={p.point} data-point={p.point} data-online={String(p.online)}>
                  <th scope="row">
                    {p.name} <code>({p.point})</code>
                  </th>
                  <td data-tone={p.online ? 'ok' : 'bad'}>{p.online ? t('online') : t('offline')}</td>
                  <td>{formatAgo(i18n, p.receivedAt, now)}</td>
                  {p.status ? (
                    <>
                      <td>{pointFuel(i18n, p.status)}</td>
                      <td>{pointBattery(i18n, p.status)}</td>
                      <td>{p.status.visitors ? formatValue(i18n, p.status.visitors.inside, '') : t('unknown')}</td>
                      <td>{pointCharging(i18n, p.status)}</td>
                      <td>{p.status.alarms.length ? p.status.alarms.join(', ') : t('none')}</td>
                    </>
                  ) : (
                    <td colSpan={5}>{t('coord.noStatus')}</td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
