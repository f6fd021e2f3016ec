import { createImage, type Image, type Mask } from '../common/image';
import { LUMA_WEIGHTS } from './color';

/** A mask sample at or above this marks a pixel to fill (white = fill). */
export const MASK_THRESHOLD = 0.5;

/** Whether a mask sample marks its pixel to fill: the one reading of a mask everywhere in fluxir. */
export function fillsPixel(value: number): boolean {
  return value >= MASK_THRESHOLD;
}

/**
 * Thresholds an image of 1 to 4 channels into a new 0/1 mask: colour is reduced to luma, multiplied by
 * alpha (transparent never fills), then compared with MASK_THRESHOLD.
 */
export function maskFromImage(image: Image): Mask {
  const { width, height, channels, data } = image;
  const colour = channels >= 3;
  const alpha = channels === 2 || channels === 4 ? channels - 1 : -1;
  const [kr, kg, kb] = LUMA_WEIGHTS;
  const mask = createImage(width, height, 1);
  const n = width * height;
  for (let i = 0; i < n; i++) {
    const p = i * channels;
    let value = colour ? kr * data[p] + kg * data[p + 1] + kb * data[p + 2] : data[p];
    if (alpha >= 0) value *= data[p + alpha];
    mask.data[i] = fillsPixel(value) ? 1 : 0;
  }
  return mask;
}
