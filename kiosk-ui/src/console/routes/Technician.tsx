// Technician diagnostics: every node with its link state and raw values, live.
import { useServices } from '../../lib/context.js';
import { formatAgo } from '../../lib/format.js';
import { nodeValues } from '../values.js';

export default function Technician() {
  const { i18n, status } = useServices();
  const t = i18n.t;
  const data = status.data.value;
  if (!data) return <p role="status">{status.error.value ?? t('loading')}</p>;
  return (
    <section aria-labelledby="tech-title">
      <h2 id="tech-title">
        {t('tech.title')}: {data.point.name} <code>({data.point.id})</code>
      </h2>
      <h3>{t('tech.nodes')}</h3>
      {data.nodes.length === 0 ? (
        <p>{t('tech.noNodes')}</p>
      ) : (
        <div class="nc-scroll">
          <table class="nc-table" data-table="nodes">
            <thead>
              <tr>
                <th scope="col">{t('col.id')}</th>
                <th scope="col">{t('col.kind')}</th>
                <th scope="col">{t('col.online')}</th>
                <th scope="col">{t('col.lastSeen')}</th>
                <th scope="col">{t('col.fw')}</th>
                <th scope="col">{t('col.values')}</th>
              </tr>
            </thead>
            <tbody>
              {data.nodes.map((n) => (
                <tr key={n.id} data-node={n.id} data-online={String(n.online)}>
                  <th scope="row">
                    <code>{n.id}</code>
                  </th>
                  <td>{n.kind}</td>
                  <td data-tone={n.online ? 'ok' : 'bad'}>{n.online ? t('online') : t('offline')}</td>
                  <td>{formatAgo(i18n, n.lastSeen, data.time)}</td>
                  <td>{n.fw ?? t('unknown')}</td>
                  <td>
                    {nodeValues(i18n, n.kind, data.readings).map((v, i) => (
                      <span key={i} class="nc-value">
                        {v}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
