import type { Image } from '../common/image';
import type { PreparedInput } from '../common/task';
import type { PlannedSchedule } from '../sampler/step-selection';

/**
 * How far a restore has come, after each tile of each sampling step: what the engine reports, what a
 * job records, and what a client receives in `job:progress`.
 */
export interface StepProgress {
  /** 1-based index of the step that just finished. */
  readonly step: number;
  readonly steps: number;
  /** 1-based index of the tile that just finished within this step, and the tile count. */
  readonly tile: number;
  readonly tiles: number;
  /** Fraction of the whole job done, in [0, 1]. */
  readonly fraction: number;
  /** Estimated milliseconds left. */
  readonly etaMs: number;
}

export interface StepPreview {
  readonly step: number;
  readonly steps: number;
  /** The time reached after this step (1 = start, 0 = restored). */
  readonly t: number;
  /** The whole-image endpoint estimate `x0_hat` after this step, RGB in [0, 1]. */
  readonly image: Image;
  /**
   * Set while the first step is still running: `tile` of `tiles` tiles are restored in `image`,
   * the rest is still the input.
   */
  readonly tile?: number;
  readonly tiles?: number;
}

export interface RestoreRequest {
  readonly task: string;
  readonly prompt: string;
  readonly input: PreparedInput;
  /** The step budget; selects the task's distilled schedule when one exists. */
  readonly steps: number;
  /**
   * The schedule `plan(task, steps)` gave for this budget, when the caller planned the restore already:
   * the engine runs it as it is rather than planning again.
   */
  readonly planned?: PlannedSchedule;
  readonly seed?: number;
  /**
   * The caller gives up `input.y` and `input.start`: the engine may overwrite their samples (it then
   * holds the sampler state there instead of in another whole-image buffer). Leave unset when either
   * is the user's image.
   */
  readonly consumeInput?: boolean;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: StepProgress) => void;
  readonly onPreview?: (preview: StepPreview) => void;
}

export interface RestoreResult {
  /** RGB in [0, 1] at the size of `input.y`; held in input.y's own buffer when the input was given up. */
  readonly image: Image;
  readonly steps: number;
  readonly schedule: readonly number[];
  /** Engine time for this image in milliseconds. */
  readonly ms: number;
}

export const Engine = Symbol('Engine');
/** The one shared restoration engine: a model, its per-task schedules, tiling and the trajectory sampler. */
export interface Engine {
  readonly version: string;
  readonly backend: string;
  /**
   * What a task runs at a step budget: its distilled schedule from the weights card when there is one,
   * else uniform steps, and the step size the network is told at each step. E_PARAMS unless 1 to 32 steps.
   */
  plan(task: string, steps: number): PlannedSchedule;
  /** The sampling times `1 = t_0 > ... > t_K = 0` of `plan(task, steps)`. */
  schedule(task: string, steps: number): number[];
  restore(request: RestoreRequest): Promise<RestoreResult>;
  dispose(): void;
}
