import { MAX_STEPS } from '@fluxir/core/step-limit';
import { z } from 'zod';

const stepCount = z.number().int().min(1).max(MAX_STEPS);

/**
 * How many sampling steps a task takes: the default, and the range a user may pick from, each an
 * integer from 1 to MAX_STEPS with min <= default <= max. Plugin definitions, the host's plugin checks
 * and the plugin list clients receive all use this schema.
 */
export const stepBudgetSchema = z
  .object({ min: stepCount, default: stepCount, max: stepCount })
  .refine((budget) => budget.min <= budget.default && budget.default <= budget.max, { message: 'min <= default <= max' });

export type StepBudgetInfo = Readonly<z.infer<typeof stepBudgetSchema>>;

/** A step budget's first problem: the field at fault (`min`, `default`, `max`) or `order` for min > default > max. */
export function stepBudgetProblem(budget: unknown): 'min' | 'default' | 'max' | 'order' | 'shape' | undefined {
  const result = stepBudgetSchema.safeParse(budget);
  if (result.success) return undefined;
  const [issue] = result.error.issues;
  const [field] = issue.path;
  if (field === 'min' || field === 'default' || field === 'max') return field;
  return issue.code === 'custom' ? 'order' : 'shape';
}
