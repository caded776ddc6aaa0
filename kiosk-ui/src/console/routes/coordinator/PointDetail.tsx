// One point: its current values, hours to empty, battery trend, charts of fuel, battery, visitors and
// charging over a chosen period, its alerts, and steering of its phone charging (on within budget / off).
import { useEffect, useMemo, useState } from 'preact/hooks';
import type { CoordinatorApi, PointDetail as Detail } from '../../../lib/api/coordinator.js';
import { errorText } from '../../../lib/stores/errors.js';
import { Chart } from './Chart.js';
import { AlertList } from './Alerts.js';
import { CHARTS, batteryText, chartData, chartSummary, fuelText, hoursToEmpty, ago, num, visitorsText, chargingText, type T } from './view.js';

const RANGES = [6, 24, 72, 168] as const;
const COLORS: Record<string, string> = { fuel: '#8a5a00', battery: '#1e7b34', visitors: '#1a5fb4', charging: '#6b2fa0' };

export function PointDetail(props: { t: T; locale: string; api: CoordinatorApi; point: string; backHref: string; version: unknown; onAlertChange: () => void }) {
  const { t, locale, api, point } = props;
  const [hours, setHours] = useState<number>(24);
  const [detail, setDetail] = useState<Detail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [steer, setSteer] = useState<string | null>(null);
  const load = () =>
    api.detail(point, hours).then(
      (d) => (setDetail(d), setError(null)),
      (err: unknown) => setError(errorText(err)),
    );
  useEffect(() => {
    void load();
  }, [point, hours, props.version]);
  // New arrays only for new data: a chart redraws when its data changes, not on every render.
  const series = useMemo(() => (detail ? CHARTS.map((c) => ({ ...c, data: chartData(detail.series, c.field) })) : []), [detail]);

  if (!detail) return <p role="status">{error ? t('error', { message: error }) : t('loading')}</p>;
  const p = detail.point;
  const h = hoursToEmpty(t, locale, p.forecast);
  const b = detail.battery;
  const policy = detail.charging?.policy ?? p.status?.chargingStats?.policy ?? null;
  const setPolicy = async (next: 'budget' | 'off') => {
    setSteer(null);
    try {
      await api.chargingPolicy(point, next);
      setSteer(t('charging.sent'));
    } catch (err) {
      setSteer(t('error', { message: errorText(err) }));
    }
  };
  return (
    <section aria-labelledby="co-pd-title" data-detail={point}>
      <p>
        <a href={props.backHref}>{t('detail.back')}</a>
      </p>
      <h2 id="co-pd-title">{t('detail.title', { name: p.name })}</h2>
      {error && <p role="alert">{t('error', { message: error })}</p>}
      <dl class="co-facts">
        <div>
          <dt>{t('col.link')}</dt>
          <dd data-tone={p.online ? 'ok' : 'bad'}>{p.online ? t('link.online', { link: p.link }) : t('link.silent')} · {ago(t, p.lastHeardAt ?? p.receivedAt, detail.to)}</dd>
        </div>
        <div>
          <dt>{t('col.fuel')}</dt>
          <dd>{fuelText(t, locale, p)}</dd>
        </div>
        <div>
          <dt>{t('col.hours')}</dt>
          <dd data-tone={h.tone} data-cell="hours">
            {h.text}
          </dd>
        </div>
        <div>
          <dt>{t('col.battery')}</dt>
          <dd>
            {batteryText(t, locale, p)} · {t('detail.battery', { trend: t(`trend.${b.kind}`) })}
            {b.hoursToFloor !== null ? ` · ${t('trend.toFloor', { h: num(locale, b.hoursToFloor, 1)! })}` : ''}
          </dd>
        </div>
        <div>
          <dt>{t('col.visitors')}</dt>
          <dd>{visitorsText(t, locale, p)}</dd>
        </div>
        <div>
          <dt>{t('col.charging')}</dt>
          <dd>{chargingText(t, locale, p)}</dd>
        </div>
      </dl>

      <fieldset class="co-range">
        <legend>{t('detail.range')}</legend>
        {RANGES.map((n) => (
          <label key={n}>
            <input type="radio" name="co-range" value={n} checked={hours === n} onChange={() => setHours(n)} /> {t('detail.hours', { n })}
          </label>
        ))}
      </fieldset>
      <div class="co-charts">
        {series.map((c) => (
          <Chart key={c.key} id={c.key} label={t(c.label)} summary={chartSummary(t, locale, t(c.label), c.data[1])} data={c.data} color={COLORS[c.key]!} locale={locale} />
        ))}
      </div>

      <section aria-labelledby="co-pd-charging">
        <h3 id="co-pd-charging">{t('charging.title')}</h3>
        <p data-policy={policy ?? 'unknown'}>{t('charging.policy', { policy: policy ? t(`policy.${policy}`) : t('unknown') })}</p>
        {detail.charging && (
          <p>
            {t('charging.stats', {
              sessions: detail.charging.sessionsToday,
              served: detail.charging.servedToday,
              wh: num(locale, detail.charging.energyWhToday)!,
              refused: detail.charging.refusedNoPowerToday,
              queue: detail.charging.queue,
            })}
          </p>
        )}
        <p class="co-buttons">
          <button type="button" class="co-button" onClick={() => void setPolicy('budget')}>
            {t('charging.on')}
          </button>
          <button type="button" class="co-button" onClick={() => void setPolicy('off')}>
            {t('charging.off')}
          </button>
        </p>
        {steer && <p role="status">{steer}</p>}
      </section>

      <section aria-labelledby="co-pd-alerts">
        <h3 id="co-pd-alerts">{t('alerts.title')}</h3>
        <AlertList t={t} locale={locale} api={api} alerts={detail.alerts} onChange={() => (props.onAlertChange(), void load())} />
      </section>
    </section>
  );
}
