// The power-budget configuration file (hardware/power-budget.example.json): one zod schema, from which the
// PowerSystem the model computes on is derived. Every figure may carry a `source` so a budget can be checked.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';
import { LOAD_CATEGORIES, type PowerSystem } from './power-model.js';

const fraction = z.number().min(0).max(1);
const positive = z.number().positive();
const source = z.string().min(1).optional();

export const PowerBudgetConfigSchema = z
  .object({
    $schema: z.string().optional(),
    name: z.string().min(1),
    loads: z
      .array(
        z.strictObject({
          id: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
          category: z.enum(LOAD_CATEGORIES),
          label: z.string().min(1),
          watts: z.number().min(0),
          dutyCycle: fraction.default(1),
          source,
        }),
      )
      .min(1),
    generator: z.strictObject({
      model: z.string().min(1),
      ratedVA: positive,
      powerFactor: fraction.refine((v) => v > 0, 'must be above 0'),
      maxContinuousFraction: fraction.refine((v) => v > 0, 'must be above 0'),
      fuelCurve: z
        .strictObject({ idleLph: z.number().min(0), fullLoadLph: positive, source })
        .refine((c) => c.fullLoadLph > c.idleLph, 'fullLoadLph must exceed idleLph'),
      source,
    }),
    tank: z
      .strictObject({ capacityL: positive, fuelL: z.number().min(0), reserveL: z.number().min(0), source })
      .refine((t) => t.fuelL <= t.capacityL, 'fuelL cannot exceed capacityL'),
    battery: z.strictObject({
      chemistry: z.string().min(1),
      nominalV: positive,
      capacityAh: positive,
      usableFraction: fraction,
      soc: fraction,
      source,
    }),
    conversion: z.strictObject({
      chargerModel: z.string().min(1),
      chargerEfficiency: fraction.refine((v) => v > 0, 'must be above 0'),
      chargerMaxW: positive,
      portEfficiency: fraction.refine((v) => v > 0, 'must be above 0'),
      source,
    }),
    charging: z.strictObject({
      ports: z.number().int().min(0),
      portW: positive,
      batteryRechargeW: z.number().min(0),
      allowOnBattery: z.boolean(),
      source,
    }),
  })
  .strict();

export type PowerBudgetConfig = z.infer<typeof PowerBudgetConfigSchema>;

export class PowerConfigError extends Error {
  override name = 'PowerConfigError';
}

export const EXAMPLE_POWER_CONFIG = fileURLToPath(new URL('../power-budget.example.json', import.meta.url));

/** Validates a parsed config; the error lists every problem with its path. */
export function parsePowerConfig(value: unknown, label = 'power budget config'): PowerBudgetConfig {
  const r = PowerBudgetConfigSchema.safeParse(value);
  if (!r.success) {
    const lines = r.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`);
    throw new PowerConfigError(`${label}: ${lines.join('; ')}`, { cause: r.error });
  }
  return r.data;
}

export function loadPowerConfig(file: string = EXAMPLE_POWER_CONFIG): PowerBudgetConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new PowerConfigError(`cannot read ${file}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
  return parsePowerConfig(raw, file);
}

/** The model's view of a config: ratings resolved, labels and sources dropped. */
export function toPowerSystem(c: PowerBudgetConfig): PowerSystem {
  return {
    loads: c.loads.map((l) => ({ id: l.id, category: l.category, watts: l.watts, dutyCycle: l.dutyCycle })),
    generator: {
      ratedW: c.generator.ratedVA * c.generator.powerFactor,
      maxContinuousFraction: c.generator.maxContinuousFraction,
      fuelCurve: { idleLph: c.generator.fuelCurve.idleLph, fullLoadLph: c.generator.fuelCurve.fullLoadLph },
    },
    tank: { fuelL: c.tank.fuelL, reserveL: c.tank.reserveL },
    battery: { nominalV: c.battery.nominalV, capacityAh: c.battery.capacityAh, usableFraction: c.battery.usableFraction, soc: c.battery.soc },
    conversion: { chargerEfficiency: c.conversion.chargerEfficiency, chargerMaxW: c.conversion.chargerMaxW, portEfficiency: c.conversion.portEfficiency },
    charging: { ports: c.charging.ports, portW: c.charging.portW, batteryRechargeW: c.charging.batteryRechargeW, allowOnBattery: c.charging.allowOnBattery },
  };
}
