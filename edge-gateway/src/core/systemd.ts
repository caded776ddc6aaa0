// systemd integration for `Type=notify` units with `WatchdogSec`. Node cannot open unix datagram
// sockets, so notifications go through the `systemd-notify` tool with our PID; the unit sets
// `NotifyAccess=all` so systemd accepts messages sent on the main process's behalf.
import { execFile } from 'node:child_process';
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../log/logger.js';

export interface SystemdNotifier {
  ready(status?: string): void;
  stopping(): void;
  /** Starts watchdog pings every WATCHDOG_USEC/2, each only if `healthy()` holds at that moment. */
  startWatchdog(healthy: () => boolean): () => void;
}

export function createSystemdNotifier(log: Logger, env: NodeJS.ProcessEnv = process.env): SystemdNotifier {
  const enabled = Boolean(env.NOTIFY_SOCKET);
  const send = (...lines: string[]) => {
    if (!enabled) return;
    execFile('systemd-notify', [`--pid=${process.pid}`, ...lines], (err) => {
      if (err) log.warn('systemd-notify failed', { error: errorMessage(err) });
    });
  };
  return {
    ready: (status) => send('--ready', ...(status ? [`--status=${status}`] : [])),
    stopping: () => send('STOPPING=1'),
    startWatchdog(healthy) {
      const usec = Number(env.WATCHDOG_USEC);
      if (!enabled || !Number.isFinite(usec) || usec <= 0) return () => {};
      // A hung event loop never reaches this timer, and an unhealthy gateway stops pinging: either way systemd restarts us.
      const timer = setInterval(() => {
        if (healthy()) send('WATCHDOG=1');
        else log.warn('health check failed: withholding the watchdog ping');
      }, Math.max(1000, usec / 2000));
      timer.unref();
      return () => clearInterval(timer);
    },
  };
}
