// Config section `charging` (for the gateway config schema: `charging: ChargingConfigSchema.default(DEFAULT_CHARGING)`).
// Phone charging is a module a point switches on or off (DESIGN §1): it never takes power from the critical loads.
import { z } from 'zod';
import { NodeIdSchema } from '../protocol/index.js';

const minutes = z.number().positive().max(24 * 60);

export const ChargingPolicySchema = z.enum(['budget', 'off']);
export type ChargingPolicy = z.infer<typeof ChargingPolicySchema>;

export const ChargingConfigSchema = z.strictObject({
  enabled: z.boolean().default(false),
  /** The charger node whose ports this point hands out. */
  node: NodeIdSchema.default('charger-1'),
  /** Ports on that node (0..ports-1). */
  ports: z.number().int().min(1).max(32).default(8),
  /** Nominal USB power per port (5 V × 2.4 A); the budget counts every active port at this figure. */
  portW: z.number().positive().max(100).default(12),
  /** Longest session (minutes of actual charging); a session also ends when the phone is full or unplugged. */
  sessionMinutes: minutes.default(45),
  /** How long a freed port waits for the next number's phone before that number counts as missed. */
  offerMinutes: minutes.default(10),
  /** After a session ends the port stays off this long so the owner can collect the phone. */
  collectMinutes: minutes.default(15),
  /**
   * Numbers one holder may take per period. The holder is an opaque id (kiosk card code, browser cookie),
   * stored only as a hash: no personal data. Residents without a holder id are not limited.
   */
  perNumberLimit: z
    .strictObject({ sessions: z.number().int().min(1).max(100).default(1), periodHours: z.number().positive().max(24 * 7).default(24) })
    .default({ sessions: 1, periodHours: 24 }),
  /** Longest queue; further numbers are refused (residents are told to come back later). */
  maxQueue: z.number().int().min(1).max(10_000).default(200),
  /** Power always kept for the critical loads (W on the battery bus); the model's own load list counts if larger. */
  reserveW: z.number().min(0).max(10_000).default(150),
  /** Hours of critical load the stored energy (fuel + battery) must still cover; below it charging stops. */
  reserveHours: z.number().min(0).max(24 * 14).default(24),
  /** Below this many hours of stored energy, only half the budget goes to charging. */
  reducedBelowHours: z.number().min(0).max(24 * 14).default(36),
  /** Charging on battery alone (generator off) is allowed while the SoC is at least this (%); null = never. */
  batteryMinSoc: z.number().min(0).max(100).nullable().default(50),
  /** 'budget': ports follow the power budget; 'off': no charging (the pilot assignment's default). */
  policy: ChargingPolicySchema.default('budget'),
  /** Budget recomputation and timeout checks. */
  tickS: z.number().positive().max(600).default(30),
  detection: z
    .strictObject({
      /** Below this a port carries no phone (sensor noise floor). */
      idleMa: z.number().min(0).default(40),
      /** A phone drawing less than this after drawing more is tapering: full. */
      fullMa: z.number().min(0).default(150),
      /** A drop to idle from above this is an unplug, not a full phone. */
      unplugFromMa: z.number().min(0).default(400),
      /** Port current above this is an over-current fault. */
      overcurrentMa: z.number().positive().default(2800),
      /** A port still reporting on (or drawing) this long after we switched it off is stuck on. */
      stuckOnS: z.number().positive().default(90),
      /** Readings a port may stay idle after switching on before the session counts as unplugged. */
      idleReadings: z.number().int().min(1).default(2),
    })
    .default({ idleMa: 40, fullMa: 150, unplugFromMa: 400, overcurrentMa: 2800, stuckOnS: 90, idleReadings: 2 }),
});

export type ChargingConfig = z.infer<typeof ChargingConfigSchema>;
export type ChargingConfigInput = z.input<typeof ChargingConfigSchema>;

export const DEFAULT_CHARGING: ChargingConfig = ChargingConfigSchema.parse({});

export function chargingConfig(input: ChargingConfigInput = {}): ChargingConfig {
  return ChargingConfigSchema.parse(input);
}
