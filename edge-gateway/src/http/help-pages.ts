// Citizen help and the neighbourhood directory for browsers without JavaScript: the same views the app shows
// (kiosk-ui/src/resident/help/views.tsx, directory/DirectoryScreen.tsx) rendered here with `plain` set, so
// links are real paths and forms post to them. Unlike the charging page these pages do not load the app:
// a page that answers a post (the withdraw code, a form with its error) must stay as it is, and the app's
// help screens start empty. With JavaScript the start page's help links are the app's hash routes instead.
// Answers to posts are rendered directly (no redirect): the withdraw code must not travel in an address.
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { HelpForm, HelpHub, WithdrawScreen, type FormError, type FormView, type T, type WithdrawView } from '../../../kiosk-ui/src/resident/help/views.js';
import { DirectoryScreen } from '../../../kiosk-ui/src/resident/directory/DirectoryScreen.js';
import { formToHelpInput } from '../../../kiosk-ui/src/resident/help/input.js';
import { helpPath, type HelpScreen } from '../../../kiosk-ui/src/resident/help/paths.js';
import type { Directory, HelpKind, HelpSummary as UiHelpSummary, OwnEntry as UiOwnEntry, Registered as UiRegistered } from '../../../kiosk-ui/src/lib/api/help.js';
import type { I18n } from '../../../kiosk-ui/src/lib/i18n/i18n.js';
import { translator } from '../../../kiosk-ui/src/lib/i18n/table.js';
import { helpStrings } from '../../../kiosk-ui/src/lib/i18n/tables/help.js';
import type { ApiModule, ApiRoute } from '../api/index.js';
import { readForm } from '../api/http-input.js';
import { normalizeCode } from '../help/code.js';
import { OfferInput, RequestInput } from '../help/schemas.js';
import { HelpError, type HelpService } from '../help/service.js';
import type { DirectoryService } from '../directory/service.js';
import { REPO_ROOT } from '../paths.js';
import { HttpError, type Reply, type ReplyHeaders } from './server.js';
import { createPageShell, pageRequest } from './resident-page.js';

/** The help screens' own stylesheet: in the app it comes with their lazily loaded chunk. */
const HELP_CSS_FILE = join(REPO_ROOT, 'kiosk-ui', 'src', 'resident', 'help', 'help.css');

const FORM_FIELDS = ['category', 'what', 'transport', 'when', 'where', 'urgency', 'people', 'contact', 'note', 'consent'] as const;

/** Only the fields the form has, each as typed (kept when the form comes back with an error). */
function formValues(raw: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const k of FORM_FIELDS) if (typeof raw[k] === 'string') out[k] = raw[k];
  return out;
}

/** The help and directory screens' no-JS routes; a service that is null (documentation, or not run here) answers 404. */
export function helpPagesApi(help: HelpService | null, directory: DirectoryService | null, opts: { uiDir?: string | undefined } = {}): ApiModule {
  return (ctx) => {
    const shell = createPageShell(opts.uiDir, { withoutApp: { css: readFileSync(HELP_CSS_FILE, 'utf8') } });
    const needHelp = (): HelpService => {
      if (!help) throw new HttpError(404, 'this gateway does not run citizen help');
      return help;
    };
    const needDirectory = (): DirectoryService => {
      if (!directory) throw new HttpError(404, 'this gateway does not run the neighbourhood directory');
      return directory;
    };

    const page = (req: IncomingMessage, url: URL, title: (t: T) => string, view: (i18n: I18n, t: T) => string, status = 200, headers?: ReplyHeaders): Reply => ({
      kind: 'html',
      status,
      ...(headers ? { headers } : {}),
      body: shell(pageRequest(req, url), (i18n) => {
        const t = translator(helpStrings, i18n);
        return { title: `${title(t)} · ${i18n.t('app.title')}`, body: view(i18n, t) };
      }),
    });
    // the gateway's aggregate and the app's contract type describe the same JSON
    const summary = (s: HelpService) => s.summary() as UiHelpSummary;

    const formPage = (req: IncomingMessage, url: URL, kind: HelpKind, view: FormView, status = 200, headers?: ReplyHeaders) => {
      const retention = needHelp().retention();
      return page(req, url, (t) => t(kind === 'offer' ? 'offer.title' : 'request.title'), (i18n, t) => renderToString(h(HelpForm, { i18n, t, kind, view, retention, plain: true })), status, headers);
    };
    const formError = (values: Record<string, string>, error: FormError): FormView => ({ phase: 'form', values, error, busy: false });

    const withdrawPage = (req: IncomingMessage, url: URL, view: WithdrawView, status = 200, headers?: ReplyHeaders) =>
      page(req, url, (t) => t('withdraw.title'), (i18n, t) => renderToString(h(WithdrawScreen, { i18n, t, view, plain: true })), status, headers);

    /**
     * Same-origin and the resident rate limit, then the form. Over the limit `refused` is the answer: the
     * caller's page with "try later" (429), filled in as it was, so nothing typed is lost.
     */
    const residentForm = async (req: IncomingMessage, refused: (values: Record<string, string>, headers: ReplyHeaders) => Reply): Promise<{ form: Record<string, string> } | { reply: Reply }> => {
      try {
        ctx.resident(req);
      } catch (err) {
        if (!(err instanceof HttpError) || err.status !== 429) throw err;
        const values = await readForm(req).catch(() => ({}));
        return { reply: refused(values, err.headers ?? {}) };
      }
      return { form: await readForm(req) };
    };

    const formRoutes = (kind: HelpKind): ApiRoute[] => {
      const path = helpScreenPath(kind);
      const fields =
        kind === 'offer'
          ? '`category`, `what`, `transport=yes`, `when`, `where`, `contact` at-point|address, `note`, `consent=yes`'
          : '`category`, `what`, `where`, `urgency`, `people`, `contact` at-point|address, `note`, `consent=yes`';
      return [
        {
          method: 'GET', path, access: 'public', input: 'query `lang`', output: `HTML ${kind} form`,
          summary: `No-JavaScript page: the citizen-help ${kind} form (the app shows it at \`/#${path}\`).`,
          handler: (req, url) => formPage(req, url, kind, { phase: 'form', values: {}, error: null, busy: false }),
        },
        {
          method: 'POST', path, access: 'resident', input: `form ${fields}`,
          output: 'HTML page with the withdraw code; 400 the form again with the values and the error; 429 the same with “try later”',
          summary: `No-JavaScript page: registers the ${kind} (same checks as POST /api/help/${kind}s).`,
          handler: async (req, url) => {
            const s = needHelp();
            const r = await residentForm(req, (values, headers) => formPage(req, url, kind, formError(formValues(values), 'rate'), 429, headers));
            if ('reply' in r) return r.reply;
            const values = formValues(r.form);
            // an old browser may not enforce `required`: the consent is checked here too
            const shaped = values.consent === 'yes' ? formToHelpInput(kind, values) : null;
            const parsed = shaped ? (kind === 'offer' ? OfferInput : RequestInput).safeParse(shaped) : null;
            if (!parsed?.success) return formPage(req, url, kind, formError(values, 'invalid'), 400);
            const registered = (kind === 'offer' ? s.registerOffer(parsed.data as OfferInput, 'resident') : s.registerRequest(parsed.data as RequestInput, 'resident')) as UiRegistered;
            // the code is shown once: no copy in a cache
            return formPage(req, url, kind, { phase: 'done', registered }, 200, { 'Cache-Control': 'no-store' });
          },
        },
      ];
    };

    const routes: ApiRoute[] = [
      {
        method: 'GET', path: helpScreenPath('help'), access: 'public', input: 'query `lang`',
        output: 'HTML: what is most needed now, the counts per category, links to offer, ask, withdraw and other places',
        summary: 'No-JavaScript page: citizen help at a glance (the app shows it at `/#/help`).',
        handler: (req, url) => {
          const s = summary(needHelp());
          return page(req, url, (t) => t('help.title'), (i18n, t) => renderToString(h(HelpHub, { i18n, t, summary: s, failed: false, plain: true })));
        },
      },
      ...formRoutes('offer'),
      ...formRoutes('request'),
      {
        method: 'GET', path: helpScreenPath('withdraw'), access: 'public', input: 'query `lang`', output: 'HTML form for the withdraw code',
        summary: 'No-JavaScript page: withdraw an own offer or request with its code.',
        handler: (req, url) => {
          needHelp();
          return withdrawPage(req, url, { phase: 'code', code: '', error: null, busy: false });
        },
      },
      {
        method: 'POST', path: helpScreenPath('withdraw'), access: 'resident', input: 'form `code`; `confirm=yes` to withdraw',
        output: 'HTML: the entry behind the code with a confirm button, or (confirm) withdrawn; 404 the code form with “not found”; 429 “try later”',
        summary: 'No-JavaScript page: looks up the entry behind a withdraw code, then withdraws it.',
        handler: async (req, url) => {
          const s = needHelp();
          const r = await residentForm(req, (values, headers) => withdrawPage(req, url, { phase: 'code', code: (values.code ?? '').slice(0, 40), error: 'rate', busy: false }, 429, headers));
          if ('reply' in r) return r.reply;
          const form = r.form;
          const typed = (form.code ?? '').slice(0, 40);
          const code = normalizeCode(typed);
          const notFound = () => withdrawPage(req, url, { phase: 'code', code: typed, error: 'not-found', busy: false }, 404);
          const entry = code ? (s.lookup(code) as UiOwnEntry | null) : null;
          if (!code || !entry) return notFound();
          if (form.confirm !== 'yes') return withdrawPage(req, url, { phase: 'found', code, entry, busy: false, error: null });
          try {
            return withdrawPage(req, url, { phase: 'done', entry: s.withdrawWithCode(code) as UiOwnEntry });
          } catch (err) {
            // already closed (done, withdrawn, expired): the entry as it stands, which says so
            if (err instanceof HelpError) return withdrawPage(req, url, { phase: 'found', code, entry, busy: false, error: null }, 409);
            throw err;
          }
        },
      },
      {
        method: 'GET', path: helpScreenPath('places'), access: 'public', input: 'query `lang`',
        output: 'HTML: nearby places nearest first (status, services, distance, walking minutes) and the sketch map (inline SVG)',
        summary: 'No-JavaScript page: the neighbourhood directory (the app shows it at `/#/places`).',
        handler: (req, url) => {
          // the directory's view and the app's contract type describe the same JSON
          const d = needDirectory().view() as Directory;
          return page(req, url, (t) => t('places.title'), (i18n, t) => renderToString(h(DirectoryScreen, { i18n, t, directory: d, failed: false })));
        },
      },
    ];
    return routes;
  };
}

function helpScreenPath(screen: HelpScreen): string {
  return helpPath(screen, '').replace(/\?.*$/, '');
}
