import { errors } from '../common/errors';
import type { Image } from '../common/image';
import type { StepPreview, StepProgress } from './engine-protocol';
import { compactSamples, type CompactSamples } from './compact-samples';
import { positionNoise } from './position-noise';

/** [0, 1] to the network's [-1, 1]. */
export const toSigned = (v: number) => v * 2 - 1;

/**
 * Everything a restore needs once it has started. It holds no reference to the caller's request:
 * the condition is kept in compact form, so the caller's float copy of it can be freed while the
 * sampler runs.
 */
export interface SamplingJob {
  readonly width: number;
  readonly height: number;
  /** The sampler state x_t, interleaved RGB in [-1, 1]; updated in place step after step. */
  readonly x: Float32Array;
  /** y in [-1, 1] and the fill mask, as read by the tile gathers. */
  readonly y: CompactSamples;
  readonly mask?: CompactSamples;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: StepProgress) => void;
  readonly onPreview?: (preview: StepPreview) => void;
}

export interface JobInput {
  readonly y: Image;
  readonly mask?: Image;
  /** Where the path starts when not at y; its buffer becomes the sampler state when given up (`consume`). */
  readonly start?: Image;
  readonly seed: number;
  /** Scale of the start noise added to y (0: start exactly at y). */
  readonly sampleNoise: number;
  /** y's buffer may become the sampler state (see RestoreRequest.consumeInput). */
  readonly consume: boolean;
}

/** Checks the condition and builds the start state. Errors: E_PARAMS, E_MASK (named after `task`). */
export function startJob(
  task: string,
  input: JobInput,
  callbacks: Pick<SamplingJob, 'signal' | 'onProgress' | 'onPreview'>,
): SamplingJob {
  const { y, mask, start } = input;
  if (y.channels !== 3) throw errors.invalidParameter('input.y.channels', '3 (RGB)', y.channels);
  if (start && (start.width !== y.width || start.height !== y.height || start.channels !== 3 || start.data === y.data)) {
    throw errors.invalidParameter('input.start', `an RGB image of its own at ${y.width}x${y.height}`, `${start.width}x${start.height}x${start.channels}`);
  }
  if (mask && (mask.width !== y.width || mask.height !== y.height || mask.channels !== 1)) {
    throw errors.maskMismatch(task, mask, y);
  }
  const compact = compactSamples(y.data, toSigned);
  // Once y lives in its codes, its float buffer is free to hold x (when the caller gave it up); so is
  // a separate start's.
  const reuse = input.consume && compact.codes !== y.data;
  const from = start ?? y;
  const buffer = start && input.consume ? start.data : !start && reuse ? y.data : new Float32Array(y.data.length);
  return {
    width: y.width,
    height: y.height,
    x: startState(from, buffer, input.seed, input.sampleNoise),
    y: compact,
    mask: mask ? compactSamples(mask.data) : undefined,
    ...callbacks,
  };
}

/** x_1 = the start, y by default (plus noise when asked), written into `x`, which may be the start's own buffer. */
function startState(y: Image, x: Float32Array, seed: number, noise: number): Float32Array {
  for (let i = 0; i < x.length; i++) x[i] = toSigned(y.data[i]);
  if (noise > 0) {
    for (let row = 0; row < y.height; row++) {
      for (let col = 0; col < y.width; col++) {
        const o = (row * y.width + col) * 3;
        for (let c = 0; c < 3; c++) x[o + c] += noise * positionNoise(seed, col, row, c);
      }
    }
  }
  return x;
}
