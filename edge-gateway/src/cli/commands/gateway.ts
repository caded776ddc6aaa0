// `noodsteun gateway --config <file>`: the long-running service (systemd runs this on the Pi).
import { existsSync } from 'node:fs';
import { repoPaths } from '../../paths.js';
import { loadConfigFile } from '../../config/load.js';
import { SystemClock } from '../../core/clock.js';
import { createLogger, prettySink, stderrSink, errorMessage } from '../../log/logger.js';
import { startCoordinatorGateway } from '../../gateway/coordinator-gateway.js';
import { startPointGateway } from '../../gateway/point-gateway.js';
import { parseCommandArgs, UsageError, type Command } from '../command.js';

/** The built kiosk UI; NOODSTEUN_UI_DIR serves another build (tests build into a temporary folder). */
const UI_DIR = process.env.NOODSTEUN_UI_DIR || repoPaths.kioskDist;

const usage = `Usage: noodsteun gateway --config <file> [options]

Runs the gateway in the role its configuration names (point or coordinator) until SIGTERM/SIGINT.
An example configuration for real hardware: edge-gateway/config/example.point.json.

Options:
  --config <file>        configuration (JSON); every error is reported with its path
  --check                validate the configuration and exit
  --speed <n>            simulated seconds per real second (simulation only; default 1)
  --clock-origin <ms>    shared clock origin of a simulation's processes
  -h, --help             this text

Environment:
  NOODSTEUN_UI_DIR       folder of the built kiosk UI to serve (default kiosk-ui/dist)
`;

export const command: Command = {
  summary: 'run the gateway service (role point or coordinator) from a config file',
  usage,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      config: { type: 'string' },
      check: { type: 'boolean', default: false },
      speed: { type: 'string', default: '1' },
      'clock-origin': { type: 'string' },
    });
    if (!values.config) throw new UsageError('--config is required');
    const config = loadConfigFile(values.config);
    if (values.check) {
      process.stdout.write(`${values.config}: valid ${config.role} configuration for '${config.id}'\n`);
      return 0;
    }
    const speed = Number(values.speed);
    if (!(speed > 0)) throw new UsageError('--speed must be > 0');
    const origin = values['clock-origin'] !== undefined ? Number(values['clock-origin']) : Date.now();
    const clock = new SystemClock(speed, origin);
    const log = createLogger(`gw:${config.role}`, { level: config.log.level, sink: config.log.format === 'pretty' ? prettySink : stderrSink });
    process.on('uncaughtException', (err) => log.error('uncaught exception', { error: errorMessage(err), stack: err.stack }));
    process.on('unhandledRejection', (err) => log.error('unhandled rejection', { error: errorMessage(err) }));
    const deps = { clock, log, ...(existsSync(UI_DIR) ? { uiDir: UI_DIR } : {}) };
    const gw = config.role === 'point' ? await startPointGateway(config, deps) : await startCoordinatorGateway(config, deps);
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    log.info('stopping');
    await gw.stop();
    log.info('stopped');
    return 0;
  },
};
