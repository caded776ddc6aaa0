// The gateway's server-rendered resident pages (edge-gateway/src/http/resident-page.ts): the status page
// carries the board's content for a browser without JavaScript, and hands it to the app in a data block.
import { describe, expect, it } from 'vitest';
import { createResidentPage } from '../../../edge-gateway/src/http/resident-page.js';
import { sampleContent } from '../../../edge-gateway/src/board/sample-content.js';
import { buildStatusData } from '../../../edge-gateway/src/http/status-view.js';
import { INITIAL_ID } from '../../src/resident/initial.js';

const status = buildStatusData({ point: { id: 'p1', name: 'Dorpshuis De Brink', role: 'point' }, registry: null, now: Date.parse('2026-11-27T15:00:00+01:00'), board: { image: '/api/board/latest.png', updatedAt: 5 } });

describe('server-rendered resident page', () => {
  // no built UI here: the self-contained page with the stylesheet inlined
  const page = createResidentPage(undefined);

  it('renders the board content in the language asked for, right-to-left for Arabic', () => {
    const html = page(status, { lang: 'ar', acceptLanguage: 'nl' }, sampleContent());
    expect(html).toContain('<html lang="ar" dir="rtl">');
    expect(html).toContain('ماذا يحدث؟');
    // the built-in content has Dutch and English: English words, marked as English
    expect(html).toContain('<p class="ns-slot__text" lang="en" dir="ltr">There is no power in the whole municipality.');
    expect(html).toContain('src="/api/board/latest.png?v=5"');
    expect(html).toContain('href="/charging?lang=ar"');
  });

  it('follows Accept-Language without ?lang=, and refreshes itself without JavaScript', () => {
    const html = page(status, { lang: null, acceptLanguage: 'pl-PL,pl;q=0.9' }, sampleContent());
    expect(html).toContain('<html lang="pl" dir="ltr">');
    expect(html).toContain('<meta http-equiv="refresh" content="30">');
  });

  it('hands status and content to the app; without content the questions stay empty', () => {
    const html = page(status, { lang: 'nl', acceptLanguage: undefined }, sampleContent());
    const block = new RegExp(`<script type="application/json" id="${INITIAL_ID}">(.*?)</script>`).exec(html)?.[1];
    const data = JSON.parse(block!) as { status: { point: { name: string } }; content: { authority: string } };
    expect(data.status.point.name).toBe('Dorpshuis De Brink');
    expect(data.content.authority).toBe('Veiligheidsregio Drenthe');
    const bare = page(status, { lang: 'nl', acceptLanguage: undefined });
    expect(bare.slice(bare.indexOf("<body>")).match(/<p class="ns-slot__empty">/g)).toHaveLength(4);
    expect(new RegExp(`id="${INITIAL_ID}">(.*?)</script>`).exec(bare)?.[1]).not.toContain('content');
  });
});
