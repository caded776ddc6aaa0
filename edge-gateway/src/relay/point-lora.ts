// The point's LoRa path as the gateway runs it: the RAK3172 on its serial port, the EU868 airtime
// budget, and the relay's LoraPath (which joins on its first send). The modem is opened in the
// background and retried: a module that is missing or still booting (or, in simulation, a pty the
// simulator has not created yet) must not keep the point from starting; the relay simply does not
// use LoRa until the modem is up.
import type { Clock } from '../core/clock.js';
import { Rak3172Modem } from '../drivers/lora-modem/index.js';
import type { Logger } from '../log/logger.js';
import { errorMessage } from '../log/logger.js';
import { LoraPath } from './lora-path.js';
import { LoraBudget } from './scheduler.js';

export interface PointLoraConfig {
  /** Serial device of the modem (prefer /dev/serial/by-id/…). */
  path: string;
  /** EU868 data rate 0–5 (SF12–SF7). */
  dataRate: number;
  joinAttempts: number;
  joinIntervalS: number;
  ackTimeoutS: number;
}

export interface PointLora {
  path: LoraPath;
  budget: LoraBudget;
  ackTimeoutMs: number;
  start(): Promise<void>;
  stop(): Promise<void>;
}

export function createPointLora(cfg: PointLoraConfig, deps: { clock: Clock; log: Logger; retryMs?: number }): PointLora {
  const { clock, log } = deps;
  const modem = new Rak3172Modem({ path: cfg.path, clock, log: log.child('modem') });
  const budget = new LoraBudget();
  const path = new LoraPath({ modem, budget, clock, log, join: { attempts: cfg.joinAttempts, intervalS: cfg.joinIntervalS } });
  let stopped = false;
  let cancelRetry: (() => void) | null = null;
  let failures = 0;
  const open = async (): Promise<void> => {
    cancelRetry = null;
    try {
      await modem.open();
      if (stopped) return void (await modem.close());
      await modem.setDataRate(cfg.dataRate);
      log.info('LoRa modem ready', { path: cfg.path, dataRate: cfg.dataRate });
    } catch (err) {
      await modem.close().catch(() => {});
      if (stopped) return;
      // Said once, then quietly retried: a point without its modem keeps working over IP.
      if (failures++ === 0) log.warn('LoRa modem not available: retrying in the background', { path: cfg.path, error: errorMessage(err) });
      cancelRetry = clock.setTimeout(() => void open(), deps.retryMs ?? 5000);
    }
  };
  return {
    path,
    budget,
    ackTimeoutMs: cfg.ackTimeoutS * 1000,
    start: () => {
      void open();
      return Promise.resolve();
    },
    stop: async () => {
      stopped = true;
      cancelRetry?.();
      await modem.close().catch((err: unknown) => log.warn('LoRa modem did not close cleanly', { error: errorMessage(err) }));
    },
  };
}
