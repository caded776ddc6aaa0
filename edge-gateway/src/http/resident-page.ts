// The resident screens rendered on the gateway: each page works on a phone without JavaScript (or before
// it loads over slow Wi-Fi), and the Preact app takes it over when it runs. Same components, same strings.
// The status page carries the board's content and hands what it was rendered with to the app (a JSON
// data block), so the app starts from the same state without a request.
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { repoPaths } from '../paths.js';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { StatusPage } from '../../../kiosk-ui/src/resident/StatusPage.js';
import { initialScript } from '../../../kiosk-ui/src/resident/initial.js';
import type { BoardContent as UiBoardContent } from '../../../kiosk-ui/src/lib/api/board.js';
import { createI18n, pickLang, type I18n } from '../../../kiosk-ui/src/lib/i18n/i18n.js';
import { RTL_LANGS } from '../../../kiosk-ui/src/lib/i18n/strings.js';
import type { BoardContent } from '../board/content.js';
import type { StatusData } from './status-view.js';
import { escapeHtml } from './server.js';

export interface PageRequest {
  /** `?lang=` from the address. */
  lang: string | null;
  /** The browser's Accept-Language header. */
  acceptLanguage: string | undefined;
}

/** The page's language inputs from a request: `?lang=` in the address and the browser's Accept-Language. */
export function pageRequest(req: IncomingMessage, url: URL): PageRequest {
  return { lang: url.searchParams.get('lang'), acceptLanguage: req.headers['accept-language'] };
}

function languages(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((part) => part.split(';')[0]!.trim())
    .filter(Boolean);
}

export interface ShellOptions {
  title: string;
  /** Server-rendered markup for `<div id="app">`. */
  body: string;
  /** Before `<div id="app">` (e.g. the initial-data block). */
  before?: string;
  /** Extra `<head>` markup (e.g. a `<noscript>` refresh for pages that change by themselves). */
  head?: string;
  /** Without the built UI the page refreshes itself this often (s). */
  refreshS?: number;
}

export interface ShellSetup {
  /**
   * Pages the app never takes over: the built UI's scripts and module preloads come out of `<head>` and
   * this stylesheet goes in (what the app would load with the page's own chunk).
   */
  withoutApp?: { css: string };
}

/** The built index.html without the app's scripts in its `<head>` (done once per shell, not per page). */
function stripApp(html: string): string {
  const end = html.indexOf('</head>');
  if (end < 0) return html;
  const head = html
    .slice(0, end)
    .replace(/<script\b[^>]*>[\s\S]*?<\/script>\s*/g, '')
    .replace(/<link rel="modulepreload"[^>]*>\s*/g, '');
  return head + html.slice(end);
}

/**
 * Wraps server-rendered markup in the built UI's index.html (its stylesheet and script), or, without a
 * built UI, in a minimal page with the shared stylesheet inlined.
 */
export function createPageShell(uiDir: string | undefined, setup: ShellSetup = {}) {
  const indexFile = uiDir ? `${uiDir}/index.html` : null;
  const built = indexFile && existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : null;
  const shell = built !== null && setup.withoutApp ? stripApp(built) : built;
  const css = shell ? '' : readFileSync(repoPaths.fallbackCss, 'utf8');
  const extraCss = setup.withoutApp ? `<style>${setup.withoutApp.css}</style>` : '';

  return (req: PageRequest, render: (i18n: I18n) => ShellOptions): string => {
    const lang = pickLang([req.lang, ...languages(req.acceptLanguage)]);
    const dir = RTL_LANGS.has(lang) ? 'rtl' : 'ltr';
    const o = render(createI18n(lang));
    const app = `${o.before ?? ''}<div id="app">${o.body}</div>`;
    if (shell) {
      return shell
        .replace(/<html[^>]*>/, `<html lang="${lang}" dir="${dir}">`)
        .replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(o.title)}</title>`)
        .replace('</head>', () => `${o.head ?? ''}${extraCss}</head>`)
        .replace('<div id="app"></div>', () => app);
    }
    return `<!doctype html>
<html lang="${lang}" dir="${dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
${o.refreshS ? `<meta http-equiv="refresh" content="${o.refreshS}">` : ''}<title>${escapeHtml(o.title)}</title>
<style>${css}</style>${extraCss}</head>
<body>${app}</body>
</html>`;
  };
}

/** The status page: `content` is the board's current content (absent: the page shows empty questions). */
export function createResidentPage(uiDir: string | undefined) {
  const page = createPageShell(uiDir);
  return (status: StatusData, req: PageRequest, content?: BoardContent | null): string =>
    page(req, (i18n) => {
      // the board's zod type and the UI's contract type describe the same JSON
      const c = content as UiBoardContent | null | undefined;
      return {
        title: `${status.point.name} · ${i18n.t('app.title')}`,
        // plain: the help links are the no-JS pages' real paths (the app turns them into its hash routes)
        body: renderToString(h(StatusPage, { i18n, status, mode: 'polling', lost: false, content: c, plain: true })),
        before: initialScript(content === undefined ? { status } : { status, content: c ?? null }),
        head: '<noscript><meta http-equiv="refresh" content="60"></noscript>',
        refreshS: 30,
      };
    });
}
