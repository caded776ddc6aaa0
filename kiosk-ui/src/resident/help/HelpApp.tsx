// Citizen help and the directory in the browser (its own lazily loaded chunk): fetches the aggregate, posts
// offers and requests, withdraws with the code. The views are pure (views.tsx, ../directory/DirectoryScreen.tsx).
import { useSignal } from '@preact/signals';
import { ApiError } from '../../lib/api/client.js';
import { helpApi, normalizeCode, type Directory, type HelpKind, type HelpSummary } from '../../lib/api/help.js';
import type { I18n } from '../../lib/i18n/i18n.js';
import { usePolled } from '../../lib/use-polled.js';
import { DirectoryScreen } from '../directory/DirectoryScreen.js';
import { formToHelpInput } from './input.js';
import type { HelpScreen } from './route.js';
import { HelpForm, HelpHub, WithdrawScreen, type FormError, type FormView, type T, type WithdrawView } from './views.js';
import './help.css';

const SUMMARY_POLL_MS = 30_000;

function errorOf(err: unknown): FormError {
  if (err instanceof ApiError && err.httpStatus === 429) return 'rate';
  if (err instanceof ApiError && (err.httpStatus === 400 || err.httpStatus === 415)) return 'invalid';
  return 'network';
}

function Hub({ i18n, t }: { i18n: I18n; t: T }) {
  const summary = usePolled<HelpSummary>(helpApi.summary, SUMMARY_POLL_MS, []);
  return <HelpHub i18n={i18n} t={t} summary={summary.data} failed={summary.error !== null} />;
}

function Form({ i18n, t, kind }: { i18n: I18n; t: T; kind: HelpKind }) {
  const view = useSignal<FormView>({ phase: 'form', values: {}, error: null, busy: false });
  const summary = usePolled<HelpSummary>(helpApi.summary, 5 * SUMMARY_POLL_MS, []);
  const onSubmit = (form: HTMLFormElement) => {
    const values: Record<string, string> = {};
    new FormData(form).forEach((v, k) => (values[k] = String(v)));
    const input = formToHelpInput(kind, values);
    if (!input) {
      view.value = { phase: 'form', values, error: 'invalid', busy: false };
      return;
    }
    view.value = { phase: 'form', values, error: null, busy: true };
    (kind === 'offer' ? helpApi.offer(input as never) : helpApi.request(input as never)).then(
      (registered) => {
        view.value = { phase: 'done', registered };
        window.scrollTo(0, 0);
      },
      (err: unknown) => (view.value = { phase: 'form', values, error: errorOf(err), busy: false }),
    );
  };
  return <HelpForm i18n={i18n} t={t} kind={kind} view={view.value} retention={summary.data?.retention ?? null} onSubmit={onSubmit} />;
}

function Withdraw({ i18n, t }: { i18n: I18n; t: T }) {
  const view = useSignal<WithdrawView>({ phase: 'code', code: '', error: null, busy: false });
  const fail = (code: string) => (err: unknown) => {
    const error = err instanceof ApiError && err.httpStatus === 404 ? 'not-found' : errorOf(err);
    view.value = { phase: 'code', code, error, busy: false };
  };
  const onFind = (typed: string) => {
    const code = normalizeCode(typed);
    view.value = { phase: 'code', code: typed, error: null, busy: true };
    helpApi.lookup(code).then((entry) => (view.value = { phase: 'found', code, entry, busy: false, error: null }), fail(typed));
  };
  const onConfirm = () => {
    const v = view.value;
    if (v.phase !== 'found') return;
    view.value = { ...v, busy: true };
    helpApi.withdraw(v.code).then((entry) => (view.value = { phase: 'done', entry }), fail(v.code));
  };
  return <WithdrawScreen i18n={i18n} t={t} view={view.value} onFind={onFind} onConfirm={onConfirm} />;
}

function Places({ i18n, t }: { i18n: I18n; t: T }) {
  const dir = usePolled<Directory>(helpApi.directory, 60_000, []);
  return <DirectoryScreen i18n={i18n} t={t} directory={dir.data} failed={dir.error !== null} />;
}

export function HelpApp({ i18n, screen, t }: { i18n: I18n; screen: HelpScreen; t: T }) {
  if (screen === 'offer' || screen === 'request') return <Form key={screen} i18n={i18n} t={t} kind={screen} />;
  if (screen === 'withdraw') return <Withdraw i18n={i18n} t={t} />;
  if (screen === 'places') return <Places i18n={i18n} t={t} />;
  return <Hub i18n={i18n} t={t} />;
}
