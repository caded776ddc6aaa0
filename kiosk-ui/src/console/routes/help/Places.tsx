// Staff: the neighbourhood directory residents see — add a place, edit it (above all its open/closed status),
// delete it. Places the coordination point sends are shown read-only: its next broadcast replaces them.
import { useEffect, useState } from 'preact/hooks';
import { DIR_SERVICES, PLACE_KINDS, PLACE_STATES, type Directory, type StaffHelpApi } from '../../../lib/api/help.js';
import type { I18n } from '../../../lib/i18n/i18n.js';
import { translator } from '../../../lib/i18n/table.js';
import { helpStaffStrings } from '../../../lib/i18n/tables/help-staff.js';
import { formatDistance } from '../../../resident/directory/geo.js';
import { reasonOf } from '../../../lib/api/client.js';
import { residentTexts, type Msg } from './shared.js';
import { EMPTY_PLACE, formFromPlace, placeFromForm, type PlaceForm } from './staff-logic.js';

export function Places({ i18n, api }: { i18n: I18n; api: StaffHelpApi }) {
  const t = translator(helpStaffStrings, i18n);
  const rt = residentTexts(i18n);
  const [dir, setDir] = useState<Directory | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [form, setForm] = useState<PlaceForm | null>(null);
  const [msg, setMsg] = useState<Msg>(null);
  const [busy, setBusy] = useState(false);

  const load = () =>
    api.directory().then(
      (d) => {
        setDir(d);
        setLoadError(null);
      },
      (err: unknown) => setLoadError(reasonOf(err)),
    );
  useEffect(() => void load(), [api]);

  const run = async (what: () => Promise<unknown>, ok: string) => {
    setBusy(true);
    setMsg(null);
    try {
      await what();
      setMsg({ tone: 'ok', text: ok });
      setForm(null);
      await load();
    } catch (err) {
      setMsg({ tone: 'bad', text: t('msg.failed', { reason: reasonOf(err) }) });
    } finally {
      setBusy(false);
    }
  };
  const save = (ev: Event) => {
    ev.preventDefault();
    if (!form) return;
    const input = placeFromForm(form);
    if (!input) return setMsg({ tone: 'bad', text: t('places.invalid') });
    void run(() => api.savePlace(input), t('places.saved'));
  };
  const set = (k: keyof PlaceForm) => (ev: Event) => setForm(form && { ...form, [k]: (ev.currentTarget as HTMLInputElement).value });

  if (!dir) return <p role="status">{loadError ?? t('loading')}</p>;
  return (
    <section aria-labelledby="places-title" data-list="places">
      <h3 id="places-title">{t('tab.places')}</h3>
      <p>{t('places.intro')}</p>
      <p class="nc-msg" role="status" data-tone={msg?.tone}>
        {msg?.text ?? ''}
      </p>
      <div class="nc-scroll">
        <table class="nc-table" data-table="places">
          <thead>
            <tr>
              <th scope="col">{t('places.name')}</th>
              <th scope="col">{t('places.kind')}</th>
              <th scope="col">{t('places.status')}</th>
              <th scope="col">{t('places.address')}</th>
              <th scope="col">
                <span class="nc-sr">{t('places.edit')}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {dir.places.map((p) => (
              <tr key={p.id} data-place={p.id} data-status={p.status}>
                <th scope="row" dir="auto">
                  {p.name}
                </th>
                <td>{rt[`place.${p.kind}`]}</td>
                <td>{rt[`status.${p.status}`]}</td>
                <td dir="auto">
                  {[p.address, p.distanceM !== null && p.walkMinutes !== null ? t('places.distance', { distance: formatDistance(p.distanceM, i18n.locale()), minutes: p.walkMinutes }) : null]
                    .filter(Boolean)
                    .join(' · ')}
                </td>
                <td>
                  {p.source === 'coordinator' ? (
                    <em>{t('places.fromCoordinator')}</em>
                  ) : (
                    <span class="nc-actions">
                      <button class="nc-button" type="button" data-do="edit" disabled={busy} onClick={() => setForm(formFromPlace(p))}>
                        {t('places.edit')}
                      </button>
                      <button class="nc-button nc-button--danger" type="button" data-do="delete" disabled={busy} onClick={() => void run(() => api.deletePlace(p.id), t('places.deleted'))}>
                        {t('places.delete')}
                      </button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {form ? (
        <form class="nc-form" onSubmit={save} data-form="place">
          <h4>{form.id ? t('places.formEdit', { name: form.name }) : t('places.formNew')}</h4>
          <label for="pl-kind">{t('places.kind')}</label>
          <select id="pl-kind" value={form.kind} onChange={set('kind')}>
            {PLACE_KINDS.map((k) => (
              <option key={k} value={k}>
                {rt[`place.${k}`]}
              </option>
            ))}
          </select>
          <label for="pl-name">{t('places.name')}</label>
          <input id="pl-name" required maxLength={80} value={form.name} onInput={set('name')} />
          <label for="pl-address">{t('places.address')}</label>
          <input id="pl-address" maxLength={120} value={form.address} onInput={set('address')} />
          <label for="pl-lat">{t('places.lat')}</label>
          <input id="pl-lat" required inputMode="decimal" value={form.lat} onInput={set('lat')} />
          <label for="pl-lon">{t('places.lon')}</label>
          <input id="pl-lon" required inputMode="decimal" value={form.lon} onInput={set('lon')} />
          <label for="pl-status">{t('places.status')}</label>
          <select id="pl-status" value={form.status} onChange={set('status')}>
            {PLACE_STATES.map((s) => (
              <option key={s} value={s}>
                {rt[`status.${s}`]}
              </option>
            ))}
          </select>
          <fieldset class="nc-fieldset">
            <legend class="nc-legend">{t('places.services')}</legend>
            {DIR_SERVICES.map((s) => (
              <label key={s} class="nc-check">
                <input
                  type="checkbox"
                  value={s}
                  checked={form.services.includes(s)}
                  onChange={(ev) => setForm({ ...form, services: ev.currentTarget.checked ? [...form.services, s] : form.services.filter((x) => x !== s) })}
                />{' '}
                {rt[`svc.${s}`]}
              </label>
            ))}
          </fieldset>
          <label for="pl-hours">{t('places.hours')}</label>
          <input id="pl-hours" maxLength={80} value={form.hours} onInput={set('hours')} />
          <label for="pl-note">{t('places.note')}</label>
          <input id="pl-note" maxLength={200} value={form.note} onInput={set('note')} />
          <div class="nc-actions">
            <button class="nc-button" type="submit" disabled={busy}>
              {t('places.save')}
            </button>
            <button class="nc-button nc-button--danger" type="button" onClick={() => setForm(null)}>
              {t('places.cancel')}
            </button>
          </div>
        </form>
      ) : (
        <p>
          <button class="nc-button" type="button" data-do="add" onClick={() => setForm({ ...EMPTY_PLACE })}>
            {t('places.add')}
          </button>
        </p>
      )}
    </section>
  );
}
