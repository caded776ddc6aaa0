/** @jsxRuntime automatic */
/** @jsxImportSource preact */
// One page of the board as satori-compatible Preact elements: every <div> is a flex box with
// inline styles, pure black on white (the frame is thresholded to 1 bit).
import type { BoardContent, ChargingStatus } from '../content.js';
import { FONT_FAMILY, fitLine, textWidthEm } from '../fonts.js';
import { iconDataUri, type IconName } from '../icons.js';
import { LABELS } from '../labels.js';
import { blockGap, type Block, type Entry, type Page, type Sizes } from '../layout.js';

export interface BoardPageProps {
  page: Page;
  content: BoardContent;
  sizes: Sizes;
  width: number;
  height: number;
  /** Render time (ms) for the "updated" line and the staleness mark. */
  stale: boolean;
  timeZone: string;
}

function Icon({ name, size }: { name: IconName; size: number }) {
  return <img src={iconDataUri(name)} width={size} height={size} style={{ width: size, height: size, flexShrink: 0 }} />;
}

// satori has no bidi algorithm: inside right-to-left text it reverses runs such as "14:05" or
// "1/2" around their punctuation. Give each such run its own left-to-right box.
const LTR_RUN = /(\d[\d:./–-]*\d|\d)/;
function Line({ text, rtl, style }: { text: string; rtl: boolean; style?: Record<string, string | number> }) {
  if (!rtl || !LTR_RUN.test(text)) return <div style={{ display: 'flex', ...style }}>{text}</div>;
  // Boxes drop their edge spaces, so spaces become margins.
  const parts: Array<{ p: string; before: boolean; after: boolean }> = [];
  for (const raw of text.split(LTR_RUN)) {
    const prev = parts[parts.length - 1];
    if (!raw.trim()) {
      if (prev && raw) prev.after = true;
      continue;
    }
    parts.push({ p: raw.trim(), before: /^\s/.test(raw), after: /\s$/.test(raw) });
  }
  return (
    <div style={{ display: 'flex', flexDirection: 'row', alignItems: 'center', ...style }}>
      {parts.map((x, i) => (
        <div key={i} style={{ display: 'flex', direction: LTR_RUN.test(x.p) ? 'ltr' : 'rtl', marginRight: x.before ? '0.3em' : 0, marginLeft: x.after ? '0.3em' : 0 }}>
          {x.p}
        </div>
      ))}
    </div>
  );
}

function EntryView({ entry, sizes, rtl }: { entry: Entry; sizes: Sizes; rtl: boolean }) {
  return (
    <div style={{ display: 'flex', flexDirection: 'row', alignItems: 'flex-start' }}>
      <div style={{ display: 'flex', width: sizes.icon + sizes.pad, flexShrink: 0 }}>
        {entry.icon ? <Icon name={entry.icon} size={sizes.icon} /> : null}
      </div>
      <div style={{ display: 'flex', flexDirection: 'column' }}>
        {entry.lines.map((l, i) => (
          <Line key={i} text={l.text} rtl={rtl} style={{ fontSize: sizes.body, fontWeight: l.bold ? 700 : 400, lineHeight: sizes.lineHeight }} />
        ))}
      </div>
    </div>
  );
}

function BlockView({ block, sizes, first, rtl }: { block: Block; sizes: Sizes; first: boolean; rtl: boolean }) {
  return (
    <div style={{ display: 'flex', flexDirection: 'column', marginTop: first ? 0 : blockGap(sizes) }}>
      <div
        style={{
          display: 'flex',
          flexDirection: 'row',
          alignItems: 'center',
          fontSize: sizes.heading,
          fontWeight: 700,
          lineHeight: sizes.lineHeight,
          marginBottom: Math.round(sizes.pad / 2),
        }}
      >
        <Icon name={block.icon} size={Math.round(sizes.heading)} />
        <div style={{ display: 'flex', marginLeft: sizes.pad, marginRight: sizes.pad }}>{block.title}</div>
      </div>
      {block.entries.map((e, i) => (
        <EntryView key={i} entry={e} sizes={sizes} rtl={rtl} />
      ))}
    </div>
  );
}

export function chargingLine(lang: Page['lang'], charging: ChargingStatus | undefined): string | null {
  if (!charging) return null;
  const L = LABELS[lang];
  if (!charging.enabled) return `${L.charging}: ${L.chargingOff}`;
  return `${L.charging}: ${L.chargingFree(charging.portsFree, charging.portsTotal)} · ${L.chargingQueue(charging.queue)}`;
}

function formatUpdated(iso: string, timeZone: string): { time: string; date: string } {
  const d = new Date(iso);
  const time = new Intl.DateTimeFormat('nl-NL', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(d);
  const date = new Intl.DateTimeFormat('nl-NL', { timeZone, day: 'numeric', month: 'numeric' }).format(d);
  return { time, date };
}

export function BoardPage({ page, content, sizes, width, height, stale, timeZone }: BoardPageProps) {
  const L = LABELS[page.lang];
  const { time, date } = formatUpdated(content.updatedAt, timeZone);
  const charging = chargingLine(page.lang, content.charging);
  const pageNo = page.count > 1 ? ` ${page.index + 1}/${page.count}` : '';
  // One-line header and footer: anything longer is cut, never shrunk below the minimum size.
  const inner = width - 2 * sizes.pad;
  const langLabel = `${L.languageName}${pageNo}`;
  const title = fitLine(content.point.name, sizes.header, 700, inner - textWidthEm(langLabel, 700) * sizes.body - sizes.pad);
  const staleW = stale ? textWidthEm(L.stale, 700) * sizes.body + 12 : 0;
  const footerLine = fitLine(`${L.updated(time, date)} · ${content.authority}`, sizes.body, 400, inner - staleW - 2 * sizes.pad);
  const chargingText = charging ? fitLine(charging, sizes.body, 400, inner - sizes.icon - 2 * sizes.pad) : ' ';
  return (
    <div
      style={{
        display: 'flex',
        flexDirection: 'column',
        width,
        height,
        background: '#fff',
        color: '#000',
        fontFamily: FONT_FAMILY,
        direction: page.rtl ? 'rtl' : 'ltr',
      }}
    >
      <div
        style={{
          display: 'flex',
          flexDirection: 'row',
          justifyContent: 'space-between',
          alignItems: 'center',
          height: sizes.headerH,
          paddingLeft: sizes.pad,
          paddingRight: sizes.pad,
          background: '#000',
          color: '#fff',
          fontSize: sizes.header,
          fontWeight: 700,
        }}
      >
        <div style={{ display: 'flex' }}>{title}</div>
        <Line text={langLabel} rtl={page.rtl} style={{ fontSize: sizes.body }} />
      </div>
      <div
        style={{
          display: 'flex',
          flexDirection: 'column',
          flexGrow: 1,
          padding: sizes.pad,
          overflow: 'hidden',
        }}
      >
        {page.blocks.map((b, i) => (
          <BlockView key={i} block={b} sizes={sizes} first={i === 0} rtl={page.rtl} />
        ))}
      </div>
      <div
        style={{
          display: 'flex',
          flexDirection: 'column',
          height: sizes.footerH,
          paddingLeft: sizes.pad,
          paddingRight: sizes.pad,
          paddingTop: sizes.pad,
          borderTop: `${Math.max(2, Math.round(sizes.pad / 3))}px solid #000`,
          fontSize: sizes.body,
          lineHeight: sizes.lineHeight,
        }}
      >
        <div style={{ display: 'flex', flexDirection: 'row', alignItems: 'center' }}>
          {charging ? <Icon name="charging" size={sizes.icon} /> : null}
          <Line text={chargingText} rtl={page.rtl} style={{ marginLeft: sizes.pad, marginRight: sizes.pad }} />
        </div>
        <div style={{ display: 'flex', flexDirection: 'row' }}>
          {stale ? (
            <div style={{ display: 'flex', background: '#000', color: '#fff', fontWeight: 700, paddingLeft: 6, paddingRight: 6 }}>{L.stale}</div>
          ) : null}
          <Line text={footerLine} rtl={page.rtl} style={{ marginLeft: sizes.pad, marginRight: sizes.pad }} />
        </div>
      </div>
    </div>
  );
}
