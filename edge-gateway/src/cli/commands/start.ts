// `noodsteun start` (npm start): a whole simulated point with its coordinator on one machine.
// Three processes, as in the field: the coordinator's gateway, the point's gateway, and the simulated
// world with its nodes. They share a clock origin and speed so accelerated time agrees across them.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { DEFAULT_SCENARIO, type ScenarioInput } from '../../sim/world/scenario.js';
import { join, resolve } from 'node:path';
import { repoPaths } from '../../paths.js';
import { parseCommandArgs, UsageError, type Command } from '../command.js';
import { prepareSimulatedSite } from '../../sim/site.js';
import { COORDINATOR_NODE_ARGS, POINT_NODE_ARGS, SERVICE_ENV } from '../../service-runtime.js';

const BIN = repoPaths.bin;

const usage = `Usage: noodsteun start [options]

Runs a simulated noodsteunpunt (sensor nodes over a serial pseudo-terminal and MQTT, the point's gateway
with its embedded broker, board and UI) and a coordinator, on embedded defaults: no hardware, no external
services. Prints the URL to open. Ctrl-C stops everything.

Options:
  --speed <n>      simulated seconds per real second (default 1; e.g. 60)
  --port <n>       HTTP port of the point (default 8080; 0 picks a free port)
  --data <dir>     where state is kept (default ./data)
  --seed <n>       random seed of the simulated world (default 1)
  --fresh          delete the state in --data first
  --scenario <f>   JSON file overriding the simulated world per section, e.g. {"generator":{"initialFuelL":4}}
  -h, --help       this text
`;

export const command: Command = {
  summary: 'run a whole simulated point with its coordinator (npm start)',
  usage,
  async run(argv) {
    const { values } = parseCommandArgs(argv, {
      speed: { type: 'string', default: '1' },
      port: { type: 'string', default: '8080' },
      data: { type: 'string', default: 'data' },
      seed: { type: 'string', default: '1' },
      fresh: { type: 'boolean', default: false },
      scenario: { type: 'string' },
    });
    const speed = Number(values.speed);
    const port = Number(values.port);
    const seed = Number(values.seed);
    if (!(speed > 0 && speed <= 10_000)) throw new UsageError('--speed must be a number between 0 and 10000');
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError('--port must be a TCP port number');
    if (!Number.isInteger(seed)) throw new UsageError('--seed must be an integer');
    const dataDir = resolve(values.data);
    mkdirSync(dataDir, { recursive: true });

    const scenario = values.scenario ? readScenario(values.scenario) : undefined;
    // --port 0 (tests, several sites at once): the coordinator takes a free port too, not 8081.
    const site = await prepareSimulatedSite({ dataDir, pointHttpPort: port, coordinatorHttpPort: port === 0 ? 0 : 8081, fresh: values.fresh, seed, ...(scenario ? { scenario } : {}) });
    const origin = Date.now();
    const clockArgs = ['--speed', String(speed), '--clock-origin', String(origin)];
    const children: { name: string; proc: ChildProcess }[] = [];
    const launch = (name: string, args: string[], nodeArgs: readonly string[] = []) => {
      const proc = spawn(process.execPath, [...nodeArgs, BIN, ...args, ...clockArgs], { stdio: ['ignore', 'inherit', 'inherit'], env: { ...process.env, ...SERVICE_ENV } });
      children.push({ name, proc });
      return proc;
    };

    let stopping = false;
    const stopped = new Promise<number>((resolveStop) => {
      const stopAll = (code: number) => {
        if (stopping) return;
        stopping = true;
        process.stderr.write('noodsteun: stopping…\n');
        for (const c of children) c.proc.kill('SIGTERM');
        const killer = setTimeout(() => children.forEach((c) => c.proc.exitCode === null && c.proc.kill('SIGKILL')), 5000);
        void Promise.all(children.map((c) => (c.proc.exitCode !== null ? null : new Promise((r) => c.proc.once('exit', r))))).then(() => {
          clearTimeout(killer);
          resolveStop(code);
        });
      };
      process.once('SIGINT', () => stopAll(0));
      process.once('SIGTERM', () => stopAll(0));
      const watch = (name: string, proc: ChildProcess) =>
        proc.once('exit', (code, signal) => {
          if (stopping) return;
          process.stderr.write(`noodsteun: ${name} exited (${signal ?? code}); stopping the rest\n`);
          stopAll(1);
        });
      watch('coordinator', launch('coordinator', ['gateway', '--config', site.coordinatorConfig], COORDINATOR_NODE_ARGS));
      watch('point gateway', launch('point gateway', ['gateway', '--config', site.pointConfig], POINT_NODE_ARGS));
      watch('simulator', launch('simulator', ['sim', '--config', site.simConfig]));
    });

    const pointUrl = await Promise.race([waitForHttp(join(site.pointUrlFile)), stopped.then(() => null)]);
    if (pointUrl) {
      const coordinatorUrl = await waitForHttp(site.coordinatorUrlFile);
      process.stdout.write(
        [
          `noodsteun: simulated point '${site.pointName}' is running${speed !== 1 ? ` at ${speed}× speed` : ''}`,
          `  open the point:        ${pointUrl}`,
          `  coordinator console:   ${coordinatorUrl}`,
          `  board image:           ${site.boardImage}`,
          `  data:                  ${dataDir}`,
          ...setupLines(dataDir),
          'Press Ctrl-C to stop.',
          '',
        ].join('\n'),
      );
    }
    return stopped;
  },
};

/** Where the console's first log-in starts: the one-time set-up codes while a gateway has no technician. */
function setupLines(dataDir: string): string[] {
  const lines: string[] = [];
  for (const [which, url] of [['point', '/console/'], ['coordinator', '/console/']] as const) {
    const file = join(dataDir, which, 'setup-code');
    if (!existsSync(file)) continue;
    lines.push(`  ${`${which} set-up code:`.padEnd(22)} ${readFileSync(file, 'utf8').trim()}  (first technician account, at ${url}; also in ${file})`);
  }
  return lines;
}

function readScenario(file: string): ScenarioInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new UsageError(`--scenario ${file}: ${err instanceof Error ? err.message : String(err)}`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new UsageError(`--scenario ${file}: expected a JSON object of sections`);
  for (const [k, v] of Object.entries(parsed)) {
    if (!(k in DEFAULT_SCENARIO)) throw new UsageError(`--scenario ${file}: unknown section "${k}" (known: ${Object.keys(DEFAULT_SCENARIO).join(', ')})`);
    if (typeof v !== 'object' || v === null) continue;
    const known = DEFAULT_SCENARIO[k as keyof typeof DEFAULT_SCENARIO] as object;
    for (const f of Object.keys(v)) if (!(f in known)) throw new UsageError(`--scenario ${file}: unknown field "${k}.${f}"`);
  }
  return parsed as ScenarioInput;
}

/** Waits for a gateway to write its URL file, then for that URL to answer 200. */
async function waitForHttp(urlFile: string, timeoutMs = 60_000): Promise<string> {
  const { readFileSync, existsSync } = await import('node:fs');
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (existsSync(urlFile)) {
      const url = readFileSync(urlFile, 'utf8').trim();
      try {
        const res = await fetch(url);
        if (res.status === 200) return url;
      } catch {
        // not listening yet
      }
    }
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no answer from the gateway after ${timeoutMs / 1000} s (see ${urlFile})`);
}
