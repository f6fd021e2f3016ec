import { cloneImage, luma, toChannels, type Image, type Mask, type PreparedInput } from '@fluxir/core';
import { pluginErrors } from './plugin-errors';

/**
 * The condition of a task whose output has the input's size: the input as a fresh RGB copy (alpha and
 * grey are handled by the host around the engine). Use it as `prepare: prepareRgb`.
 */
export function prepareRgb(input: Image): PreparedInput {
  return { y: cloneImage(toChannels(input, 3)) };
}

/**
 * A user's mask as the engine wants it: one channel of exact 0 (keep) and 1 (fill), from any mask
 * image where white means fill (luma above one half). Throws E_MASK when it is missing or its size
 * differs from the input's.
 */
export function binaryMask(task: string, input: Image, mask: Mask | undefined, file = 'the input'): Mask {
  if (!mask) throw pluginErrors.maskMissing(task, file);
  if (mask.width !== input.width || mask.height !== input.height) throw pluginErrors.maskMismatch(file, mask, input);
  const grey = luma(mask);
  for (let i = 0; i < grey.data.length; i++) grey.data[i] = grey.data[i] > 0.5 ? 1 : 0;
  return grey;
}

/**
 * The condition of a masked task: the binary mask, and `y` made by `fill` from the RGB input and that
 * mask (e.g. a diffusion fill of the hole, so the trajectory starts from something smooth).
 */
export function prepareMasked(
  task: string,
  input: Image,
  mask: Mask | undefined,
  fill: (rgb: Image, mask: Mask) => Image,
): PreparedInput & { readonly mask: Mask } {
  const binary = binaryMask(task, input, mask);
  return { y: fill(toChannels(input, 3), binary), mask: binary };
}
