// `noodsteun sim --config <file>`: the simulated world and its nodes, as laid out by `noodsteun start`.
import { readFileSync } from 'node:fs';
import { SystemClock } from '../../core/clock.js';
import { createLogger, prettySink } from '../../log/logger.js';
import { createSimulation } from '../../sim/simulation.js';
import { startLoraSimulation, type LoraSim } from '../../sim/lora/index.js';
import { errorMessage } from '../../log/logger.js';
import type { SimConfigFile } from '../../sim/site.js';
import { parseCommandArgs, UsageError, type Command } from '../command.js';

const usage = `Usage: noodsteun sim --config <file> [--speed <n>] [--clock-origin <ms>]

Runs the simulated world (generator and fuel, battery bank, visitors, phones) and its nodes, which
speak the node protocol to a gateway over serial pseudo-terminals and MQTT. Nodes run the real
firmware (firmware/dist/<node>.js under the Espruino host emulation) where the bundle exists, and
the TypeScript stand-ins otherwise. \`noodsteun start\` writes the configuration
(data/sim/config.json) and runs this for you.

Options:
  --config <file>        simulator configuration written by \`noodsteun start\`
  --speed <n>            simulated seconds per real second (default 1)
  --clock-origin <ms>    shared clock origin of a simulation's processes
  --stand-ins            run the TypeScript stand-in nodes even where firmware bundles exist
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
      'stand-ins': { type: 'boolean', default: false },
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
      scenario: cfg.scenario,
      // Real firmware (firmware/dist, built by `npm start`'s prestart) unless told otherwise.
      firmware: !values['stand-ins'] && cfg.firmware !== false,
      nodes: cfg.nodes,
      mqtt: { url: cfg.mqttUrl, credentials: secrets },
      serial: { dir: cfg.serialDir },
      log,
    });
    await sim.start();
    // The point's LoRa module and the network server behind it (laid out by `noodsteun start` when socat is
    // there). The coordinator starts alongside us: until its broker answers, try again in the background.
    let lora: LoraSim | null = null;
    let stopping = false;
    const loraCfg = cfg.lora;
    const loraStarted = (async () => {
      if (!loraCfg) return;
      const password = readFileSync(loraCfg.mqtt.passwordFile, 'utf8').trim();
      for (let attempt = 1; !stopping; attempt++) {
        try {
          const started = await startLoraSimulation({
            device: loraCfg.device,
            applicationId: loraCfg.applicationId,
            mqtt: { url: loraCfg.mqtt.url, username: loraCfg.mqtt.username, password },
            clock,
            log: log.child('lora'),
            pty: { gatewayPath: loraCfg.gatewayPath },
          });
          if (stopping) return void (await started.close());
          lora = started;
          log.info('LoRa module and network server running', { modem: loraCfg.gatewayPath, broker: loraCfg.mqtt.url });
          return;
        } catch (err) {
          if (attempt === 1) log.info('LoRa network server waits for the coordinator’s broker', { error: errorMessage(err) });
          await new Promise((r) => setTimeout(r, 1000));
        }
      }
    })();
    log.info('simulation running', { nodes: cfg.nodes.map((n) => `${n.id}/${n.transport}/${sim.firmwareNodes.has(n.id) ? 'firmware' : 'stand-in'}`), speed });
    await new Promise<void>((resolve) => {
      process.once('SIGTERM', resolve);
      process.once('SIGINT', resolve);
    });
    stopping = true;
    await loraStarted;
    await (lora as LoraSim | null)?.close();
    await sim.stop();
    return 0;
  },
};
