// MQTT users of one point: a JSON file in the gateway's data dir holding only password hashes
// (scrypt for the embedded broker, Mosquitto `$7$` for an external one). Node secrets are generated
// here and returned in plaintext exactly once, to whoever hands them to the node (simulator,
// commissioning). The gateway's own service secret must survive restarts, so it lives in a
// separate 0600 file: it is a client credential the gateway presents, like a private key.
import { readFile, chmod, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { Logger } from '../log/logger.js';
import { silentLogger } from '../log/logger.js';
import type { Principal } from './acl.js';
import { GATEWAY_USERNAME, ROLES, principalProblem } from './acl.js';
import { writeFileAtomic } from './atomic-file.js';
import { burnScrypt, generateSecret, hashMosquitto, hashScrypt, isMosquittoHash, isScryptHash, verifyScrypt } from './password-hash.js';

export const CREDENTIALS_FILE = 'mqtt-credentials.json';
export const GATEWAY_SECRET_FILE = 'mqtt-gateway.secret';

const StoredUserSchema = z.object({
  role: z.enum(ROLES),
  point: z.string().optional(),
  scrypt: z.string().refine(isScryptHash, 'not an scrypt hash'),
  mosquitto: z.string().refine(isMosquittoHash, 'not a Mosquitto $7$ hash'),
  created: z.string(),
});
const CredentialsFileSchema = z.object({
  version: z.literal(1),
  users: z.record(z.string(), StoredUserSchema),
});
type StoredUser = z.infer<typeof StoredUserSchema>;

export class CredentialsError extends Error {
  override name = 'CredentialsError';
}

/** What the broker needs: check a CONNECT's username/password, get the principal or null. */
export interface CredentialVerifier {
  verify(username: string | undefined, password: Buffer | string | undefined): Promise<Principal | null>;
}

/** A user as stored: the principal plus both hashes (for the Mosquitto config generator). */
export interface StoredCredential {
  principal: Principal;
  scrypt: string;
  mosquitto: string;
}

export interface ServiceCredentials {
  username: string;
  password: string;
}

export class CredentialStore implements CredentialVerifier {
  private users: Map<string, StoredUser>;
  /** Serialises mutations so concurrent calls never interleave read-modify-write of the file. */
  private chain: Promise<unknown> = Promise.resolve();
  private gatewayCreds: ServiceCredentials | undefined;

  private constructor(
    readonly dir: string,
    users: Map<string, StoredUser>,
    private readonly log: Logger,
  ) {
    this.users = users;
  }

  /**
   * Loads `<dataDir>/mqtt-credentials.json` (an empty set when absent) and makes sure the gateway's
   * service user exists, generating its secret on first start.
   */
  static async open(dataDir: string, opts: { log?: Logger } = {}): Promise<CredentialStore> {
    const log = opts.log ?? silentLogger;
    const store = new CredentialStore(dataDir, await loadUsers(join(dataDir, CREDENTIALS_FILE), log), log);
    await store.ensureGatewayCredentials();
    return store;
  }

  get path(): string {
    return join(this.dir, CREDENTIALS_FILE);
  }

  /** The gateway's own username and password, for connecting its MQTT node link. */
  get gateway(): ServiceCredentials {
    if (!this.gatewayCreds) throw new CredentialsError('gateway credentials not loaded');
    return this.gatewayCreds;
  }

  has(username: string): boolean {
    return this.users.has(username);
  }

  list(): StoredCredential[] {
    return [...this.users].map(([username, u]) => ({
      principal: { username, role: u.role, ...(u.point !== undefined ? { point: u.point } : {}) },
      scrypt: u.scrypt,
      mosquitto: u.mosquitto,
    }));
  }

  async verify(username: string | undefined, password: Buffer | string | undefined): Promise<Principal | null> {
    if (username === undefined || password === undefined) return null;
    const user = this.users.get(username);
    if (!user) {
      await burnScrypt(password);
      return null;
    }
    if (!(await verifyScrypt(user.scrypt, password))) return null;
    return { username, role: user.role, ...(user.point !== undefined ? { point: user.point } : {}) };
  }

  /**
   * Creates credentials for the nodes that have none yet. Returns node id → plaintext secret for
   * the newly created ones only: this is the one moment the secret exists outside the node.
   */
  ensureNodeCredentials(nodeIds: readonly string[]): Promise<Map<string, string>> {
    return this.mutate(async () => {
      const ids = [...new Set(nodeIds)];
      // Validate the whole batch first: a bad id must not half-apply it (nor pass as an existing service user).
      for (const id of ids) {
        const problem = principalProblem({ username: id, role: 'node' });
        if (problem) throw new CredentialsError(problem);
      }
      const issued = new Map<string, string>();
      for (const id of ids) {
        if (this.users.has(id)) continue;
        const secret = generateSecret();
        this.users.set(id, await storedUser({ username: id, role: 'node' }, secret));
        issued.set(id, secret);
      }
      if (issued.size > 0) {
        await this.save();
        this.log.info('node credentials issued', { nodes: [...issued.keys()] });
      }
      return issued;
    });
  }

  /** Creates or replaces a user's secret (re-commissioning a node, a new coordinator link); returns it once. */
  issue(principal: Principal): Promise<string> {
    return this.mutate(async () => {
      const secret = generateSecret();
      this.users.set(principal.username, await storedUser(principal, secret));
      await this.save();
      this.log.info('credentials issued', { user: principal.username, role: principal.role });
      return secret;
    });
  }

  remove(username: string): Promise<boolean> {
    return this.mutate(async () => {
      if (username === GATEWAY_USERNAME) throw new CredentialsError('the gateway service user cannot be removed');
      if (!this.users.delete(username)) return false;
      await this.save();
      this.log.info('credentials removed', { user: username });
      return true;
    });
  }

  private async ensureGatewayCredentials(): Promise<void> {
    const secretPath = join(this.dir, GATEWAY_SECRET_FILE);
    let secret: string | undefined;
    try {
      secret = (await readFile(secretPath, 'utf8')).trim();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw new CredentialsError(`cannot read ${secretPath}`, { cause: err });
    }
    const user = this.users.get(GATEWAY_USERNAME);
    if (secret && user && (await verifyScrypt(user.scrypt, secret))) {
      this.gatewayCreds = { username: GATEWAY_USERNAME, password: secret };
      return;
    }
    if (secret || user) this.log.warn('gateway service secret missing or not matching its hash: generating a new one');
    const fresh = generateSecret();
    await this.mutate(async () => {
      this.users.set(GATEWAY_USERNAME, await storedUser({ username: GATEWAY_USERNAME, role: 'gateway' }, fresh));
      // Secret first: a crash between the two writes leaves a secret without a matching hash,
      // which the next start detects and repairs, never a hash nobody knows the secret of.
      await writeFileAtomic(secretPath, fresh + '\n', 0o600);
      await this.save();
    });
    this.gatewayCreds = { username: GATEWAY_USERNAME, password: fresh };
  }

  private mutate<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.chain.then(fn, fn);
    this.chain = run.catch(() => {});
    return run;
  }

  private async save(): Promise<void> {
    const file = { version: 1 as const, users: Object.fromEntries([...this.users].sort(([a], [b]) => a.localeCompare(b))) };
    await writeFileAtomic(this.path, JSON.stringify(file, null, 2) + '\n', 0o600);
  }
}

async function storedUser(p: Principal, secret: string): Promise<StoredUser> {
  const problem = principalProblem(p);
  if (problem) throw new CredentialsError(problem);
  return {
    role: p.role,
    ...(p.point !== undefined ? { point: p.point } : {}),
    scrypt: await hashScrypt(secret),
    mosquitto: await hashMosquitto(secret),
    created: new Date().toISOString(),
  };
}

async function loadUsers(path: string, log: Logger): Promise<Map<string, StoredUser>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return new Map();
    throw new CredentialsError(`cannot read ${path}`, { cause: err });
  }
  const mode = (await stat(path)).mode & 0o777;
  if (mode & 0o077) {
    log.warn('credentials file readable by others: tightening to 0600', { path, mode: mode.toString(8) });
    await chmod(path, 0o600);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new CredentialsError(`${path}: malformed JSON`, { cause: err });
  }
  const parsed = CredentialsFileSchema.safeParse(json);
  if (!parsed.success) {
    const detail = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    throw new CredentialsError(`${path}: ${detail}`);
  }
  const users = new Map(Object.entries(parsed.data.users));
  for (const [username, u] of users) {
    const problem = principalProblem({ username, role: u.role, ...(u.point !== undefined ? { point: u.point } : {}) });
    if (problem) throw new CredentialsError(`${path}: ${problem}`);
  }
  return users;
}
