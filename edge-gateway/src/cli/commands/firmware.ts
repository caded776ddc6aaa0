// `noodsteun firmware …`: build node firmware, show a node's wiring, flash a board over USB.
import { UsageError, parseCommandArgs, wantsHelp, type Command } from '../command.js';
import { loadPinMap, wiringDocument, wiringTable } from '../../../../hardware/src/pins.js';
import { listNodes } from '../../../../firmware/tools/paths.js';

const USAGE = `Usage: noodsteun firmware <sub-command> [options]

  build [--node <node>]...
      Builds firmware/dist/<node>.js for every node (or the ones named), offline; same as npm run build.
  wiring --node <node> | --all
      Prints the node's wiring table from its pin map (hardware/pins/<node>.json); --all prints
      hardware/pins/WIRING.md.
  flash --node <node> --port <tty> [--baud 115200] [--no-build] [--dry-run] [--no-handoff] [--handoff-wait 35]
      Builds, uploads the bundle over USB serial and saves it as the board's boot code. Stop the gateway
      service first (it holds the port). Before the upload the board's firmware is asked over the port
      ({op:'console'}) to hand the UART back to Espruino's REPL, which the espruino CLI needs: it listens up
      to --handoff-wait seconds for the node's first frame (heartbeat every 30 s) to learn its id, then
      waits 3 s for the answer. Without an answer the upload is tried anyway (a blank board has its REPL there).
      --no-handoff skips this; --dry-run prints the espruino CLI command instead of running it.

Nodes: ${listNodes().join(', ')}`;

function nodeArg(value: string | undefined): string {
  if (value === undefined) throw new UsageError('--node is required');
  if (!listNodes().includes(value)) throw new UsageError(`unknown node '${value}' (nodes: ${listNodes().join(', ')})`);
  return value;
}

export const command: Command = {
  summary: 'node firmware: build bundles, print wiring, flash a board (firmware flash --node --port)',
  usage: USAGE,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (sub === undefined || wantsHelp(argv)) {
      process.stdout.write(USAGE + '\n');
      return sub === undefined ? 2 : 0;
    }
    if (sub === 'build') {
      const { values } = parseCommandArgs(rest, { node: { type: 'string', multiple: true } });
      const nodes = values.node?.map(nodeArg);
      const { buildFirmware } = await import('../../../../firmware/tools/build.js');
      for (const b of await buildFirmware({ nodes })) process.stdout.write(`${b.file}  ${b.bytes} bytes  fw ${b.fw}\n`);
      return 0;
    }
    if (sub === 'wiring') {
      const { values } = parseCommandArgs(rest, { node: { type: 'string' }, all: { type: 'boolean' } });
      process.stdout.write(values.all === true ? wiringDocument() : wiringTable(loadPinMap(nodeArg(values.node))) + '\n');
      return 0;
    }
    if (sub === 'flash') {
      const { values } = parseCommandArgs(rest, {
        node: { type: 'string' },
        port: { type: 'string' },
        baud: { type: 'string' },
        'no-build': { type: 'boolean' },
        'dry-run': { type: 'boolean' },
        'no-handoff': { type: 'boolean' },
        'handoff-wait': { type: 'string' },
      });
      const node = nodeArg(values.node);
      if (values.port === undefined) throw new UsageError('--port is required (e.g. /dev/ttyUSB0)');
      const baud = values.baud === undefined ? 115200 : Number(values.baud);
      if (!Number.isInteger(baud) || baud <= 0) throw new UsageError(`bad --baud ${values.baud}`);
      const wait = values['handoff-wait'] === undefined ? 35 : Number(values['handoff-wait']);
      if (!Number.isFinite(wait) || wait <= 0) throw new UsageError(`bad --handoff-wait ${values['handoff-wait']}`);
      if (values['no-build'] !== true) {
        const { buildFirmware } = await import('../../../../firmware/tools/build.js');
        await buildFirmware({ nodes: [node] });
      }
      const { flash, flashArgs } = await import('../../../../firmware/tools/flash.js');
      if (values['dry-run'] === true) {
        process.stdout.write(['node', ...flashArgs({ node, port: values.port, baud })].join(' ') + '\n');
        return 0;
      }
      if (values['no-handoff'] !== true) {
        process.stdout.write(`asking the node on ${values.port} to hand its USB console to the REPL (listening up to ${wait} s for it)…\n`);
        const { usbConsoleHandoff } = await import('../../commissioning/usb-handoff.js');
        const h = await usbConsoleHandoff({ path: values.port, baudRate: baud, listenMs: wait * 1000 });
        const hint = h.outcome === 'no-port' ? ' (is the gateway service still running? it holds the port); uploading anyway' : h.outcome === 'handed-over' ? '' : '; uploading anyway';
        process.stdout.write(`console handoff: ${h.outcome}: ${h.detail}${hint}\n`);
      }
      const out = await flash({ node, port: values.port, baud });
      process.stdout.write(out.trim().split('\n').slice(-2).join('\n') + '\n');
      return 0;
    }
    throw new UsageError(`unknown sub-command '${sub}'`);
  },
};
