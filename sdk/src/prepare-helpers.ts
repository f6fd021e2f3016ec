import { maskFromImage, type Image, type Mask, type PreparedInput } from '@fluxir/core';
import { pluginErrors } from './plugin-errors';

/**
 * The condition of a task whose output has the input's size: the input itself, which is the plugin's
 * own RGB buffer (the host takes alpha off and brings grey up to RGB first). Use it as `prepare: prepareRgb`.
 */
export function prepareRgb(input: Image): PreparedInput {
  return { y: input };
}

/**
 * The mask a masked task was handed, checked: E_MASK when it is missing or its size differs from the
 * input's. The host hands `prepare` masks already made 0/1 (white = fill).
 */
export function requireMask(task: string, input: Image, mask: Mask | undefined, file = 'the input'): Mask {
  if (!mask) throw pluginErrors.maskMissing(task, file);
  if (mask.width !== input.width || mask.height !== input.height) throw pluginErrors.maskMismatch(file, mask, input);
  return mask;
}

/**
 * A mask image of any channels as a new 0/1 mask, checked like `requireMask`.
 * @deprecated The host hands `prepare` 0/1 masks: use `requireMask`. Kept for plugins written against SDK 1.1.
 */
export function binaryMask(task: string, input: Image, mask: Mask | undefined, file = 'the input'): Mask {
  return maskFromImage(requireMask(task, input, mask, file));
}

/**
 * The condition of a masked task: the checked mask, and `y` made by `fill` from the RGB input and that
 * mask (e.g. a diffusion fill of the hole, so the trajectory starts from something smooth).
 */
export function prepareMasked(
  task: string,
  input: Image,
  mask: Mask | undefined,
  fill: (rgb: Image, mask: Mask) => Image,
): PreparedInput & { readonly mask: Mask } {
  const checked = requireMask(task, input, mask);
  return { y: fill(input, checked), mask: checked };
}
