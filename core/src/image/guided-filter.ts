import { createImage, type Image } from '../common/image';
import { boxMean } from './box-filter';

/**
 * He et al.'s guided filter with a 1-channel guide: smooths `source` (any channel count, same size)
 * while following the guide's edges. `eps` (in [0, 1]^2 units) sets how strong an edge must be to
 * be kept.
 */
export function guidedFilter(guide: Image, source: Image, radius: number, eps: number): Image {
  if (guide.channels !== 1) throw new RangeError(`guidedFilter needs a 1-channel guide, got ${guide.channels}`);
  const { width, height, channels } = source;
  const n = width * height;
  const guideSq = createImage(width, height, 1);
  const product = createImage(width, height, channels);
  for (let i = 0; i < n; i++) {
    const g = guide.data[i];
    guideSq.data[i] = g * g;
    for (let c = 0; c < channels; c++) product.data[i * channels + c] = g * source.data[i * channels + c];
  }
  const meanI = boxMean(guide, radius);
  const meanII = boxMean(guideSq, radius);
  const meanP = boxMean(source, radius);
  const meanIP = boxMean(product, radius);
  const a = createImage(width, height, channels);
  const b = createImage(width, height, channels);
  for (let i = 0; i < n; i++) {
    const mi = meanI.data[i];
    const variance = meanII.data[i] - mi * mi;
    for (let c = 0; c < channels; c++) {
      const k = i * channels + c;
      const ak = (meanIP.data[k] - mi * meanP.data[k]) / (variance + eps);
      a.data[k] = ak;
      b.data[k] = meanP.data[k] - ak * mi;
    }
  }
  const meanA = boxMean(a, radius);
  const meanB = boxMean(b, radius);
  const out = createImage(width, height, channels);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < channels; c++) {
      const k = i * channels + c;
      out.data[k] = meanA.data[k] * guide.data[i] + meanB.data[k];
    }
  }
  return out;
}
