import { bilateralFilter, createImage, type Image } from '@fluxir/sdk';

export interface DeblockOptions {
  /** Block size of the codec (8 for JPEG). */
  readonly block: number;
  /** Range sigma of the bilateral filter: steps above about 3 sigma are kept as real edges. */
  readonly sigmaRange: number;
  /** How much of the filtered image replaces the input away from block boundaries (ringing, mosquito noise). */
  readonly interior: number;
}

export const DEFAULT_DEBLOCK: DeblockOptions = { block: 8, sigmaRange: 0.06, interior: 0.35 };

/**
 * A classical deblocking filter: an edge-preserving (bilateral) smoothing, applied fully on the two
 * pixel rows and columns either side of every block boundary, where blocking shows, and partly
 * inside blocks, where ringing lives. Real edges survive because the range kernel ignores large steps.
 */
export function deblock(rgb: Image, options: DeblockOptions = DEFAULT_DEBLOCK): Image {
  const smooth = bilateralFilter(rgb, { sigmaSpatial: 1, sigmaRange: options.sigmaRange });
  const { width, height } = rgb;
  const out = createImage(width, height, 3);
  const weight = (position: number): number => {
    const offset = position % options.block;
    const distance = Math.min(offset, options.block - 1 - offset);
    return distance === 0 ? 1 : distance === 1 ? 0.6 : options.interior;
  };
  for (let y = 0; y < height; y++) {
    const wy = weight(y);
    for (let x = 0; x < width; x++) {
      const w = Math.max(wy, weight(x));
      for (let c = 0; c < 3; c++) {
        const i = (y * width + x) * 3 + c;
        out.data[i] = rgb.data[i] + w * (smooth.data[i] - rgb.data[i]);
      }
    }
  }
  return out;
}
