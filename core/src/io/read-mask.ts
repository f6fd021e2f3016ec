import { createImage, type Image, type Mask } from '../common/image';
import { errors } from '../common/errors';
import { LUMA_WEIGHTS } from '../image/color';
import { decodeImage, readImage, type DecodedImage, type ReadImageOptions } from './read-image';

export interface ReadMaskOptions extends ReadImageOptions {
  /** What E_MASK messages call the image the mask belongs to; defaults to the mask's own name. */
  readonly imageName?: string;
}

/** Pixels at or above this (after alpha) are filled. */
export const MASK_THRESHOLD = 0.5;

/**
 * Reads an inpainting mask: white = fill, black or transparent = keep. Any format readImage accepts;
 * colour is reduced to luma, multiplied by alpha, then thresholded at 0.5 to a 1-channel 0/1 Mask.
 * Errors: E_DECODE, E_TOO_LARGE, and E_MASK when its size is not `width` x `height`.
 */
export async function readMask(file: string, width: number, height: number, options: ReadMaskOptions = {}): Promise<Mask> {
  return toMask(await readImage(file, options), options.imageName ?? file, width, height);
}

export async function decodeMask(
  buffer: Uint8Array,
  name: string,
  width: number,
  height: number,
  options: ReadMaskOptions = {},
): Promise<Mask> {
  return toMask(await decodeImage(buffer, name, options), options.imageName ?? name, width, height);
}

function toMask(decoded: DecodedImage, imageName: string, width: number, height: number): Mask {
  const { image } = decoded;
  if (image.width !== width || image.height !== height) {
    throw errors.maskMismatch(imageName, image, { width, height });
  }
  return maskFromImage(image);
}

/** Thresholds an image of 1 to 4 channels into a 0/1 mask (alpha-aware: transparent never fills). */
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
    mask.data[i] = value >= MASK_THRESHOLD ? 1 : 0;
  }
  return mask;
}
