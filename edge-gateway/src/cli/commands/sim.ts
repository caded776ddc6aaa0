// `noodsteun sim --config <file>`: the simulated world and its nodes, as laid out by `noodsteun start`.
import { readFileSync } from 'node:fs';
import { SystemClock } from '../../core/clock.js';
import { createLogger, prettySink } from '../../log/logger.js';
import { createSimulation } from '../../sim/simulation.js';
import type { SimConfigFile } from '../../sim/site.js';
import { parseCommandArgs, UsageError, type Command } from '../command.js';

const usage = `Usage: noodsteun sim --config <file> [--speed <n>] [--clock-origin <ms>]

Runs the simulated world (generator and fuel, battery bank, visitors, phones) and its nodes, which
speak the node protocol to a gateway over serial pseudo-terminals and MQTT. \`noodsteun start\`
writes the configuration (data/sim/config.json) and runs this for you.

Options:
  --config <file>        simulator configuration written by \`noodsteun start\`
  --speed <n>            simulated seconds per real second (default 1)
  --clock-origin <ms>    shared clock origin of a simulation's processes
  -h, --help             this text
`;

export const command: Command = {
  summary: 'run the simulated world and nodes (used by start)',
  usage,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      config: { type: 'string' },
      speed: { type: 'string', default: '1' },
      'clock-origin': { type: 'string' },
    });
    if (!values.config) throw new UsageError('--config is required');
    const cfg = JSON.parse(readFileSync(values.config, 'utf8')) as SimConfigFile;
    const secrets = JSON.parse(readFileSync(cfg.secretsFile, 'utf8')) as Record<string, string>;
    const speed = Number(values.speed);
    if (!(speed > 0)) throw new UsageError('--speed must be > 0');
    const clock = new SystemClock(speed, values['clock-origin'] !== undefined ? Number(values['clock-origin']) : Date.now());
    const log = createLogger('sim', { level: cfg.logLevel, sink: prettySink });
    const sim = createSimulation({
      clock,
      seed: cfg.seed,
      nodes: cfg.nodes,
      mqtt: { url: cfg.mqttUrl, credentials: secrets },
      serial: { dir: cfg.serialDir },
      log,
    });
    await sim.start();
    log.info('simulation running', { nodes: cfg.nodes.map((n) => `${n.id}/${n.transport}`), speed });
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    await sim.stop();
    return 0;
  },
};
