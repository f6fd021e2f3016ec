import { clamp01, createImage, type Image } from '../common/image';
import { gaussianBlur } from './convolve';

export interface UnsharpMaskOptions {
  /** Blur of the subtracted copy, in pixels. */
  readonly sigma: number;
  /** How much of the detail (image minus blur) to add back. */
  readonly amount: number;
  /** Detail smaller than this (in [0, 1] units) is left alone, so flat noise is not sharpened. */
  readonly threshold?: number;
}

/** Classic sharpening: `image + amount * (image - blur(image))`, clipped to [0, 1]. */
export function unsharpMask(image: Image, options: UnsharpMaskOptions): Image {
  const { sigma, amount, threshold = 0 } = options;
  const blurred = gaussianBlur(image, sigma);
  const out = createImage(image.width, image.height, image.channels);
  for (let i = 0; i < image.data.length; i++) {
    const detail = image.data[i] - blurred.data[i];
    out.data[i] = Math.abs(detail) < threshold ? image.data[i] : clamp01(image.data[i] + amount * detail);
  }
  return out;
}
