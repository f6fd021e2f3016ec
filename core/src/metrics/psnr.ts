import type { Image, Mask } from '../common/image';
import { fillsPixel } from '../image/mask';
import { checkSameShape, toLevels } from './quantize';

export interface PsnrOptions {
  /** Pixels cropped from every side before measuring (the scale factor, for super-resolution). */
  readonly border?: number;
  /** Measure only where the mask fills (`fillsPixel`: the filled hole, for inpainting). Same size as the images. */
  readonly mask?: Mask;
}

/**
 * Peak signal-to-noise ratio in dB on 8-bit RGB: both images are quantised like an 8-bit file
 * (round(v * 255)) and the mean squared error is taken over all RGB samples (alpha is ignored).
 * Identical images give Infinity.
 */
export function psnr(a: Image, b: Image, options: PsnrOptions = {}): number {
  checkSameShape(a, b);
  const border = options.border ?? 0;
  const { mask } = options;
  if (mask && (mask.width !== a.width || mask.height !== a.height)) {
    throw new RangeError(`mask is ${mask.width}x${mask.height}, the images are ${a.width}x${a.height}`);
  }
  const la = toLevels(a, border);
  const lb = toLevels(b, border);
  let sum = 0;
  let count = 0;
  for (let y = 0; y < la.height; y++) {
    for (let x = 0; x < la.width; x++) {
      if (mask && !fillsPixel(mask.data[((y + border) * mask.width + x + border) * mask.channels])) continue;
      const i = y * la.width + x;
      for (let c = 0; c < la.planes.length; c++) {
        const d = la.planes[c][i] - lb.planes[c][i];
        sum += d * d;
      }
      count += la.planes.length;
    }
  }
  if (count === 0) throw new RangeError('psnr: the mask selects no pixels');
  const mse = sum / count;
  return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}
