// Render pipeline on the gateway: Preact elements → satori (SVG, text as paths) → resvg-wasm (RGBA)
// → threshold → packed 1-bit frame. resvg-wasm objects live in wasm memory: free them explicitly
// (the native resvg-js build leaks ~1.6 MB per render, DESIGN §4).
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { h } from 'preact';
import satori from 'satori';
import { initWasm, Resvg } from '@resvg/resvg-wasm';
import { BoardPage } from './components/BoardPage.js';
import { isStale, type BoardContent } from './content.js';
import { boardFonts } from './fonts.js';
import { thresholdRgba, type Frame } from './frame.js';
import { layoutBoard, sizesFor, type Page, type Sizes } from './layout.js';
import { assertLegible } from './legibility.js';
import type { PanelProfile } from './panels.js';

const require = createRequire(import.meta.url);
let wasmReady: Promise<void> | undefined;

function ensureWasm(): Promise<void> {
  wasmReady ??= initWasm(readFileSync(require.resolve('@resvg/resvg-wasm/index_bg.wasm'))).catch((err: unknown) => {
    // "Already initialized" happens when another module instance set it up first: harmless.
    if (err instanceof Error && /already/i.test(err.message)) return;
    wasmReady = undefined;
    throw new Error('could not initialise resvg-wasm', { cause: err });
  });
  return wasmReady;
}

// satori caches its parsed fonts per array identity: hand it the same array every time.
let fontList: Array<{ name: string; data: Buffer; weight: 400 | 700; style: 'normal' }> | undefined;
function satoriFonts() {
  fontList ??= boardFonts().map(({ name, data, weight, style }) => ({ name, data, weight, style }));
  return fontList;
}

export interface RenderOptions {
  /** Distance the board must be readable from; defaults to the panel's. */
  readingDistanceM?: number;
  /** Content older than this is marked on the board. Default 6 h. */
  staleAfterMs?: number;
  /** Time used for the staleness mark (ms since epoch). */
  now: number;
  timeZone?: string;
}

export { DEFAULT_STALE_AFTER_MS } from './content.js';
import { DEFAULT_STALE_AFTER_MS } from './content.js';

/** Per-page choices that do not come from the content itself. */
export interface PageLook {
  stale: boolean;
  timeZone?: string;
}

export interface RenderedPage {
  page: Page;
  frame: Frame;
}

/** The element tree of one page, checked for legibility before anything is drawn. */
export function pageTree(page: Page, content: BoardContent, panel: PanelProfile, sizes: Sizes, look: PageLook) {
  const tree = h(BoardPage, {
    page,
    content,
    sizes,
    width: panel.width,
    height: panel.height,
    stale: look.stale,
    timeZone: look.timeZone ?? 'Europe/Amsterdam',
  });
  assertLegible(tree, sizes.minPx);
  return tree;
}

/** Draws one element tree at the panel size and thresholds it to a 1-bit frame. */
export async function rasterize(tree: Parameters<typeof satori>[0], width: number, height: number): Promise<Frame> {
  await ensureWasm();
  const svg = await satori(tree, { width, height, fonts: satoriFonts() });
  // No anti-aliasing: the threshold would throw the grey edge pixels away anyway, and skipping
  // them saves rasteriser time on the Pi.
  const resvg = new Resvg(svg, { background: '#ffffff', fitTo: { mode: 'original' }, shapeRendering: 0, textRendering: 0 });
  try {
    const img = resvg.render();
    try {
      return thresholdRgba(img.pixels, img.width, img.height);
    } finally {
      img.free();
    }
  } finally {
    resvg.free();
  }
}

export async function renderPage(page: Page, content: BoardContent, panel: PanelProfile, sizes: Sizes, look: PageLook): Promise<Frame> {
  return rasterize(pageTree(page, content, panel, sizes, look), panel.width, panel.height);
}

/** Every page of every language of the content, in rotation order. */
export async function renderBoard(content: BoardContent, panel: PanelProfile, opts: RenderOptions): Promise<RenderedPage[]> {
  const sizes = sizesFor(panel, opts.readingDistanceM);
  const pages = layoutBoard(content, panel, sizes);
  const look: PageLook = { stale: isStale(content, opts.now, opts.staleAfterMs ?? DEFAULT_STALE_AFTER_MS), timeZone: opts.timeZone };
  const out: RenderedPage[] = [];
  for (const page of pages) out.push({ page, frame: await renderPage(page, content, panel, sizes, look) });
  return out;
}
