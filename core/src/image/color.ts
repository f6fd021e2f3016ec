import { createImage, type Image } from '../common/image';

/** Rec. 601 luma weights, as used for grey conversion and guidance images. */
export const LUMA_WEIGHTS = [0.299, 0.587, 0.114] as const;

/** A 1-channel luma image (grey images are copied, alpha is ignored). */
export function luma(image: Image): Image {
  const n = image.width * image.height;
  const out = createImage(image.width, image.height, 1);
  const c = image.channels;
  if (c < 3) {
    for (let i = 0; i < n; i++) out.data[i] = image.data[i * c];
    return out;
  }
  const [wr, wg, wb] = LUMA_WEIGHTS;
  for (let i = 0; i < n; i++) out.data[i] = wr * image.data[i * c] + wg * image.data[i * c + 1] + wb * image.data[i * c + 2];
  return out;
}

/** The mean luma of an image (see `luma`). */
export function meanLuma(image: Image): number {
  const grey = luma(image);
  let sum = 0;
  for (let i = 0; i < grey.data.length; i++) sum += grey.data[i];
  return sum / Math.max(1, grey.data.length);
}

/** Per-pixel minimum over the first three channels (or the one channel) as a 1-channel image. */
export function channelMin(image: Image): Image {
  const n = image.width * image.height;
  const c = image.channels;
  const k = Math.min(c, 3);
  const out = createImage(image.width, image.height, 1);
  for (let i = 0; i < n; i++) {
    let m = image.data[i * c];
    for (let j = 1; j < k; j++) m = Math.min(m, image.data[i * c + j]);
    out.data[i] = m;
  }
  return out;
}
