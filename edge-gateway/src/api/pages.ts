// Server-rendered report screens for browsers without JavaScript (old phones, slow Wi-Fi before the app
// loads): the same ReportScreen component as the app, posted as a plain form, answered Post/Redirect/Get.
import { existsSync, readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { ReportScreen, type ReportError, type ReportView } from '../../../kiosk-ui/src/resident/ReportScreen.js';
import { createI18n, pickLang } from '../../../kiosk-ui/src/lib/i18n/i18n.js';
import { RTL_LANGS } from '../../../kiosk-ui/src/lib/i18n/strings.js';
import { repoPaths } from '../paths.js';
import { escapeHtml, type Reply } from '../http/server.js';
import { readForm } from './http-input.js';
import { INPUTS, fromForm, type ReportKind } from './reports/schemas.js';
import type { ReportService } from './reports/service.js';

export interface ReportPages {
  form(kind: ReportKind, req: IncomingMessage, url: URL): Reply;
  submit(kind: ReportKind, req: IncomingMessage, url: URL): Promise<Reply>;
  refused(kind: ReportKind, req: IncomingMessage, url: URL, error: ReportError): Reply;
  receipt(req: IncomingMessage, url: URL): Reply;
}

function langOf(req: IncomingMessage, url: URL) {
  const accepted = (req.headers['accept-language'] ?? '').split(',').map((p) => p.split(';')[0]!.trim());
  return pickLang([url.searchParams.get('lang'), ...accepted]);
}

export function createReportPages(opts: { uiDir: string | undefined; reports: ReportService; retentionDays: number }): ReportPages {
  const indexFile = opts.uiDir ? `${opts.uiDir}/index.html` : null;
  const shell = indexFile && existsSync(indexFile) ? readFileSync(indexFile, 'utf8') : null;
  const css = shell ? '' : readFileSync(repoPaths.fallbackCss, 'utf8');

  const page = (req: IncomingMessage, url: URL, kind: ReportKind, view: ReportView, status = 200): Reply => {
    const lang = langOf(req, url);
    const i18n = createI18n(lang);
    const dir = RTL_LANGS.has(lang) ? 'rtl' : 'ltr';
    const body = renderToString(h(ReportScreen, { i18n, kind, view, retentionDays: opts.retentionDays }));
    const title = escapeHtml(i18n.t(view.phase === 'receipt' ? 'receipt.title' : `report.${kind}.title`));
    const app = `<div id="app" data-retention-days="${opts.retentionDays}">${body}</div>`;
    if (shell) {
      const html = shell
        .replace(/<html[^>]*>/, `<html lang="${lang}" dir="${dir}">`)
        .replace(/<title>[^<]*<\/title>/, `<title>${title}</title>`)
        .replace('<div id="app"></div>', app);
      return { kind: 'html', status, body: html };
    }
    return {
      kind: 'html',
      status,
      body: `<!doctype html>
<html lang="${lang}" dir="${dir}">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title><style>${css}</style></head>
<body>${app}</body>
</html>`,
    };
  };

  return {
    form: (kind, req, url) => page(req, url, kind, { phase: 'form', values: {}, error: null, busy: false }),
    refused: (kind, req, url, error) => page(req, url, kind, { phase: 'form', values: {}, error, busy: false }, 429),
    async submit(kind, req, url) {
      const values = await readForm(req);
      const parsed = INPUTS[kind].safeParse(fromForm(kind, values));
      if (!parsed.success) return page(req, url, kind, { phase: 'form', values, error: 'invalid', busy: false }, 400);
      const r = opts.reports.submit(kind, parsed.data as never);
      const location = `/report/receipt?r=${encodeURIComponent(r.receipt)}&lang=${langOf(req, url)}`;
      return { kind: 'html', status: 303, headers: { Location: location }, body: `<a href="${escapeHtml(location)}">${escapeHtml(location)}</a>` };
    },
    receipt(req, url) {
      const r = opts.reports.lookup(url.searchParams.get('r') ?? '');
      return page(req, url, r?.kind ?? 'emergency', { phase: 'receipt', receipt: r }, r ? 200 : 404);
    },
  };
}
