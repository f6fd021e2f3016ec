import { createImage, type Image } from '../common/image';
import { padReflect } from './convolve';

/**
 * Per-channel median over a (2 * radius + 1)^2 window (radius 1: 3x3, radius 2: 5x5), mirroring
 * borders. Removes thin bright or dark structures (salt noise, rain streaks) narrower than the window.
 */
export function medianFilter(image: Image, radius = 1): Image {
  const { width, height, channels } = image;
  const r = Math.max(1, Math.floor(radius));
  const size = 2 * r + 1;
  const n = size * size;
  const half = n >> 1;
  const padded = padReflect(image, r, r);
  const pw = width + 2 * r;
  const out = createImage(width, height, channels);
  const window = new Float32Array(n);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let k = 0;
        for (let dy = 0; dy < size; dy++) {
          let p = ((y + dy) * pw + x) * channels + c;
          for (let dx = 0; dx < size; dx++, p += channels) window[k++] = padded[p];
        }
        out.data[(y * width + x) * channels + c] = select(window, n, half);
      }
    }
  }
  return out;
}

/** Hoare's quickselect: the k-th smallest of the first n values (reorders them). */
function select(values: Float32Array, n: number, k: number): number {
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const pivot = values[(lo + hi) >> 1];
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i] < pivot) i++;
      while (values[j] > pivot) j--;
      if (i <= j) {
        const t = values[i];
        values[i] = values[j];
        values[j] = t;
        i++;
        j--;
      }
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return values[k];
}
