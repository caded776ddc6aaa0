// Child process that renders board pages on request (see process-renderer.ts). The renderer (satori,
// resvg-wasm, fonts) needs ~150 MB; living in its own short-lived process keeps the resident gateway small.
import { renderPage } from './render.js';
import { panelProfile } from './panels.js';
import type { RenderRequest, RenderReply } from './process-renderer.js';

process.on('message', (req: RenderRequest) => {
  const reply = (r: RenderReply) => process.send?.(r);
  renderPage(req.page, req.content, panelProfile(req.panelId), req.sizes, { stale: req.stale, ...(req.timeZone ? { timeZone: req.timeZone } : {}) })
    .then((frame) => reply({ id: req.id, ok: true, frame }))
    .catch((err: unknown) => reply({ id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) }));
});
// The parent going away ends us too.
process.on('disconnect', () => process.exit(0));
