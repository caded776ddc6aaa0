// The point's own MQTT broker (aedes over TCP). Secure by default: no anonymous clients, every
// user authenticated against the credential store, every publish/subscribe checked against ACL_RULES.
// aedes speaks MQTT 3.1.1, which has no reason codes for a refused PUBLISH: aedes then closes the
// connection (Mosquitto acknowledges and drops instead). Either way the message is never delivered.
import { createServer } from 'node:net';
import type { AddressInfo, Server, Socket } from 'node:net';
import { Aedes } from 'aedes';
import type { AuthenticateError, Client, PublishPacket, Subscription } from 'aedes';
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../log/logger.js';
import type { Principal } from './acl.js';
import { mayPublish, mayReceive, maySubscribe } from './acl.js';
import type { CredentialVerifier } from './credentials.js';
import { PacketSizeWatcher } from './packet-size-guard.js';

/** Protocol messages are a few hundred bytes; 8 KB leaves room and bounds memory per client. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 8 * 1024;
/** Fixed header + topic + ids on top of the payload. */
export const PACKET_OVERHEAD_BYTES = 512;

export interface EmbeddedBrokerOptions {
  /** Listen address; loopback by default. Use the point's LAN/Wi-Fi address for real nodes. */
  host?: string;
  /** TCP port; 0 picks a free one (see `port` on the result). */
  port: number;
  credentials: CredentialVerifier;
  log: Logger;
  maxPayloadBytes?: number;
}

export interface BrokerStats {
  connections: number;
  connectRefused: number;
  publishRefused: number;
  subscribeRefused: number;
  oversize: number;
}

export interface EmbeddedBroker {
  readonly host: string;
  readonly port: number;
  /** `mqtt://host:port`, for MqttNodeLink and the simulator. */
  readonly url: string;
  readonly stats: Readonly<BrokerStats>;
  close(): Promise<void>;
}

export class BrokerStartError extends Error {
  override name = 'BrokerStartError';
}

function authError(message: string, returnCode: 4 | 5): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

export async function startEmbeddedBroker(opts: EmbeddedBrokerOptions): Promise<EmbeddedBroker> {
  const { log, credentials } = opts;
  const host = opts.host ?? '127.0.0.1';
  const maxPayload = opts.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES;
  const stats: BrokerStats = { connections: 0, connectRefused: 0, publishRefused: 0, subscribeRefused: 0, oversize: 0 };
  const principals = new WeakMap<Client, Principal>();

  const refuse = (kind: 'publishRefused' | 'subscribeRefused', client: Client | null, topic: string, reason: string) => {
    stats[kind]++;
    const p = client ? principals.get(client) : undefined;
    log.warn(kind === 'publishRefused' ? 'publish refused' : 'subscribe refused', {
      client: client?.id ?? null,
      user: p?.username ?? null,
      topic,
      reason,
    });
  };

  const broker = new Aedes({
    // A client that stops reading must not pin broker memory for long.
    drainTimeout: 30_000,
    authenticate(client, username, password, done) {
      credentials.verify(username, password).then(
        (principal) => {
          if (!principal) {
            stats.connectRefused++;
            const reason = username === undefined ? 'no credentials' : 'bad username or password';
            log.warn('connect refused', { client: client.id, user: username ?? null, reason });
            done(authError(reason, username === undefined ? 5 : 4), false);
            return;
          }
          principals.set(client, principal);
          // One session per user (Mosquitto: use_username_as_clientid): another authenticated
          // client cannot take over, and so knock off, a node by reusing its client id.
          (client as { id: string }).id = principal.username;
          done(null, true);
        },
        (err: unknown) => {
          stats.connectRefused++;
          log.error('credential check failed', { client: client.id, error: errorMessage(err) });
          done(authError('server error', 5), false);
        },
      );
    },
    authorizePublish(client, packet: PublishPacket, done) {
      const p = client ? principals.get(client) : undefined;
      // client is null only for wills of clients from another broker instance; we run one.
      if (!p) {
        refuse('publishRefused', client, packet.topic, 'unauthenticated');
        return done(new Error('not authorized'));
      }
      const size = Buffer.byteLength(packet.payload);
      if (size > maxPayload) {
        stats.oversize++;
        refuse('publishRefused', client, packet.topic, `payload of ${size} bytes exceeds ${maxPayload}`);
        return done(new Error('payload too large'));
      }
      if (!mayPublish(p, packet.topic)) {
        refuse('publishRefused', client, packet.topic, 'acl');
        return done(new Error('not authorized'));
      }
      done(null);
    },
    authorizeSubscribe(client, sub: Subscription, done) {
      const p = principals.get(client);
      if (!p || !maySubscribe(p, sub.topic)) {
        refuse('subscribeRefused', client, sub.topic, 'acl');
        // null subscription = SUBACK 0x80 for this filter; the connection stays up.
        return done(null, null);
      }
      done(null, sub);
    },
    authorizeForward(client, packet) {
      const p = principals.get(client);
      return p && mayReceive(p, packet.topic) ? packet : null;
    },
  });

  await broker.listen();
  broker.on('clientReady', (client) => {
    stats.connections++;
    log.debug(() => `client connected: ${client.id}`);
  });
  broker.on('clientDisconnect', (client) => log.debug(() => `client disconnected: ${client.id}`));
  broker.on('clientError', (client, err) => log.debug(() => `client ${client.id}: ${err.message}`));
  broker.on('connectionError', (_client, err) => log.debug(() => `connection error: ${err.message}`));

  const maxPacket = maxPayload + PACKET_OVERHEAD_BYTES;
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    broker.handle(socket);
    // A passive 'data' listener sees every chunk aedes reads (its 'readable' handler keeps control of the flow).
    const watcher = new PacketSizeWatcher(maxPacket);
    socket.on('data', (chunk: Buffer) => {
      const size = watcher.push(chunk);
      if (size === null) return;
      stats.oversize++;
      log.warn('oversize packet: connection closed', { remote: socket.remoteAddress, bytes: size, limit: maxPacket });
      socket.destroy();
    });
  });

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await new Promise<void>((resolve) => broker.close(() => resolve()));
    throw new BrokerStartError(`cannot listen on ${host}:${opts.port}: ${errorMessage(err)}`, { cause: err });
  }
  server.on('error', (err) => log.error('broker server error', { error: err.message }));
  const port = (server.address() as AddressInfo).port;
  log.info('embedded MQTT broker listening', { host, port });

  let closing: Promise<void> | undefined;
  return {
    host,
    port,
    url: `mqtt://${host.includes(':') ? `[${host}]` : host}:${port}`,
    stats,
    close() {
      closing ??= (async () => {
        const serverClosed = new Promise<void>((resolve) => server.close(() => resolve()));
        await new Promise<void>((resolve) => broker.close(() => resolve()));
        for (const s of sockets) s.destroy();
        await serverClosed;
        log.info('embedded MQTT broker closed');
      })();
      return closing;
    },
  };
}
