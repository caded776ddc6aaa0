// `noodsteun board render`: renders board content for a panel profile to a PNG (first page of the
// rotation), and with --trace writes the exact byte stream the UC8179 driver would send for it.
import { readFile, writeFile } from 'node:fs/promises';
import { parseCommandArgs, UsageError, wantsHelp, type Command } from '../command.js';

const usage = `Usage: noodsteun board render --out <png> [--panel <id>] [--content <json>] [--trace <file>]
                      [--page <n>] [--distance <m>]

Renders the e-ink information board to a 1-bit PNG.

Options:
  --out <png>        where to write the PNG (required)
  --panel <id>       panel profile (default waveshare-7in5-v2; see --list-panels)
  --content <json>   board content file; without it the built-in sample content is used
  --trace <file>     also write the SPI byte stream of a full refresh, one JSON line per transfer:
                     {"dc":0,"bytes":"<hex>"} for a command, {"dc":1,"bytes":"<hex>"} for data
  --page <n>         which page of the rotation to render (1-based, default 1)
  --distance <m>     reading distance in metres (default: the panel's)
  --list-panels      list the panel profiles and exit
  -h, --help         show this help
`;

async function render(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    out: { type: 'string' },
    panel: { type: 'string' },
    content: { type: 'string' },
    trace: { type: 'string' },
    page: { type: 'string' },
    distance: { type: 'string' },
    'list-panels': { type: 'boolean' },
  });
  const { PANELS, DEFAULT_PANEL_ID, panelProfile } = await import('../../board/panels.js');
  if (values['list-panels']) {
    for (const p of Object.values(PANELS)) process.stdout.write(`${p.id.padEnd(20)} ${p.name}\n`);
    return 0;
  }
  if (!values.out) throw new UsageError('--out <png> is required');
  let panel;
  try {
    panel = panelProfile(values.panel ?? DEFAULT_PANEL_ID);
  } catch (err) {
    throw new UsageError((err as Error).message, { cause: err });
  }
  const pageNo = values.page ? Number(values.page) : 1;
  if (!Number.isInteger(pageNo) || pageNo < 1) throw new UsageError('--page must be a positive integer');
  const distance = values.distance ? Number(values.distance) : undefined;
  if (distance !== undefined && !(distance > 0)) throw new UsageError('--distance must be a positive number of metres');

  const { parseBoardContent } = await import('../../board/content.js');
  const { sampleContent } = await import('../../board/sample-content.js');
  const { renderBoard } = await import('../../board/render.js');
  const { encodePng } = await import('../../board/png.js');

  let content;
  if (values.content) {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(values.content, 'utf8'));
    } catch (err) {
      throw new Error(`cannot read content file ${values.content}: ${(err as Error).message}`, { cause: err });
    }
    content = parseBoardContent(json);
  } else content = sampleContent();

  const pages = await renderBoard(content, panel, { now: Date.now(), readingDistanceM: distance });
  const chosen = pages[pageNo - 1];
  if (!chosen) throw new UsageError(`--page ${pageNo}: the content has ${pages.length} page(s)`);
  await writeFile(values.out, encodePng(chosen.frame));
  process.stdout.write(`${values.out}: ${panel.id} ${panel.width}×${panel.height}, page ${pageNo}/${pages.length} (${chosen.page.lang})\n`);

  if (values.trace) {
    if (panel.controller !== 'uc8179') throw new Error(`--trace: panel ${panel.id} has no UC8179 driver`);
    const { Uc8179 } = await import('../../drivers/epd-uc8179/uc8179.js');
    const { RecordingBackend } = await import('../../drivers/epd-uc8179/recording-backend.js');
    const rec = new RecordingBackend();
    const epd = new Uc8179({ width: panel.width, height: panel.height, spi: rec, gpio: rec, timing: { sleep: async () => {}, now: () => 0 } });
    await epd.refresh(chosen.frame, 'full');
    await writeFile(values.trace, rec.toJsonLines());
    process.stdout.write(`${values.trace}: ${rec.transfers.length} SPI transfers\n`);
  }
  return 0;
}

export const command: Command = {
  summary: 'render the e-ink information board (board render --out x.png)',
  usage,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (wantsHelp(argv)) {
      process.stdout.write(usage);
      return 0;
    }
    if (sub !== 'render') throw new UsageError(sub ? `unknown sub-command '${sub}'` : 'missing sub-command (render)');
    return render(rest);
  },
};
