// The commissioning steps, in order, from hardware/commissioning-steps.json: the printed checklists
// (hardware/docs/commissioning-checklist.*.md) follow the same ids, so wizard and paper agree.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { REPO_ROOT } from '../paths.js';

export const StepListSchema = z.object({
  steps: z.array(z.object({ id: z.string().regex(/^[a-z][a-z-]*$/), nl: z.string().min(1), en: z.string().min(1) })).min(1),
});
export type StepDef = z.infer<typeof StepListSchema>['steps'][number];

export const STEPS_FILE = join(REPO_ROOT, 'hardware', 'commissioning-steps.json');

export function loadSteps(file: string = STEPS_FILE): StepDef[] {
  return StepListSchema.parse(JSON.parse(readFileSync(file, 'utf8'))).steps;
}

export const STEP_STATUSES = ['open', 'passed', 'failed', 'skipped'] as const;
export type StepStatus = (typeof STEP_STATUSES)[number];
