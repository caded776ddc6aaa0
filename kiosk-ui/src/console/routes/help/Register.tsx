// Staff: register an offer or a request for a resident at the desk (someone without a phone, or who would
// rather say it than type it). Same fields, checks and categories as the resident's own form; the entry is
// marked "by staff", and the withdraw code is shown once so staff can write it down for the resident.
import { useState } from 'preact/hooks';
import { HELP_CATEGORIES, URGENCIES, groupCode, type HelpKind, type Registered, type StaffHelpApi } from '../../../lib/api/help.js';
import type { I18n } from '../../../lib/i18n/i18n.js';
import type { Key } from '../../../lib/i18n/strings.js';
import { translator } from '../../../lib/i18n/table.js';
import { helpStaffStrings } from '../../../lib/i18n/tables/help-staff.js';
import { formToHelpInput } from '../../../resident/help/input.js';
import { reasonOf } from '../../../lib/api/client.js';
import type { Msg } from './shared.js';

export function Register({ i18n, api }: { i18n: I18n; api: StaffHelpApi }) {
  const t = translator(helpStaffStrings, i18n);
  const [kind, setKind] = useState<HelpKind>('request');
  const [contact, setContact] = useState<'at-point' | 'address'>('at-point');
  const [busy, setBusy] = useState(false);
  const [msg, setMsg] = useState<Msg>(null);
  const [done, setDone] = useState<Registered | null>(null);

  const submit = async (ev: Event) => {
    ev.preventDefault();
    const form = ev.currentTarget as HTMLFormElement;
    const fields = Object.fromEntries([...new FormData(form)].map(([k, v]) => [k, String(v)]));
    const input = formToHelpInput(kind, fields);
    if (!input) return setMsg({ tone: 'bad', text: t('new.invalid') });
    setBusy(true);
    setMsg(null);
    try {
      setDone(await ('urgency' in input ? api.request(input) : api.offer(input)));
      form.reset();
      setContact('at-point');
    } catch (err) {
      setMsg({ tone: 'bad', text: t('msg.failed', { reason: reasonOf(err) }) });
    } finally {
      setBusy(false);
    }
  };

  if (done) {
    return (
      <section class="nc-panel" aria-labelledby="new-done" data-registered={done.id}>
        <div role="status">
          <h3 id="new-done">{t(done.kind === 'offer' ? 'new.doneOffer' : 'new.doneRequest')}</h3>
        </div>
        <p>
          {t('new.code')}{' '}
          <strong dir="ltr" data-code={done.code}>
            {groupCode(done.code)}
          </strong>
        </p>
        <p>{t('new.codeHint')}</p>
        <button class="nc-button" type="button" data-do="another" onClick={() => setDone(null)}>
          {t('new.another')}
        </button>
      </section>
    );
  }

  return (
    <form class="nc-form" data-form="staff-help" onSubmit={(ev) => void submit(ev)}>
      <h3>{t('new.title')}</h3>
      <p>{t('new.intro')}</p>
      <p class="nc-msg" role="status" data-tone={msg?.tone}>
        {msg?.text ?? ''}
      </p>
      <fieldset class="nc-fieldset">
        <legend class="nc-legend">{t('new.kind')}</legend>
        {(['request', 'offer'] as const).map((k) => (
          <label key={k} class="nc-check">
            <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} /> {t(`kind.${k}`)}
          </label>
        ))}
      </fieldset>
      <label for="nh-category">{t('new.category')}</label>
      <select id="nh-category" name="category" required>
        <option value="">{t('new.choose')}</option>
        {HELP_CATEGORIES.map((c) => (
          <option key={c} value={c}>
            {i18n.t(`need.${c}` as Key)}
          </option>
        ))}
      </select>
      <label for="nh-what">{t(kind === 'offer' ? 'new.whatOffer' : 'new.whatRequest')}</label>
      <textarea id="nh-what" name="what" required minLength={3} maxLength={200} />
      <label for="nh-where">{t('new.where')}</label>
      <input id="nh-where" name="where" maxLength={200} />
      {kind === 'offer' ? (
        <>
          <label for="nh-when">{t('new.when')}</label>
          <input id="nh-when" name="when" maxLength={120} />
          <label class="nc-check">
            <input type="checkbox" name="transport" value="yes" /> {t('new.transport')}
          </label>
        </>
      ) : (
        <>
          <label for="nh-urgency">{t('new.urgency')}</label>
          <select id="nh-urgency" name="urgency" required>
            {URGENCIES.map((u) => (
              <option key={u} value={u} selected={u === 'normal'}>
                {t(`urgency.${u}`)}
              </option>
            ))}
          </select>
          <label for="nh-people">{t('new.people')}</label>
          <input id="nh-people" name="people" type="number" inputMode="numeric" min={1} max={999} />
        </>
      )}
      <fieldset class="nc-fieldset">
        <legend class="nc-legend">{t('new.contact')}</legend>
        {(['at-point', 'address'] as const).map((m) => (
          <label key={m} class="nc-check">
            <input type="radio" name="contact" value={m} checked={contact === m} onChange={() => setContact(m)} /> {t(`contact.${m}`)}
          </label>
        ))}
      </fieldset>
      <label for="nh-note">{t('new.note')}</label>
      <input id="nh-note" name="note" maxLength={120} required={contact === 'address'} />
      <p class="nc-small">{t('new.privacy')}</p>
      <div class="nc-actions">
        <button class="nc-button" type="submit" disabled={busy}>
          {t('new.save')}
        </button>
      </div>
    </form>
  );
}
