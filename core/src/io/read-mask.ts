import type { Mask } from '../common/image';
import { errors } from '../common/errors';
import { maskFromImage } from '../image/mask';
import { decodeImage, readImage, type DecodedImage, type ReadImageOptions } from './read-image';

export interface ReadMaskOptions extends ReadImageOptions {
  /** What E_MASK messages call the image the mask belongs to; defaults to the mask's own name. */
  readonly imageName?: string;
}

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
