// `noodsteun mqtt`: MQTT users of a point — issue node secrets at commissioning, list users, and
// write the same users and ACL as Mosquitto 2 config for sites that run an external broker.
import { parseCommandArgs, UsageError, wantsHelp, type Command } from '../command.js';

const usage = `Usage: noodsteun mqtt issue --data-dir <dir> [--rotate] <node-id>...
       noodsteun mqtt list --data-dir <dir>
       noodsteun mqtt mosquitto --data-dir <dir> --out <dir> [--host <addr>] [--port <n>]

MQTT users of this point. The credentials file (<data-dir>/mqtt-credentials.json, mode 0600) holds
only password hashes; a node's secret is printed once, by 'issue', to be flashed into the node.

Sub-commands:
  issue       create secrets for nodes that have none (prints "<node-id> <secret>" per new node);
              --rotate replaces the secrets of nodes that already have one
  list        list users and their roles
  mosquitto   write mosquitto.conf, passwd and acl (same users and ACL as the embedded broker)
              into --out; run it with: mosquitto -c <out>/mosquitto.conf. The files are 0600:
              chown them to the broker's user. After 'issue', write them again and reload
              Mosquitto (SIGHUP rereads password_file and acl_file).

Options:
  --data-dir <dir>   the gateway's data directory (required)
  --out <dir>        where to write the Mosquitto files
  --host <addr>      listener address (default 0.0.0.0)
  --port <n>         listener port (default 1883)
  -h, --help         show this help
`;

async function issue(argv: string[]): Promise<number> {
  const { values, positionals } = parseCommandArgs(argv, { 'data-dir': { type: 'string' }, rotate: { type: 'boolean' } }, true);
  const dataDir = values['data-dir'];
  if (!dataDir) throw new UsageError('--data-dir <dir> is required');
  if (positionals.length === 0) throw new UsageError('name at least one node id');
  const { CredentialStore } = await import('../../broker/credentials.js');
  const store = await CredentialStore.open(dataDir);
  const issued = await store.ensureNodeCredentials(positionals);
  if (values.rotate) {
    for (const id of positionals) {
      if (!issued.has(id)) issued.set(id, await store.issue({ username: id, role: 'node' }));
    }
  }
  for (const [id, secret] of issued) process.stdout.write(`${id} ${secret}\n`);
  const kept = positionals.filter((id) => !issued.has(id));
  if (kept.length) process.stderr.write(`already provisioned (use --rotate to replace): ${kept.join(', ')}\n`);
  return 0;
}

async function list(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, { 'data-dir': { type: 'string' } });
  if (!values['data-dir']) throw new UsageError('--data-dir <dir> is required');
  const { CredentialStore } = await import('../../broker/credentials.js');
  const store = await CredentialStore.open(values['data-dir']);
  for (const { principal: p } of store.list()) {
    process.stdout.write(`${p.username.padEnd(24)} ${p.role}${p.point ? ` point=${p.point}` : ''}\n`);
  }
  return 0;
}

async function mosquitto(argv: string[]): Promise<number> {
  const { values } = parseCommandArgs(argv, {
    'data-dir': { type: 'string' },
    out: { type: 'string' },
    host: { type: 'string' },
    port: { type: 'string' },
  });
  if (!values['data-dir']) throw new UsageError('--data-dir <dir> is required');
  if (!values.out) throw new UsageError('--out <dir> is required');
  const port = values.port === undefined ? 1883 : Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError('--port must be 1-65535');
  const { CredentialStore } = await import('../../broker/credentials.js');
  const { writeMosquittoConfig } = await import('../../broker/mosquitto-config.js');
  const store = await CredentialStore.open(values['data-dir']);
  const files = await writeMosquittoConfig(values.out, store.list(), { host: values.host ?? '0.0.0.0', port });
  process.stdout.write(`wrote ${files.conf}\nwrote ${files.passwordFile}\nwrote ${files.aclFile}\n`);
  return 0;
}

const SUBCOMMANDS: Record<string, (argv: string[]) => Promise<number>> = { issue, list, mosquitto };

export const command: Command = {
  summary: 'MQTT users: issue node secrets, list users, write Mosquitto config',
  usage,
  async run(argv) {
    const [sub, ...rest] = argv;
    if (!sub || wantsHelp([sub])) {
      process.stdout.write(usage);
      return sub ? 0 : 2;
    }
    const fn = SUBCOMMANDS[sub];
    if (!fn) throw new UsageError(`unknown sub-command '${sub}'`);
    if (wantsHelp(rest)) {
      process.stdout.write(usage);
      return 0;
    }
    return fn(rest);
  },
};
