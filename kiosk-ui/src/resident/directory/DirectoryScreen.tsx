/** @jsxRuntime automatic */
/** @jsxImportSource preact */
// Where else to go: other noodsteunpunten, shelters, water, first aid — each with its services, whether it is
// open and how far it is to walk — and a schematic map drawn from the coordinates (no tiles, no network).
// The numbers on the map are the numbers in the list, so the list stays the complete, accessible version.
import type { I18n } from '../../lib/i18n/i18n.js';
import { formatClock } from '../../lib/format.js';
import type { Directory, DirectoryPlace } from '../../lib/api/help.js';
import { HelpPage, type T } from '../help/views.js';
import { STATUS_TONE, formatDistance, layoutMap } from './geo.js';

const TONE_ICON = { ok: '✓', warn: '!', bad: '✕', unknown: '?' } as const;

export function DirectoryScreen({ i18n, t, directory, failed }: { i18n: I18n; t: T; directory: Directory | null; failed: boolean }) {
  return (
    <HelpPage i18n={i18n} t={t} title={t('places.title')} screen="places" back="home">
      <p class="ns-form__intro">{t('places.intro')}</p>
      {!directory ? (
        <p class={failed ? 'ns-error' : 'ns-loading'} role="status">
          {failed ? t('error.network') : i18n.t('loading')}
        </p>
      ) : directory.places.length === 0 ? (
        <p>{t('places.empty')}</p>
      ) : (
        <div class="nd-layout">
          <ol class="nd-list">
            {directory.places.map((p, i) => (
              <PlaceItem key={p.id} i18n={i18n} t={t} place={p} n={i + 1} />
            ))}
          </ol>
          <PlacesMap t={t} directory={directory} />
        </div>
      )}
      {directory?.updatedAt ? <p class="nh-note">{t('places.updated', { time: formatClock(i18n, directory.updatedAt) })}</p> : null}
    </HelpPage>
  );
}

function PlaceItem({ i18n, t, place: p, n }: { i18n: I18n; t: T; place: DirectoryPlace; n: number }) {
  const tone = STATUS_TONE[p.status];
  const walk =
    p.distanceM !== null && p.walkMinutes !== null ? t('places.walk', { distance: formatDistance(p.distanceM, i18n.locale()), minutes: p.walkMinutes }) : t('places.far');
  return (
    <li class="nd-place" data-place={p.id} data-status={p.status}>
      <span class="nd-num" aria-hidden="true">
        {n}
      </span>
      <div class="nd-body">
        <h2 class="nd-name" dir="auto">
          {p.name}
        </h2>
        <p class="nd-kind">{t(`place.${p.kind}`)}</p>
        <p class="nd-status" data-tone={tone}>
          <span aria-hidden="true">{TONE_ICON[tone]}</span> {t(`status.${p.status}`)}
        </p>
        {p.hours ? (
          <p class="nd-hours">
            {t('places.hours')}: <bdi>{p.hours}</bdi>
          </p>
        ) : null}
        <p class="nd-walk">{walk}</p>
        {p.address ? (
          <p class="nd-address" dir="auto">
            {p.address}
          </p>
        ) : null}
        {p.services.length ? (
          <p class="nd-services">
            {t('places.services')}: {p.services.map((s) => t(`svc.${s}`)).join(', ')}
          </p>
        ) : null}
        {p.note ? (
          <p class="nd-note" dir="auto">
            {p.note}
          </p>
        ) : null}
        {p.kind === 'point' && p.seenAt !== null ? <p class="nd-seen">{t('places.seen', { time: formatClock(i18n, p.seenAt) })}</p> : null}
      </div>
    </li>
  );
}

const MARK_R = 14;
const MARK_FILL = { ok: '#1e7b34', warn: '#8a5a00', bad: '#b3261e', unknown: '#55606a' } as const;

/** The sketch map: this point in the middle (civil-protection sign), numbered places, a scale bar and north. */
export function PlacesMap({ t, directory }: { t: T; directory: Directory }) {
  const map = layoutMap(directory.origin, directory.places);
  const s = map.size;
  return (
    <figure class="nd-map">
      <figcaption>{t('places.map')}</figcaption>
      <svg viewBox={`0 0 ${s} ${s}`} role="img" aria-label={t('places.mapAlt')} style="direction:ltr">
        <rect x="0.5" y="0.5" width={s - 1} height={s - 1} fill="#f5f7f8" stroke="#55606a" />
        {map.centre ? (
          <g data-mark="here">
            <rect x={map.centre.x - 11} y={map.centre.y - 11} width="22" height="22" fill="#ff8200" />
            <path d={`M${map.centre.x} ${map.centre.y - 8} L${map.centre.x + 8} ${map.centre.y + 6} L${map.centre.x - 8} ${map.centre.y + 6} Z`} fill="#0b2545" />
            <text x={map.centre.x} y={map.centre.y + 27} text-anchor="middle" font-size="13" font-weight="700" fill="#1a1a1a">
              {t('places.here')}
            </text>
          </g>
        ) : null}
        {map.marks.map((m, i) => {
          const p = directory.places[i]!;
          return (
            <g key={p.id} data-mark={m.n}>
              <circle cx={m.x} cy={m.y} r={MARK_R} fill={MARK_FILL[STATUS_TONE[p.status]]} stroke="#ffffff" stroke-width="2" />
              <text x={m.x} y={m.y + 5.5} text-anchor="middle" font-size="16" font-weight="700" fill="#ffffff">
                {m.n}
              </text>
            </g>
          );
        })}
        <g data-mark="north">
          <path d={`M${s - 22} 14 L${s - 14} 34 L${s - 22} 29 L${s - 30} 34 Z`} fill="#1a1a1a" />
          <text x={s - 22} y="50" text-anchor="middle" font-size="13" font-weight="700" fill="#1a1a1a">
            {t('places.north')}
          </text>
        </g>
        {map.scale ? (
          <g data-mark="scale">
            <path d={`M12 ${s - 16} v6 h${map.scale.px} v-6`} fill="none" stroke="#1a1a1a" stroke-width="2" />
            <text x={12 + map.scale.px / 2} y={s - 20} text-anchor="middle" font-size="12" fill="#1a1a1a">
              {map.scale.metres >= 1000 ? `${map.scale.metres / 1000} km` : `${map.scale.metres} m`}
            </text>
          </g>
        ) : null}
      </svg>
    </figure>
  );
}
