/** @jsxRuntime automatic */
/** @jsxImportSource preact */
// The resident report screens (emergency, needs, "I am safe") as a pure view: a plain <form method=post>
// that works without JavaScript (the gateway renders it, see edge-gateway/src/api/pages.ts); with
// JavaScript, ReportApp intercepts the submit and posts JSON. Then the receipt: when the report was sent
// and when the coordination point confirmed it.
import type { I18n } from '../lib/i18n/i18n.js';
import type { Key } from '../lib/i18n/strings.js';
import { EMERGENCY_KINDS, NEED_CATEGORIES, type Receipt, type ReportKind } from '../lib/api/reports.js';
import { formatClock } from '../lib/format.js';
import { LangSwitch } from '../components/LangSwitch.js';

export type ReportError = 'invalid' | 'rate' | 'network';

export type ReportView =
  | { phase: 'form'; values: Record<string, string>; error: ReportError | null; busy: boolean }
  /** receipt: undefined while it loads, null when the gateway does not know it. */
  | { phase: 'receipt'; receipt: Receipt | null | undefined };

export interface ReportScreenProps {
  i18n: I18n;
  kind: ReportKind;
  view: ReportView;
  /** Days after which personal fields are erased (shown in the privacy statement). */
  retentionDays: number;
  onSubmit?: (form: HTMLFormElement) => void;
}

const TITLE: Record<ReportKind, Key> = { emergency: 'report.emergency.title', need: 'report.need.title', safe: 'report.safe.title' };
const INTRO: Record<ReportKind, Key> = { emergency: 'report.emergency.intro', need: 'report.need.intro', safe: 'report.safe.intro' };
const ERROR: Record<ReportError, Key> = { invalid: 'report.error.invalid', rate: 'report.error.rate', network: 'report.error.network' };

function Choices(props: { i18n: I18n; name: string; legend: Key; options: readonly string[]; prefix: string; value: string | undefined }) {
  const t = props.i18n.t;
  return (
    <fieldset class="ns-field ns-choices">
      <legend class="ns-field__label">
        {t(props.legend)} <span class="ns-field__req">{t('report.required')}</span>
      </legend>
      {props.options.map((o) => (
        <label key={o} class="ns-choice">
          <input type="radio" name={props.name} value={o} required checked={props.value === o} />
          <span>{t(`${props.prefix}.${o}` as Key)}</span>
        </label>
      ))}
    </fieldset>
  );
}

function TextField(props: { i18n: I18n; name: string; label: Key; hint?: Key; value: string | undefined; required?: boolean; max: number; area?: boolean }) {
  const t = props.i18n.t;
  const id = `f-${props.name}`;
  const hintId = props.hint ? `${id}-hint` : undefined;
  const common = { id, name: props.name, maxLength: props.max, required: props.required, 'aria-describedby': hintId, value: props.value ?? '', dir: 'auto' as const };
  return (
    <div class="ns-field">
      <label class="ns-field__label" for={id}>
        {t(props.label)} {props.required ? <span class="ns-field__req">{t('report.required')}</span> : null}
      </label>
      {props.hint ? (
        <p class="ns-field__hint" id={hintId}>
          {t(props.hint)}
        </p>
      ) : null}
      {props.area ? <textarea class="ns-input" rows={3} {...common} /> : <input class="ns-input" type="text" {...common} />}
    </div>
  );
}

function PeopleField({ i18n, value }: { i18n: I18n; value: string | undefined }) {
  return (
    <div class="ns-field">
      <label class="ns-field__label" for="f-people">
        {i18n.t('report.people')}
      </label>
      <p class="ns-field__hint" id="f-people-hint">
        {i18n.t('report.people.hint')}
      </p>
      <input class="ns-input ns-input--short" id="f-people" name="people" type="number" inputMode="numeric" min={1} max={999} value={value ?? ''} aria-describedby="f-people-hint" />
    </div>
  );
}

function ReceiptView({ i18n, receipt }: { i18n: I18n; receipt: Receipt | null | undefined }) {
  const t = i18n.t;
  if (receipt === undefined) return <p class="ns-loading" role="status">{t('loading')}</p>;
  if (!receipt) return <p class="ns-error" role="alert">{t('receipt.notFound')}</p>;
  const at = (ms: number) => formatClock(i18n, ms);
  return (
    <section class="ns-receipt" aria-labelledby="receipt-title" data-status={receipt.status}>
      <h2 id="receipt-title">{t('receipt.title')}</h2>
      <div role="status">
      <ol class="ns-receipt__steps">
        <li data-done="true">{t('receipt.submitted', { time: at(receipt.createdAt) })}</li>
        <li data-done={receipt.sentAt !== null ? 'true' : 'false'}>{receipt.sentAt !== null ? t('receipt.sent', { time: at(receipt.sentAt) }) : t('receipt.sentWaiting')}</li>
        <li data-done={receipt.confirmedAt !== null ? 'true' : 'false'}>
          {receipt.confirmedAt !== null ? t('receipt.confirmed', { time: at(receipt.confirmedAt) }) : t('receipt.confirmWaiting')}
        </li>
      </ol>
      </div>
      <p>{t('receipt.keep')}</p>
      <a class="ns-action" href={`/report/receipt?r=${encodeURIComponent(receipt.receipt)}&lang=${i18n.lang.value}`}>
        {t('receipt.refresh')}
      </a>
    </section>
  );
}

export function ReportScreen({ i18n, kind, view, retentionDays, onSubmit }: ReportScreenProps) {
  const t = i18n.t;
  const v = view.phase === 'form' ? view.values : {};
  return (
    <div class="ns-page" data-screen={`report-${kind}`}>
      <header class="ns-header">
        <p class="ns-header__kind">{t('app.title')}</p>
        <h1 class="ns-header__name">{t(view.phase === 'receipt' ? 'receipt.title' : TITLE[kind])}</h1>
        <LangSwitch i18n={i18n} />
      </header>
      <main class="ns-main">
        <p>
          <a class="ns-back" href={`/?lang=${i18n.lang.value}`}>
            {t('report.back')}
          </a>
        </p>
        {view.phase === 'receipt' ? (
          <ReceiptView i18n={i18n} receipt={view.receipt} />
        ) : (
          <form
            class="ns-form"
            method="post"
            action={`/report/${kind}?lang=${i18n.lang.value}`}
            onSubmit={(ev) => {
              if (!onSubmit) return;
              ev.preventDefault();
              onSubmit(ev.currentTarget);
            }}
          >
            <p class="ns-form__intro">{t(INTRO[kind])}</p>
            {view.error ? (
              <p class="ns-error" role="alert">
                {t(ERROR[view.error])}
              </p>
            ) : null}
            {kind === 'emergency' ? (
              <>
                <Choices i18n={i18n} name="what" legend="report.what" options={EMERGENCY_KINDS} prefix="what" value={v.what} />
                <TextField i18n={i18n} name="where" label="report.where" hint="report.where.hint" value={v.where} required max={200} />
                <PeopleField i18n={i18n} value={v.people} />
                <TextField i18n={i18n} name="details" label="report.details" value={v.details} max={500} area />
              </>
            ) : kind === 'need' ? (
              <>
                <Choices i18n={i18n} name="category" legend="report.category" options={NEED_CATEGORIES} prefix="need" value={v.category} />
                <PeopleField i18n={i18n} value={v.people} />
                <TextField i18n={i18n} name="where" label="report.needWhere" value={v.where} max={200} />
                <TextField i18n={i18n} name="details" label="report.details" value={v.details} max={300} area />
              </>
            ) : (
              <>
                <section class="ns-privacy" aria-labelledby="privacy-title">
                  <h2 id="privacy-title">{t('privacy.title')}</h2>
                  <p>{t('privacy.body', { days: retentionDays })}</p>
                </section>
                <TextField i18n={i18n} name="name" label="report.name" value={v.name} required max={80} />
                <TextField i18n={i18n} name="message" label="report.message" value={v.message} max={200} area />
                <label class="ns-choice ns-consent">
                  <input type="checkbox" name="consent" value="yes" required checked={v.consent === 'yes'} />
                  <span>{t('privacy.consent')}</span>
                </label>
              </>
            )}
            <button class="ns-action ns-action--primary" type="submit" disabled={view.busy}>
              {t(view.busy ? 'report.sending' : 'report.send')}
            </button>
          </form>
        )}
      </main>
    </div>
  );
}

/** The links on the resident page to the report screens. */
export function ReportLinks({ i18n }: { i18n: I18n }) {
  const t = i18n.t;
  const lang = i18n.lang.value;
  return (
    <nav class="ns-reports" aria-labelledby="reports-title">
      <h2 id="reports-title">{t('report.menu')}</h2>
      <a class="ns-action ns-action--urgent" href={`/report/emergency?lang=${lang}`} data-report="emergency">
        {t('report.emergency.link')}
      </a>
      <a class="ns-action" href={`/report/need?lang=${lang}`} data-report="need">
        {t('report.need.link')}
      </a>
      <a class="ns-action" href={`/report/safe?lang=${lang}`} data-report="safe">
        {t('report.safe.link')}
      </a>
    </nav>
  );
}
