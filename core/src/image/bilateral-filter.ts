import { createImage, type Image } from '../common/image';
import { padReflect } from './convolve';

export interface BilateralOptions {
  /** Spatial standard deviation in pixels. */
  readonly sigmaSpatial: number;
  /** Range standard deviation in [0, 1] units, on the colour distance averaged over channels. */
  readonly sigmaRange: number;
}

const LUT_SIZE = 4096;

/**
 * Edge-preserving smoothing (Tomasi and Manduchi): each pixel becomes the average of its neighbours
 * weighted by distance and by colour similarity (all channels together, so colours do not bleed
 * across edges). Range weights come from a lookup table to keep the inner loop free of exp().
 */
export function bilateralFilter(image: Image, options: BilateralOptions): Image {
  const { width, height, channels } = image;
  const { sigmaSpatial, sigmaRange } = options;
  const r = Math.max(1, Math.ceil(2 * sigmaSpatial));
  const size = 2 * r + 1;
  const spatial = new Float32Array(size * size);
  for (let dy = -r; dy <= r; dy++) {
    for (let dx = -r; dx <= r; dx++) {
      spatial[(dy + r) * size + dx + r] = Math.exp(-(dx * dx + dy * dy) / (2 * sigmaSpatial * sigmaSpatial));
    }
  }
  // Squared colour distance (mean over channels) -> weight; beyond 9 sigma^2 the weight is ~0.
  const maxD2 = 9 * sigmaRange * sigmaRange;
  const lutScale = (LUT_SIZE - 1) / maxD2;
  const lut = new Float32Array(LUT_SIZE);
  for (let i = 0; i < LUT_SIZE; i++) lut[i] = Math.exp(-(i / lutScale) / (2 * sigmaRange * sigmaRange));

  const padded = padReflect(image, r, r);
  const pw = width + 2 * r;
  const out = createImage(width, height, channels);
  const dst = out.data;
  const acc = new Float64Array(channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const centre = ((y + r) * pw + x + r) * channels;
      acc.fill(0);
      let norm = 0;
      for (let dy = 0; dy < size; dy++) {
        let p = ((y + dy) * pw + x) * channels;
        const srow = dy * size;
        for (let dx = 0; dx < size; dx++, p += channels) {
          let d2 = 0;
          for (let c = 0; c < channels; c++) {
            const diff = padded[p + c] - padded[centre + c];
            d2 += diff * diff;
          }
          d2 /= channels;
          if (d2 >= maxD2) continue;
          const w = spatial[srow + dx] * lut[(d2 * lutScale) | 0];
          norm += w;
          for (let c = 0; c < channels; c++) acc[c] += w * padded[p + c];
        }
      }
      const to = (y * width + x) * channels;
      for (let c = 0; c < channels; c++) dst[to + c] = acc[c] / norm;
    }
  }
  return out;
}
