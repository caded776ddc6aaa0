// The `noodsteun` command line: one table of sub-commands, each loaded lazily so that
// `noodsteun lora airtime` does not pay for SQLite, MQTT or the renderer.
import { UsageError, wantsHelp, type Command } from './command.js';

const COMMANDS: Record<string, { summary: string; load: () => Promise<{ command: Command }> }> = {
  start: { summary: 'run a whole simulated point with its coordinator (npm start)', load: () => import('./commands/start.js') },
  gateway: { summary: 'run the gateway service (role point or coordinator) from a config file', load: () => import('./commands/gateway.js') },
  sim: { summary: 'run the simulated world and nodes (used by start)', load: () => import('./commands/sim.js') },
  board: { summary: 'render the e-ink information board (board render --out x.png)', load: () => import('./commands/board.js') },
  lora: { summary: 'LoRa airtime, encode/decode relay frames, write the TS013 codec', load: () => import('./commands/lora.js') },
  mqtt: { summary: 'MQTT users: issue node secrets, list users, write Mosquitto config', load: () => import('./commands/mqtt.js') },
  hardware: { summary: 'hardware figures: power budget (critical load, charging headroom, runtime)', load: () => import('./commands/hardware.js') },
  firmware: { summary: 'node firmware: build bundles, print wiring, flash a board over USB', load: () => import('./commands/firmware.js') },
  charging: { summary: 'phone charging: hourly evidence CSV from the database, charging simulation', load: () => import('./commands/charging.js') },
};

function topHelp(): string {
  const rows = Object.entries(COMMANDS)
    .map(([name, c]) => `  ${name.padEnd(12)} ${c.summary}`)
    .join('\n');
  return `noodsteun — software for a noodsteunpunt (emergency support point) and its coordination point

Usage: noodsteun <command> [options]
       noodsteun <command> --help

Commands:
${rows}
`;
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(topHelp());
    return name ? 0 : 2;
  }
  const entry = COMMANDS[name];
  if (!entry) {
    process.stderr.write(`noodsteun: unknown command '${name}'\n\n${topHelp()}`);
    return 2;
  }
  const { command } = await entry.load();
  if (wantsHelp(rest) && !rest.slice(0, 1).some((a) => !a.startsWith('-'))) {
    process.stdout.write(command.usage.endsWith('\n') ? command.usage : command.usage + '\n');
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`noodsteun ${name}: ${err.message}\n\n${command.usage}\n`);
      return 2;
    }
    process.stderr.write(`noodsteun ${name}: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}
