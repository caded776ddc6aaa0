// The help views rendered for a browser without JavaScript (`plain`, as the gateway does) and for the app
// (no `plain`): real paths and form posts in the first, the app's hash routes and no form targets in the second.
import { h } from 'preact';
import { renderToString } from 'preact-render-to-string';
import { describe, expect, it } from 'vitest';
import { createI18n } from '../../../src/lib/i18n/i18n.js';
import { helpStrings } from '../../../src/lib/i18n/tables/help.js';
import { translate } from '../../../src/resident/help/texts.js';
import { HelpForm, HelpHub, WithdrawScreen, type FormView, type WithdrawView } from '../../../src/resident/help/views.js';
import { HelpLinks } from '../../../src/resident/help/HelpLinks.js';
import { helpPath } from '../../../src/resident/help/paths.js';
import { HELP_SCREENS, helpHref, parseHelpRoute } from '../../../src/resident/help/route.js';
import { createResidentPage } from '../../../../edge-gateway/src/http/resident-page.js';
import { buildStatusData } from '../../../../edge-gateway/src/http/status-view.js';

const ar = createI18n('ar');
const tAr = translate(helpStrings.ar);
const form: FormView = { phase: 'form', values: {}, error: null, busy: false };
const found: WithdrawView = {
  phase: 'found',
  code: 'K7M3QX',
  entry: { id: 'e1', kind: 'offer', category: 'food', status: 'open', createdAt: 0, expiresAt: 1 },
  busy: false,
  error: null,
};

describe('help screens without JavaScript', () => {
  it('real paths for every screen, in the reader\'s language', () => {
    expect(HELP_SCREENS.map((s) => helpPath(s, 'ar'))).toEqual(['/help?lang=ar', '/help/offer?lang=ar', '/help/request?lang=ar', '/help/withdraw?lang=ar', '/places?lang=ar']);
    // the app's hash routes are unchanged
    for (const s of HELP_SCREENS) expect(parseHelpRoute(helpHref(s))).toBe(s);
  });

  it('the hub and the forms link to real paths and post to them; the app gets hash links and no form target', () => {
    const plainHub = renderToString(h(HelpHub, { i18n: ar, t: tAr, summary: null, failed: false, plain: true }));
    expect(plainHub).toContain('href="/help/offer?lang=ar" data-action="offer"');
    expect(plainHub).toContain('href="/places?lang=ar" data-action="places"');
    const appHub = renderToString(h(HelpHub, { i18n: ar, t: tAr, summary: null, failed: false }));
    expect(appHub).toContain('href="#/help/offer" data-action="offer"');
    expect(appHub).not.toContain('/help/offer?');

    const plainForm = renderToString(h(HelpForm, { i18n: ar, t: tAr, kind: 'request', view: form, retention: null, plain: true }));
    expect(plainForm).toContain('<form class="ns-form" data-form="request" method="post" action="/help/request?lang=ar">');
    expect(plainForm).toContain('class="ns-back" href="/help?lang=ar"');
    const appForm = renderToString(h(HelpForm, { i18n: ar, t: tAr, kind: 'request', view: form, retention: null }));
    expect(appForm).toContain('<form class="ns-form" data-form="request">');
    expect(appForm).toContain('class="ns-back" href="#/help"');
  });

  it('withdrawing: the confirmation is a second form post with the code; in the app a button', () => {
    const plain = renderToString(h(WithdrawScreen, { i18n: ar, t: tAr, view: found, plain: true }));
    expect(plain).toMatch(
      /<form method="post" action="\/help\/withdraw\?lang=ar"><input type="hidden" name="code" value="K7M3QX"\/><input type="hidden" name="confirm" value="yes"\/><button class="ns-action ns-action--urgent" type="submit">/,
    );
    const app = renderToString(h(WithdrawScreen, { i18n: ar, t: tAr, view: found }));
    expect(app).toContain('<button class="ns-action ns-action--urgent" type="button">');
    expect(app).not.toContain('<form');
    const code = renderToString(h(WithdrawScreen, { i18n: ar, t: tAr, view: { phase: 'code', code: '', error: null, busy: false }, plain: true }));
    expect(code).toContain('<form class="ns-form" method="post" action="/help/withdraw?lang=ar">');
  });

  it('the start page: real paths from the gateway, hash routes in the app', () => {
    expect(renderToString(h(HelpLinks, { i18n: ar, plain: true }))).toMatch(/href="\/help\?lang=ar" data-help-link="help"[\s\S]*href="\/places\?lang=ar" data-help-link="places"/);
    expect(renderToString(h(HelpLinks, { i18n: ar }))).toContain('href="/?lang=ar#/help" data-help-link="help"');
    const status = buildStatusData({ point: { id: 'p1', name: 'Dorpshuis De Brink', role: 'point' }, registry: null, now: Date.parse('2026-11-27T15:00:00+01:00'), board: { image: null, updatedAt: null } });
    const page = createResidentPage(undefined)(status, { lang: 'nl', acceptLanguage: undefined });
    expect(page).toContain('href="/help?lang=nl" data-help-link="help"');
    expect(page).toContain('href="/places?lang=nl" data-help-link="places"');
  });
});
