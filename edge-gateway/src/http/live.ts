// WebSocket `/api/live`: pushes `{type, data}` to every open screen. Sends are coalesced so a burst of
// readings costs one message per interval, which keeps many phones on the point's Wi-Fi cheap.
import type { IncomingMessage, Server } from 'node:http';
import { WebSocketServer, WebSocket } from 'ws';
import type { Logger } from '../log/logger.js';

export interface LiveHub {
  /** Schedules a push of `type`; `data()` is evaluated when the push happens. */
  notify(type: string, data: () => unknown): void;
  readonly clients: number;
  close(): void;
}

export interface LiveHubOptions {
  path?: string;
  minIntervalMs?: number;
  maxClients?: number;
  /** Who may listen (the coordinator's pushes are for its logged-in users); default: every screen. */
  authorize?: (req: IncomingMessage) => boolean;
}

export function attachLiveHub(server: Server, log: Logger, opts: LiveHubOptions = {}): LiveHub {
  const path = opts.path ?? '/api/live';
  const minInterval = opts.minIntervalMs ?? 1000;
  const maxClients = opts.maxClients ?? 200;
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 });
  const pending = new Map<string, () => unknown>();
  let timer: NodeJS.Timeout | null = null;
  let last = 0;

  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', 'http://gateway');
    if (url.pathname !== path || wss.clients.size >= maxClients) {
      socket.write('HTTP/1.1 503 Service Unavailable\r\n\r\n');
      socket.destroy();
      return;
    }
    if (opts.authorize && !opts.authorize(req)) {
      socket.write('HTTP/1.1 401 Unauthorized\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Screens only listen; anything they send is ignored.
      ws.on('error', () => ws.terminate());
    });
  });

  const flush = () => {
    timer = null;
    last = Date.now();
    for (const [type, data] of pending) {
      const text = JSON.stringify({ type, data: data() });
      for (const ws of wss.clients) if (ws.readyState === WebSocket.OPEN && ws.bufferedAmount < 256 * 1024) ws.send(text);
    }
    pending.clear();
  };

  return {
    notify(type, data) {
      if (wss.clients.size === 0) return;
      pending.set(type, data);
      if (!timer) timer = setTimeout(flush, Math.max(0, minInterval - (Date.now() - last)));
    },
    get clients() {
      return wss.clients.size;
    },
    close() {
      if (timer) clearTimeout(timer);
      for (const ws of wss.clients) ws.terminate();
      wss.close();
      log.debug('live hub closed');
    },
  };
}
