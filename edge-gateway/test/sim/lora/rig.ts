// The real RAK3172 driver and the simulated module (startLoraSimulation) on the two ends of a socat
// pty pair, the module talking to a simulated network server. The simulator runs on an accelerated
// clock so SF12 airtime and join delays take a fraction of a second; the driver keeps wall time.
import { EventEmitter } from 'node:events';
import { SystemClock } from '../../../src/core/clock.js';
import { silentLogger } from '../../../src/log/logger.js';
import { Rak3172Modem } from '../../../src/drivers/lora-modem/index.js';
import type { PortCallback, SerialPortLike } from '../../../src/links/serial/port.js';
import type { MqttTarget, SimNetworkServer, SimRak3172, SimRak3172Options } from '../../../src/sim/lora/index.js';
import { startLoraSimulation } from '../../../src/sim/lora/index.js';

export const DEVICE = { devEui: 'ac1f09fffe0a1b2c', joinEui: '0000000000000001', appKey: '8d7f3b2a1c0e4f5a6b7c8d9e0f1a2b3c', name: 'punt-utrecht-01' };
export const APP_ID = '7c1e9a52-3b7d-4f4e-9a51-2f0c8d6e1b10';
/** Simulated time runs this much faster than wall time. */
export const SPEED = 10;

export interface LoraRig {
  ns: SimNetworkServer;
  sim: SimRak3172;
  modem: Rak3172Modem;
  /** Every PHYPayload the simulated module put on the air and the network heard. */
  air: Buffer[];
  close(): Promise<void>;
}

export async function loraRig(opts: { sim?: Partial<SimRak3172Options>; mqtt?: MqttTarget; modem?: { commandTimeoutMs?: number; probeTimeoutMs?: number; resetWaitMs?: number } } = {}): Promise<LoraRig> {
  const air: Buffer[] = [];
  const lora = await startLoraSimulation({
    device: DEVICE,
    applicationId: APP_ID,
    clock: new SystemClock(SPEED),
    log: silentLogger,
    module: { seed: 7, ...opts.sim },
    onAir: (phy) => air.push(phy),
    ...(opts.mqtt ? { mqtt: opts.mqtt } : {}),
  });
  const modem = new Rak3172Modem({ path: lora.gatewayPath, log: silentLogger, ...opts.modem });
  try {
    await modem.open();
  } catch (err) {
    await lora.close();
    throw err;
  }
  return {
    ns: lora.network,
    sim: lora.module,
    modem,
    air,
    close: async () => {
      await modem.close();
      await lora.close();
    },
  };
}

/**
 * Without a pty: the host side of an in-memory UART to a SimRak3172 on virtual time. What the module writes is
 * collected line by line.
 */
export class HostPort extends EventEmitter implements SerialPortLike {
  isOpen = false;
  readonly lines: string[] = [];
  open(cb: PortCallback): void {
    this.isOpen = true;
    cb(null);
  }
  close(cb?: PortCallback): void {
    this.isOpen = false;
    cb?.(null);
  }
  write(data: Buffer): boolean {
    this.lines.push(...data.toString('latin1').split('\r\n').filter(Boolean));
    return true;
  }
  /** Sends a command and returns what the module answered synchronously. */
  at(cmd: string): string[] {
    const from = this.lines.length;
    this.emit('data', Buffer.from(`${cmd}\r\n`));
    return this.lines.slice(from);
  }
}
