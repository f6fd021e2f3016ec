import type { Image, Mask } from './image';
import type { Rng } from './rng';

/** The condition the engine restores from: `y` at the output resolution, and the fill mask for inpainting. */
export interface PreparedInput {
  readonly y: Image;
  readonly mask?: Mask;
  /**
   * Where the path starts (x_1 before any start noise) when not at `y`: a classical estimate the
   * network refines while it still sees the untouched `y`. RGB at y's size, in a buffer of its own.
   */
  readonly start?: Image;
}

/** A degraded training or evaluation sample as a user would hand it to a plugin. */
export interface DegradedSample {
  /** The low-quality image (for super-resolution: the small one). */
  readonly input: Image;
  readonly mask?: Mask;
}

/**
 * What the engine needs to know of a restoration task to train and evaluate it. Plugins provide it;
 * the engine never imports a plugin.
 */
export interface TaskSpec<P = Record<string, unknown>> {
  readonly id: string;
  readonly prompt: string;
  /** Parameters used for training and evaluation when none are given (e.g. superres scale). */
  readonly trainingParams: (rng: Rng) => P;
  /** Degrade a clean RGB image (random but reproducible from `rng`). */
  degrade(clean: Image, rng: Rng, params: P): DegradedSample;
  /** Build the condition `y` (and mask) at the output resolution from the user's image. */
  prepare(input: Image, params: P, mask?: Mask): PreparedInput;
  /** The classical method fluxir is compared against. */
  baseline(input: Image, params: P, mask?: Mask): Image;
  /**
   * Side of the region that is degraded and prepared as a whole before the training patch is cut from
   * it (default: the patch itself). Tasks whose `prepare` looks at the whole image (an exposure stretch,
   * a haze estimate) set it, so that a patch sees what a tile sees at inference: part of a photo whose
   * statistics were taken over much more than the patch.
   */
  readonly context?: number;
}
