// One call that stands up the LoRa side of a simulated point: a socat pty pair, the simulated
// RAK3172 on the node end, and the simulated network server publishing to MQTT. The gateway then
// opens `gatewayPath` with the real RAK3172 driver, as it would /dev/ttyUSB0.
import type { Clock } from '../../core/clock.js';
import { SystemClock } from '../../core/clock.js';
import type { Logger } from '../../log/logger.js';
import { createLogger } from '../../log/logger.js';
import type { PtyPairOptions } from '../pty.js';
import { createPtyPair } from '../pty.js';
import type { MqttTarget, RadioMeta, SimDevice } from './network-server.js';
import { SimNetworkServer } from './network-server.js';
import type { SimRak3172Options } from './rak3172-sim.js';
import { SimRak3172 } from './rak3172-sim.js';

export interface LoraSimOptions {
  device: SimDevice;
  applicationId: string;
  /** ChirpStack-style MQTT integration target; without it events stay in-process. */
  mqtt?: MqttTarget;
  /** Simulation clock (airtime, duty cycle, receive windows); may be accelerated. */
  clock?: Clock;
  log?: Logger;
  /** Module behaviour: seed, loss and join-failure rates, event spelling … */
  module?: Partial<Omit<SimRak3172Options, 'path' | 'createPort' | 'network' | 'devEui' | 'joinEui' | 'appKey' | 'clock' | 'log'>>;
  pty?: PtyPairOptions;
  /** Sees every PHYPayload that reaches the network (tests decrypt them independently). */
  onAir?: (phy: Buffer, meta: RadioMeta) => void;
}

export interface LoraSim {
  /** Serial device path for the gateway's modem driver. */
  readonly gatewayPath: string;
  readonly network: SimNetworkServer;
  readonly module: SimRak3172;
  close(): Promise<void>;
}

export async function startLoraSimulation(opts: LoraSimOptions): Promise<LoraSim> {
  const clock = opts.clock ?? new SystemClock();
  const log = opts.log ?? createLogger('sim:lora');
  const network = new SimNetworkServer({ applicationId: opts.applicationId, devices: [opts.device], clock, log: log.child('network'), ...(opts.mqtt ? { mqtt: opts.mqtt } : {}) });
  await network.start();
  const pair = await createPtyPair(opts.pty).catch(async (err: unknown) => {
    await network.stop();
    throw err;
  });
  const onAir = opts.onAir;
  const module = new SimRak3172({
    ...opts.module,
    path: pair.nodePath,
    network: onAir
      ? {
          uplink: (phy, meta) => {
            onAir(phy, meta);
            return network.uplink(phy, meta);
          },
        }
      : network,
    devEui: opts.device.devEui,
    joinEui: opts.device.joinEui,
    appKey: opts.device.appKey,
    clock,
    log: log.child('rak3172'),
  });
  try {
    await module.open();
  } catch (err) {
    await pair.close();
    await network.stop();
    throw err;
  }
  return {
    gatewayPath: pair.gatewayPath,
    network,
    module,
    close: async () => {
      await module.close();
      await pair.close();
      await network.stop();
    },
  };
}
