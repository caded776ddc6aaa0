// The report screens in the browser: posts the form as JSON, then shows the receipt and polls it until the
// coordination point has confirmed the report. The page arrives server-rendered (same ReportScreen), so this
// only takes over what is already there.
import { useEffect } from 'preact/hooks';
import { useSignal } from '@preact/signals';
import { ApiError } from '../lib/api/client.js';
import { fetchReceipt, formToInput, submitReport, type ReportKind } from '../lib/api/reports.js';
import type { I18n } from '../lib/i18n/i18n.js';
import { ReportScreen, type ReportError, type ReportView } from './ReportScreen.js';

const POLL_MS = 10_000;

/** `/report/<kind>` or `/report/receipt?r=…` → what to show first. */
export function reportRoute(loc: Pick<Location, 'pathname' | 'search'>): { kind: ReportKind; receipt: string | null } | null {
  const m = /^\/report\/(emergency|need|safe|receipt)$/.exec(loc.pathname);
  if (!m) return null;
  if (m[1] === 'receipt') return { kind: 'emergency', receipt: new URLSearchParams(loc.search).get('r') };
  return { kind: m[1] as ReportKind, receipt: null };
}

function errorOf(err: unknown): ReportError {
  if (err instanceof ApiError && err.httpStatus === 429) return 'rate';
  if (err instanceof ApiError && (err.httpStatus === 400 || err.httpStatus === 415)) return 'invalid';
  return 'network';
}

/** The retention the gateway rendered into the privacy statement (data-retention-days), else 30. */
function retentionDays(): number {
  const n = Number(document.querySelector('[data-retention-days]')?.getAttribute('data-retention-days'));
  return Number.isFinite(n) && n > 0 ? n : 30;
}

export function ReportApp({ i18n, route }: { i18n: I18n; route: { kind: ReportKind; receipt: string | null } }) {
  const view = useSignal<ReportView>(route.receipt === null ? { phase: 'form', values: {}, error: null, busy: false } : { phase: 'receipt', receipt: undefined });
  const days = useSignal(retentionDays());
  const receipt = view.value.phase === 'receipt' ? (view.value.receipt ?? null) : null;
  const key = route.receipt ?? receipt?.receipt ?? null;
  const done = receipt?.status === 'confirmed';

  useEffect(() => {
    if (!key || done) return;
    let stop = false;
    const poll = () =>
      fetchReceipt(key).then(
        (r) => !stop && (view.value = { phase: 'receipt', receipt: r }),
        (err: unknown) => {
          if (!stop && err instanceof ApiError && err.httpStatus === 404) view.value = { phase: 'receipt', receipt: null };
        },
      );
    if (!receipt) void poll();
    const timer = setInterval(() => void poll(), POLL_MS);
    return () => {
      stop = true;
      clearInterval(timer);
    };
  }, [key, done]);

  const onSubmit = (form: HTMLFormElement) => {
    const values: Record<string, string> = {};
    new FormData(form).forEach((v, k) => (values[k] = String(v)));
    view.value = { phase: 'form', values, error: null, busy: true };
    submitReport(route.kind, formToInput(route.kind, values)).then(
      (r) => {
        view.value = { phase: 'receipt', receipt: r };
        // the address now names the receipt: a reload or bookmark shows this report's status
        history.replaceState(null, '', `/report/receipt?r=${encodeURIComponent(r.receipt)}&lang=${i18n.lang.value}`);
        window.scrollTo(0, 0);
      },
      (err: unknown) => (view.value = { phase: 'form', values, error: errorOf(err), busy: false }),
    );
  };

  return <ReportScreen i18n={i18n} kind={receipt?.kind ?? route.kind} view={view.value} retentionDays={days.value} onSubmit={onSubmit} />;
}
