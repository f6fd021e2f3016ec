import type { Image, Mask, PreparedInput, DegradedSample, Rng, TaskSpec } from '@fluxir/core';
import type { z } from 'zod';

export interface StepBudget {
  readonly default: number;
  readonly min: number;
  readonly max: number;
}

/** The fields a plugin author writes. Name and version come from the plugin's package.json. */
export interface PluginOptions<P extends Record<string, unknown>> {
  readonly packageJson: { readonly name: string; readonly version: string };
  readonly id: string;
  readonly title: string;
  /** The degradation prompt the engine is conditioned on. */
  readonly prompt: string;
  readonly stepBudget: StepBudget;
  /** Run-time schema of the task's parameters, with defaults. */
  readonly params: z.ZodType<P>;
  /** True when the task cannot run without a mask (white = fill). */
  readonly requiresMask?: boolean;
  /** Parameters to train and evaluate with (random but reproducible). */
  readonly trainingParams: (rng: Rng) => P;
  readonly prepare: (input: Image, params: P, mask?: Mask) => PreparedInput;
  readonly degrade: (clean: Image, rng: Rng, params: P) => DegradedSample;
  readonly baseline: (input: Image, params: P, mask?: Mask) => Image;
  /** Parameters used by `fluxir eval` and the benchmark (fixed, documented degradations). */
  readonly evalParams: P;
  /** The fixed, documented degradation `fluxir eval` and the benchmark measure (seeded per photo). */
  readonly evalDegrade?: (clean: Image, rng: Rng) => DegradedSample;
  /** What evalDegrade does, in words, for result tables. */
  readonly evalDescription?: string;
}

export interface PluginDefinition<P extends Record<string, unknown> = Record<string, unknown>>
  extends TaskSpec<P> {
  readonly packageName: string;
  readonly version: string;
  readonly title: string;
  readonly stepBudget: StepBudget;
  readonly params: z.ZodType<P>;
  readonly requiresMask: boolean;
  readonly evalParams: P;
  /** The benchmark degradation: the plugin's own, else `degrade` with `evalParams`. */
  evalDegrade(clean: Image, rng: Rng): DegradedSample;
  readonly evalDescription: string;
  /** Validates raw parameters; throws E_PARAMS naming the field. */
  parseParams(raw: unknown): P;
}
