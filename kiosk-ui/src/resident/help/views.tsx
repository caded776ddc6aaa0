/** @jsxRuntime automatic */
/** @jsxImportSource preact */
// Citizen help for residents as pure views (rendered by HelpApp in the browser, to a string in tests): the
// overview with "most needed now" and the aggregate counts, the offer and request forms with their privacy
// statement, the one-time withdraw code, and withdrawing with that code. Inputs are uncontrolled (default*
// props): a re-render (language switch, the contact choice) never wipes what someone has typed.
// `plain`: the gateway renders these for a browser without JavaScript (edge-gateway/src/http/help-pages.ts):
// links are real paths and the forms post to them; the app leaves it unset.
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { I18n } from '../../lib/i18n/i18n.js';
import type { Key } from '../../lib/i18n/strings.js';
import type { Translate } from '../../lib/i18n/table.js';
import type { HelpKey } from '../../lib/i18n/tables/help.js';
import { formatClock } from '../../lib/format.js';
import { LangSwitch } from '../../components/LangSwitch.js';
import { HELP_CATEGORIES, URGENCIES, groupCode, type HelpKind, type HelpSummary, type OwnEntry, type Registered } from '../../lib/api/help.js';
import { glanceRows, glanceTotals } from './glance.js';
import { helpLink, helpPath } from './paths.js';

export type T = Translate<HelpKey>;
export type FormError = 'invalid' | 'rate' | 'network';
/** Hours until an entry expires and days until its personal part is erased (from the gateway, when it says). */
export interface Retention {
  entryHours: number;
  personalDays: number;
}

const num = (i18n: I18n, n: number) => new Intl.NumberFormat(i18n.locale()).format(n);
const cat = (i18n: I18n, c: string) => i18n.t(`need.${c}` as Key);

/** Header, language choice and the way back, the same on every help screen. */
export function HelpPage(props: { i18n: I18n; title: string; screen: string; back: 'home' | 'help'; t: T; plain?: boolean | undefined; children: ComponentChildren }) {
  const { i18n, t } = props;
  const lang = i18n.lang.value;
  return (
    <div class="ns-page" data-screen={props.screen}>
      <header class="ns-header">
        <p class="ns-header__kind">{i18n.t('app.title')}</p>
        <h1 class="ns-header__name">{props.title}</h1>
        <LangSwitch i18n={i18n} />
      </header>
      <main class="ns-main">
        <p>
          <a class="ns-back" href={props.back === 'home' ? `/?lang=${lang}` : helpLink('help', lang, props.plain)}>
            {props.back === 'home' ? i18n.t('report.back') : t('back.help')}
          </a>
        </p>
        {props.children}
      </main>
    </div>
  );
}

export function HelpHub({ i18n, t, summary, failed, plain }: { i18n: I18n; t: T; summary: HelpSummary | null; failed: boolean; plain?: boolean | undefined }) {
  const lang = i18n.lang.value;
  return (
    <HelpPage i18n={i18n} t={t} title={t('help.title')} screen="help" back="home" plain={plain}>
      <p class="ns-form__intro">{t('help.intro')}</p>
      <nav class="nh-actions" aria-label={t('help.title')}>
        <a class="ns-action ns-action--primary" href={helpLink('offer', lang, plain)} data-action="offer">
          {t('action.offer')}
        </a>
        <a class="ns-action ns-action--primary" href={helpLink('request', lang, plain)} data-action="request">
          {t('action.request')}
        </a>
        <a class="ns-action" href={helpLink('withdraw', lang, plain)} data-action="withdraw">
          {t('action.withdraw')}
        </a>
        <a class="ns-action" href={helpLink('places', lang, plain)} data-action="places">
          {t('action.places')}
        </a>
      </nav>
      {summary ? <Glance i18n={i18n} t={t} summary={summary} /> : <p class={failed ? 'ns-error' : 'ns-loading'} role="status">{failed ? t('error.network') : i18n.t('loading')}</p>}
    </HelpPage>
  );
}

function Glance({ i18n, t, summary }: { i18n: I18n; t: T; summary: HelpSummary }) {
  const rows = glanceRows(summary);
  const tot = glanceTotals(summary);
  const stats: [HelpKey, number, string][] = [
    ['glance.requests', tot.requests, 'requests'],
    ['glance.offers', tot.offers, 'offers'],
    ['glance.busy', tot.busy, 'busy'],
    ['glance.done', tot.done, 'done'],
  ];
  return (
    <>
      <section class="nh-needed" aria-labelledby="needed-title" data-most-needed={summary.mostNeeded.map((m) => m.category).join(' ')}>
        <h2 id="needed-title">{t('needed.title')}</h2>
        {summary.mostNeeded.length ? (
          <ol class="nh-needed__list">
            {summary.mostNeeded.map((m) => (
              <li key={m.category} data-category={m.category}>
                <strong>{cat(i18n, m.category)}</strong>
                <span>{t('needed.line', { requests: num(i18n, m.openRequests), people: num(i18n, m.people) })}</span>
              </li>
            ))}
          </ol>
        ) : (
          <p>{t('needed.none')}</p>
        )}
      </section>
      <section class="nh-glance" aria-labelledby="glance-title">
        <h2 id="glance-title">{t('glance.title')}</h2>
        <dl class="nh-stats">
          {stats.map(([k, n, id]) => (
            <div key={id} class="nh-stat" data-stat={id}>
              <dt>{t(k)}</dt>
              <dd>{num(i18n, n)}</dd>
            </div>
          ))}
        </dl>
        {rows.length ? (
          <ul class="nh-cats">
            {rows.map((r) => (
              <li key={r.category} class="nh-cat" data-category={r.category} data-requests={r.requests} data-offers={r.offers}>
                <strong>{cat(i18n, r.category)}</strong>
                <span>{t('glance.row', { requests: num(i18n, r.requests), offers: num(i18n, r.offers) })}</span>
                {r.short ? <span class="nh-badge">{t('glance.short')}</span> : null}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t('glance.empty')}</p>
        )}
        <p class="nh-note">
          {t('glance.private')} {t('glance.updated', { time: formatClock(i18n, summary.at) })}
        </p>
      </section>
    </>
  );
}

export type FormView =
  | { phase: 'form'; values: Record<string, string>; error: FormError | null; busy: boolean }
  | { phase: 'done'; registered: Registered };

function Radios(props: {
  name: string;
  legend: string;
  options: readonly { value: string; label: string }[];
  value: string | undefined;
  reqText: string;
  onChange?: (value: string) => void;
}) {
  return (
    <fieldset class="ns-field ns-choices">
      <legend class="ns-field__label">
        {props.legend} <span class="ns-field__req">{props.reqText}</span>
      </legend>
      {props.options.map((o) => (
        <label key={o.value} class="ns-choice">
          <input type="radio" name={props.name} value={o.value} required defaultChecked={props.value === o.value} onChange={() => props.onChange?.(o.value)} />
          <span>{o.label}</span>
        </label>
      ))}
    </fieldset>
  );
}

function Text(props: { name: string; label: string; hint?: string; value: string | undefined; max: number; min?: number; required?: boolean; reqText: string; area?: boolean }) {
  const id = `h-${props.name}`;
  const hintId = props.hint ? `${id}-hint` : undefined;
  const common = {
    id,
    name: props.name,
    maxLength: props.max,
    minLength: props.min,
    required: props.required,
    'aria-describedby': hintId,
    defaultValue: props.value ?? '',
    dir: 'auto' as const,
  };
  return (
    <div class="ns-field">
      <label class="ns-field__label" for={id}>
        {props.label} {props.required ? <span class="ns-field__req">{props.reqText}</span> : null}
      </label>
      {props.hint ? (
        <p class="ns-field__hint" id={hintId}>
          {props.hint}
        </p>
      ) : null}
      {props.area ? <textarea class="ns-input" rows={3} {...common} /> : <input class="ns-input" type="text" {...common} />}
    </div>
  );
}

export function PrivacyStatement({ t, retention }: { t: T; retention: Retention | null }) {
  return (
    <section class="ns-privacy" aria-labelledby="help-privacy-title">
      <h2 id="help-privacy-title">{t('privacy.title')}</h2>
      <p>{t('privacy.what')}</p>
      <p>{t('privacy.who')}</p>
      <p data-retention={retention ? `${retention.entryHours}h ${retention.personalDays}d` : 'unknown'}>
        {retention ? t('privacy.howLong', { hours: retention.entryHours, days: retention.personalDays }) : t('privacy.howLongUnknown')}
      </p>
    </section>
  );
}

export function HelpForm(props: { i18n: I18n; t: T; kind: HelpKind; view: FormView; retention: Retention | null; plain?: boolean | undefined; onSubmit?: (form: HTMLFormElement) => void }) {
  const { i18n, t, kind, view } = props;
  const req = i18n.t('report.required');
  const title = t(kind === 'offer' ? 'offer.title' : 'request.title');
  // the note is required only for "come to my address"
  const [contact, setContact] = useState((view.phase === 'form' && view.values.contact) || 'at-point');
  if (view.phase === 'done') {
    return (
      <HelpPage i18n={i18n} t={t} title={title} screen={`help-${kind}`} back="help" plain={props.plain}>
        <RegisteredView i18n={i18n} t={t} registered={view.registered} plain={props.plain} />
      </HelpPage>
    );
  }
  const v = view.values;
  const lang = i18n.lang.value;
  const cats = HELP_CATEGORIES.map((c) => ({ value: c, label: cat(i18n, c) }));
  return (
    <HelpPage i18n={i18n} t={t} title={title} screen={`help-${kind}`} back="help" plain={props.plain}>
      <form
        class="ns-form"
        data-form={kind}
        method={props.plain ? 'post' : undefined}
        action={props.plain ? helpPath(kind, lang) : undefined}
        onSubmit={(ev) => {
          ev.preventDefault();
          props.onSubmit?.(ev.currentTarget);
        }}
      >
        <p class="ns-form__intro">{t(kind === 'offer' ? 'offer.intro' : 'request.intro')}</p>
        {kind === 'request' ? (
          <p class="nh-urgent">
            <a href={`/report/emergency?lang=${lang}`}>{t('request.emergency')}</a>
          </p>
        ) : null}
        {view.error ? (
          <p class="ns-error" role="alert">
            {t(`error.${view.error}`)}
          </p>
        ) : null}
        <Radios name="category" legend={t(kind === 'offer' ? 'offer.category' : 'request.category')} options={cats} value={v.category} reqText={req} />
        {kind === 'offer' ? (
          <>
            <Text name="what" label={t('offer.what')} hint={t('offer.what.hint')} value={v.what} min={3} max={200} required reqText={req} area />
            <label class="ns-choice">
              <input type="checkbox" name="transport" value="yes" defaultChecked={v.transport === 'yes'} />
              <span>{t('offer.transport')}</span>
            </label>
            <Text name="when" label={t('offer.when')} hint={t('offer.when.hint')} value={v.when} max={120} reqText={req} />
            <Text name="where" label={t('field.where')} value={v.where} max={200} reqText={req} />
          </>
        ) : (
          <>
            <Text name="what" label={t('request.what')} hint={t('request.what.hint')} value={v.what} min={3} max={200} required reqText={req} area />
            <Text name="where" label={t('field.where')} value={v.where} max={200} reqText={req} />
            <Radios name="urgency" legend={t('urgency.legend')} options={URGENCIES.map((u) => ({ value: u, label: t(`urgency.${u}`) }))} value={v.urgency} reqText={req} />
            <div class="ns-field">
              <label class="ns-field__label" for="h-people">
                {t('field.people')}
              </label>
              <p class="ns-field__hint" id="h-people-hint">
                {t('field.people.hint')}
              </p>
              <input class="ns-input ns-input--short" id="h-people" name="people" type="number" inputMode="numeric" min={1} max={999} defaultValue={v.people ?? ''} aria-describedby="h-people-hint" />
            </div>
          </>
        )}
        <Radios
          name="contact"
          legend={t('contact.legend')}
          options={[
            { value: 'at-point', label: t('contact.at-point') },
            { value: 'address', label: t('contact.address') },
          ]}
          value={contact}
          reqText={req}
          onChange={setContact}
        />
        <Text name="note" label={t('contact.note')} hint={t('contact.note.hint')} value={v.note} max={120} required={contact === 'address'} reqText={req} />
        <PrivacyStatement t={t} retention={props.retention} />
        <label class="ns-choice ns-consent">
          <input type="checkbox" name="consent" value="yes" required defaultChecked={v.consent === 'yes'} />
          <span>{t('consent')}</span>
        </label>
        <button class="ns-action ns-action--primary" type="submit" disabled={view.busy}>
          {t(view.busy ? 'sending' : 'send')}
        </button>
      </form>
    </HelpPage>
  );
}

function formatDate(i18n: I18n, ms: number): string {
  return new Intl.DateTimeFormat(i18n.locale(), { weekday: 'long', day: 'numeric', month: 'long', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(ms));
}

export function RegisteredView({ i18n, t, registered, plain }: { i18n: I18n; t: T; registered: Registered; plain?: boolean | undefined }) {
  return (
    <section class="nh-done" aria-labelledby="done-title" data-kind={registered.kind}>
      <div role="status">
        <h2 id="done-title">{t(registered.kind === 'offer' ? 'done.offer' : 'done.request')}</h2>
      </div>
      <p class="nh-code">
        <span>{t('done.code')}</span>{' '}
        <strong dir="ltr" data-code={registered.code}>
          {groupCode(registered.code)}
        </strong>
      </p>
      <p>
        <strong>{t('done.codeKeep')}</strong>
      </p>
      <p>{t('done.next')}</p>
      <p>{t('done.expires', { date: formatDate(i18n, registered.expiresAt) })}</p>
      <p>
        <a class="ns-action" href={helpLink('help', i18n.lang.value, plain)}>
          {t('back.help')}
        </a>
      </p>
    </section>
  );
}

export type WithdrawView =
  | { phase: 'code'; code: string; error: FormError | 'not-found' | null; busy: boolean }
  | { phase: 'found'; code: string; entry: OwnEntry; busy: boolean; error: FormError | 'not-found' | null }
  | { phase: 'done'; entry: OwnEntry };

const TERMINAL = new Set(['done', 'withdrawn', 'expired']);

export function WithdrawScreen(props: { i18n: I18n; t: T; view: WithdrawView; plain?: boolean | undefined; onFind?: (code: string) => void; onConfirm?: () => void }) {
  const { i18n, t, view } = props;
  const err = view.phase !== 'done' ? view.error : null;
  const action = props.plain ? helpPath('withdraw', i18n.lang.value) : undefined;
  const confirm = (busy: boolean) => (
    <button class="ns-action ns-action--urgent" type={props.plain ? 'submit' : 'button'} disabled={busy} onClick={props.plain ? undefined : () => props.onConfirm?.()}>
      {t('withdraw.confirm')}
    </button>
  );
  return (
    <HelpPage i18n={i18n} t={t} title={t('withdraw.title')} screen="help-withdraw" back="help" plain={props.plain}>
      {err ? (
        <p class="ns-error" role="alert">
          {t(err === 'not-found' ? 'withdraw.notFound' : `error.${err}`)}
        </p>
      ) : null}
      {view.phase === 'code' ? (
        <form
          class="ns-form"
          method={action ? 'post' : undefined}
          action={action}
          onSubmit={(ev) => {
            ev.preventDefault();
            const code = new FormData(ev.currentTarget).get('code');
            props.onFind?.(typeof code === 'string' ? code : '');
          }}
        >
          <p class="ns-form__intro">{t('withdraw.intro')}</p>
          <div class="ns-field">
            <label class="ns-field__label" for="h-code">
              {t('withdraw.code')}
            </label>
            <p class="ns-field__hint" id="h-code-hint">
              {t('withdraw.codeHint')}
            </p>
            <input
              class="ns-input nh-code-input"
              id="h-code"
              name="code"
              type="text"
              dir="ltr"
              autoComplete="off"
              autoCapitalize="characters"
              spellcheck={false}
              required
              maxLength={12}
              defaultValue={view.code}
              aria-describedby="h-code-hint"
            />
          </div>
          <button class="ns-action ns-action--primary" type="submit" disabled={view.busy}>
            {t('withdraw.find')}
          </button>
        </form>
      ) : (
        <section class="nh-found" aria-labelledby="found-title" data-status={view.entry.status}>
          <div role="status">
            <h2 id="found-title">{view.phase === 'done' ? t('withdraw.done') : t(view.entry.kind === 'offer' ? 'withdraw.found.offer' : 'withdraw.found.request')}</h2>
          </div>
          <dl class="nh-facts">
            <dt>{t('withdraw.category')}</dt>
            <dd>{cat(i18n, view.entry.category)}</dd>
            <dt>{t('withdraw.state')}</dt>
            <dd>{t(`state.${view.entry.status}`)}</dd>
          </dl>
          {view.phase === 'found' ? (
            TERMINAL.has(view.entry.status) ? (
              <p>{t('withdraw.closed')}</p>
            ) : action ? (
              // without JavaScript the confirmation is a second form post with the code
              <form method="post" action={action}>
                <input type="hidden" name="code" value={view.code} />
                <input type="hidden" name="confirm" value="yes" />
                {confirm(view.busy)}
              </form>
            ) : (
              confirm(view.busy)
            )
          ) : null}
        </section>
      )}
    </HelpPage>
  );
}
