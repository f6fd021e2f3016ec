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
 *
 * Every estimate is the bicubic up-sampling U of a small image z (x_0 = U(L), and each correction is
 * U of a residual), so the passes run on z: z += step * (L - D(U(z))). D and U are separable, and an
 * operator along rows commutes with one along columns, so D(U(z)) = (D_y U_y)(D_x U_x) z never builds
 * the full-size image: the passes cost about 1/scale of one full-size resize each, and only the final
 * U(z) is made at the output size.
 */
export function backProject(small: Image, width: number, height: number, options: BackProjectionOptions = {}): Image {
  const { iterations = 6, downsampler = 'bicubic', step = 1 } = options;
  const { width: w, height: h, channels } = small;
  const z = createImage(w, h, channels, new Float32Array(small.data));
  for (let k = 0; k < iterations; k++) {
    const rowsRoundTrip = resize(resize(z, width, h, 'bicubic'), w, h, downsampler);
    const seen = resize(resize(rowsRoundTrip, w, height, 'bicubic'), w, h, downsampler);
    for (let i = 0; i < z.data.length; i++) z.data[i] += step * (small.data[i] - seen.data[i]);
  }
  const estimate = resize(z, width, height, 'bicubic');
  for (let i = 0; i < estimate.data.length; i++) estimate.data[i] = clamp01(estimate.data[i]);
  return estimate;
}
