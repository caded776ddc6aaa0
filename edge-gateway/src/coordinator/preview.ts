// The e-ink frame a broadcast will give on each kind of panel, before it is signed: the same layout and
// renderer as the points' boards, in a child process per panel (started on demand, stopped when idle),
// so the coordinator does not carry the ~150 MB renderer between previews.
import type { BoardContent } from '../board/content.js';
import { layoutBoard, sizesFor } from '../board/layout.js';
import { PANELS, panelProfile } from '../board/panels.js';
import { encodePng } from '../board/png.js';
import { createProcessRenderer } from '../board/process-renderer.js';
import { errorMessage, type Logger } from '../log/logger.js';

export interface PanelPreview {
  panel: string;
  name: string;
  width: number;
  height: number;
  pages: number;
  page: number;
  /** data: URL of the 1-bit frame as PNG. */
  png: string;
}

export class PreviewError extends Error {
  override name = 'PreviewError';
}

export interface BoardPreviewer {
  panels(): { id: string; name: string; width: number; height: number }[];
  render(content: BoardContent, panelIds: readonly string[] | undefined, page: number): Promise<PanelPreview[]>;
  close(): void;
}

export function createBoardPreviewer(o: { log: Logger; timeZone?: string; idleMs?: number }): BoardPreviewer {
  const renderers = new Map<string, ReturnType<typeof createProcessRenderer>>();
  const rendererFor = (panelId: string) => {
    let r = renderers.get(panelId);
    if (!r) {
      r = createProcessRenderer({ panelId, log: o.log, idleMs: o.idleMs ?? 30_000, ...(o.timeZone ? { timeZone: o.timeZone } : {}) });
      renderers.set(panelId, r);
    }
    return r;
  };
  return {
    panels: () => Object.values(PANELS).map((p) => ({ id: p.id, name: p.name, width: p.width, height: p.height })),
    async render(content, panelIds, page) {
      const ids = panelIds?.length ? [...new Set(panelIds)] : Object.keys(PANELS);
      for (const id of ids) if (!PANELS[id]) throw new PreviewError(`unknown panel '${id}' (known: ${Object.keys(PANELS).join(', ')})`);
      const out: PanelPreview[] = [];
      // One panel after the other: the machine may have two cores, and the board itself renders one page at a time.
      for (const id of ids) {
        const panel = panelProfile(id);
        const sizes = sizesFor(panel);
        let pages;
        try {
          pages = layoutBoard(content, panel, sizes);
        } catch (err) {
          throw new PreviewError(`content does not fit the ${panel.name}: ${errorMessage(err)}`, { cause: err });
        }
        const index = Math.min(page, pages.length - 1);
        const p = pages[index];
        if (!p) throw new PreviewError(`no page to render on ${panel.name}`);
        const frame = await rendererFor(id)(p, content, sizes, false);
        out.push({ panel: id, name: panel.name, width: frame.width, height: frame.height, pages: pages.length, page: index, png: `data:image/png;base64,${encodePng(frame).toString('base64')}` });
      }
      return out;
    },
    close() {
      for (const r of renderers.values()) r.close();
      renderers.clear();
    },
  };
}
