// The resident screen rendered on the gateway: the page works on a phone without JavaScript (or before
// it loads over slow Wi-Fi), and the Preact app takes it over when it runs. Same component, same strings.
import { existsSync, readFileSync } from 'node:fs';
import { repoPaths } from '../paths.js';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { StatusPage } from '../../../kiosk-ui/src/resident/StatusPage.js';
import { createI18n, pickLang } from '../../../kiosk-ui/src/lib/i18n/i18n.js';
import { RTL_LANGS } from '../../../kiosk-ui/src/lib/i18n/strings.js';
import type { StatusData } from './status-view.js';
import { escapeHtml } from './server.js';


export interface PageRequest {
  /** `?lang=` from the address. */
  lang: string | null;
  /** The browser's Accept-Language header. */
  acceptLanguage: string | undefined;
}

function languages(header: string | undefined): string[] {
  return (header ?? '')
    .split(',')
    .map((part) => part.split(';')[0]!.trim())
    .filter(Boolean);
}

export function createResidentPage(uiDir: string | undefined) {
  const indexFile = uiDir ? `${uiDir}/index.html` : null;
  const shell = indexFile && existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : null;
  const css = shell ? '' : readFileSync(repoPaths.fallbackCss, 'utf8');

  return (status: StatusData, req: PageRequest): string => {
    const lang = pickLang([req.lang, ...languages(req.acceptLanguage)]);
    const dir = RTL_LANGS.has(lang) ? 'rtl' : 'ltr';
    const body = renderToString(h(StatusPage, { i18n: createI18n(lang), status, mode: 'polling', lost: false }));
    if (shell) {
      return shell.replace(/<html[^>]*>/, `<html lang="${lang}" dir="${dir}">`).replace('<div id="app"></div>', `<div id="app">${body}</div>`);
    }
    // No built UI: a complete page with the shared stylesheet inlined, refreshed by the browser itself.
    return `<!doctype html>
<html lang="${lang}" dir="${dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="30"><title>${escapeHtml(status.point.name)}</title>
<style>${css}</style></head>
<body>${body}</body>
</html>`;
  };
}
