import type { Image, Mask, PreparedInput, DegradedSample, Rng } from '@fluxir/core';
import type { z } from 'zod';
import type { StepBudgetInfo } from './protocol/step-budget';

/** How many sampling steps the task takes: the default, and the range a user may pick from (1 to MAX_STEPS). */
export type StepBudget = StepBudgetInfo;

/** The parameters of a task: a plain object, as parsed by its schema. */
export type PluginParams = Record<string, unknown>;

/**
 * The fields a plugin author writes; `definePlugin` checks them and returns a `PluginDefinition`.
 * `P` is inferred from `params`: every callback receives the parsed, defaulted parameters.
 */
export interface PluginOptions<P extends PluginParams> {
  /** The plugin's package.json (use `readPluginPackage(__dirname)`): name and version are never retyped. */
  readonly packageJson: { readonly name: string; readonly version: string };
  /** The task id users pick (`--task ID`): 2 to 32 lower-case letters, digits and dashes, starting with a letter. */
  readonly id: string;
  /** The name shown in the panel and in `fluxir plugins`. */
  readonly title: string;
  /**
   * When to use the task and how to set it, in a sentence or two for the user of an editor ("For grain
   * from high ISO..."). Editor panels show it under "About this task" (since SDK 1.3).
   */
  readonly help?: string;
  /**
   * The degradation prompt the engine is conditioned on, in plain lower-case words ("remove jpeg
   * blocking and ringing"). Words shared with other tasks' prompts map to shared embeddings, so a
   * new task starts from what the engine knows about similar ones.
   */
  readonly prompt: string;
  /** Sampling steps: the default and the range a user may choose from. */
  readonly stepBudget: StepBudget;
  /**
   * Where the sampled path ends (default 0, the clean end): from -1 to 0. Below 0 the last step runs
   * past t = 0 along its velocity, moving the start (1 - pathEnd) times as far as the network's
   * correction. Set it only where the evaluation measures the network's correction falling short on
   * photos it did not train on (deblur: -0.3). Since SDK 1.4.
   */
  readonly pathEnd?: number;
  /**
   * Run-time schema of the parameters, with defaults (`z.strictObject({...})`). It validates every
   * request and is converted with `z.toJSONSchema` into the panel's settings form: give each field a
   * `.meta({ title, description })`.
   */
  readonly params: z.ZodType<P>;
  /** True when the task cannot run without a mask (white = fill). */
  readonly requiresMask?: boolean;
  /**
   * How many times longer the output's sides are than the input's, for these parameters (default 1;
   * super-resolution: its scale). The host checks its pixel limit against the output before any work.
   */
  readonly outputScale?: (params: P) => number;
  /**
   * Builds the engine's condition from the user's image: `y` at the output size, RGB in [0, 1]
   * (super-resolution: the upsampled input), and the mask for masked tasks. `input` is RGB in a buffer
   * the plugin owns (the host takes alpha off and brings grey up to RGB), and `mask` is 0/1 in one of
   * its own: keep them, return them or write into them. Every buffer returned must be the plugin's own
   * too, never one it hands out again: the engine samples in `y` and `start`. See `prepareRgb` and
   * `prepareMasked`.
   */
  readonly prepare: (input: Image, params: P, mask?: Mask) => PreparedInput;
  /** What training, evaluation and the benchmark need; a serving host never calls it. */
  readonly training: TrainingOptions<P>;
}

/** The training and evaluation fields a plugin author writes (`training: { ... }` in `definePlugin`). */
export interface TrainingOptions<P extends PluginParams> {
  /** Parameters for one training sample, drawn from `rng` (random but reproducible); write literal values `as const`. */
  readonly trainingParams: (rng: Rng) => NoInfer<P>;
  /**
   * The degradation model: the low-quality RGB image a user would bring, from a clean RGB image, for
   * training, tests and benchmarks. Deterministic given `rng`, never writes to `clean`; see `rgbDegradation`.
   */
  readonly degrade: (clean: Image, rng: Rng, params: NoInfer<P>) => DegradedSample;
  /** The families and ranges `degrade` draws from, in words (shown by `fluxir plugins` and in the docs). */
  readonly degradationDescription?: string;
  /** The classical method fluxir is measured against: a degraded RGB image in, RGB out at the output size. */
  readonly baseline: (input: Image, params: NoInfer<P>, mask?: Mask) => Image;
  /**
   * For a task whose `prepare` looks at the whole image (an exposure stretch, a haze estimate): the side
   * of the region training degrades and prepares as a whole before cutting its patch (default: the patch
   * itself), so that a patch sees statistics taken over much more than itself, as a tile does when a
   * photo is restored. Since SDK 1.3.
   */
  readonly context?: number;
  /**
   * Every classical method worth comparing with, by name (include `baseline`'s own method): `fluxir eval`
   * scores each setting against the best of them. Default: `{ classical: baseline }`.
   */
  readonly baselines?: Readonly<Record<string, ClassicalMethod<NoInfer<P>>>>;
  /** More evaluation settings beside the standard one (`evalDegrade` with `evalParams`). */
  readonly evalSettings?: readonly EvalSetting<NoInfer<P>>[];
  /** Parameters used by `fluxir eval` and the benchmark (fixed, documented degradations). */
  readonly evalParams: NoInfer<P>;
  /** The fixed, documented degradation `fluxir eval` and the benchmark measure (seeded per photo). */
  readonly evalDegrade?: (clean: Image, rng: Rng) => DegradedSample;
  /** What evalDegrade does, in words, for result tables. */
  readonly evalDescription?: string;
}

/**
 * A checked plugin: what the host loads and serves (parameters, `prepare`, step budget), with what
 * training and evaluation need in `training`. Made by `definePlugin`, never by hand.
 */
export interface PluginDefinition<P extends PluginParams = PluginParams> {
  readonly id: string;
  /** The degradation prompt the engine is conditioned on. */
  readonly prompt: string;
  /** The npm package name, from package.json. */
  readonly packageName: string;
  /** The package version, from package.json. */
  readonly version: string;
  readonly title: string;
  /** When to use the task and how to set it (see `PluginOptions.help`). */
  readonly help?: string;
  readonly stepBudget: StepBudget;
  /** Where the sampled path ends (see `PluginOptions.pathEnd`): 0 unless the plugin says otherwise. */
  readonly pathEnd: number;
  readonly params: z.ZodType<P>;
  readonly requiresMask: boolean;
  /** How many times longer the output's sides are than the input's (1 unless the plugin says otherwise). */
  outputScale(params: P): number;
  /** Validates raw parameters (undefined means all defaults); throws E_PARAMS naming the field. */
  parseParams(raw: unknown): P;
  /** Builds the engine's condition from RGB the plugin owns (see `PluginOptions.prepare`). */
  prepare(input: Image, params: P, mask?: Mask): PreparedInput;
  /** What training, evaluation and the benchmark need; a serving host never calls it. */
  readonly training: PluginTraining<P>;
}

/** The training and evaluation side of a checked plugin, defaults filled in. */
export interface PluginTraining<P extends PluginParams = PluginParams> {
  readonly trainingParams: (rng: Rng) => P;
  degrade(clean: Image, rng: Rng, params: P): DegradedSample;
  readonly degradationDescription: string;
  baseline(input: Image, params: P, mask?: Mask): Image;
  /** The side training degrades and prepares before cutting a patch (see `TrainingOptions.context`). */
  readonly context?: number;
  /** The classical methods by name, `baseline`'s among them. */
  readonly baselines: Readonly<Record<string, ClassicalMethod<P>>>;
  readonly evalParams: P;
  /** The benchmark degradation: the plugin's own, else `degrade` with `evalParams`. */
  evalDegrade(clean: Image, rng: Rng): DegradedSample;
  readonly evalDescription: string;
  /** The standard setting (`standard`: evalDegrade with evalParams) first, then the plugin's others. */
  readonly evalSettings: readonly EvalSetting<P>[];
}

/**
 * One fixed, documented degradation `fluxir eval` scores a task under (seeded per photo). A task lists
 * several: its standard one, the edges of the training ranges, and combinations training rarely draws.
 */
export interface EvalSetting<P extends PluginParams = PluginParams> {
  /** Short id for tables, e.g. `dense-thin`. */
  readonly name: string;
  readonly description: string;
  /** The parameters this setting runs the plugin with. */
  readonly params: P;
  readonly degrade: (clean: Image, rng: Rng) => DegradedSample;
}

/**
 * A classical restoration method: RGB out, at the output size. Declared as a method so a definition with
 * narrower parameters is still a `PluginDefinition` (methods compare their parameters bivariantly, like
 * `prepare` and `baseline`).
 */
export type ClassicalMethod<P extends PluginParams = PluginParams> = {
  method(input: Image, params: P, mask?: Mask): Image;
}['method'];

/** The parameter type of a plugin definition: `ParamsOf<typeof plugin>`. */
export type ParamsOf<D> = D extends PluginDefinition<infer P> ? P : never;
