import { createImage, type Image } from '../common/image';
import { clampIndex } from './borders';

export type ResizeMethod = 'bicubic' | 'bilinear' | 'area' | 'nearest' | 'lanczos3';
export const RESIZE_METHODS: readonly ResizeMethod[] = ['bicubic', 'bilinear', 'area', 'nearest', 'lanczos3'];

/** Per output sample: the source indices and normalised weights that make it. */
interface Contributions {
  readonly start: Int32Array;
  readonly count: Int32Array;
  readonly index: Int32Array;
  readonly weight: Float32Array;
}

/** Keys' cubic convolution kernel with a = -0.5 (MATLAB's and PIL's bicubic). */
function cubic(x: number): number {
  const a = -0.5;
  const t = Math.abs(x);
  if (t <= 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
  if (t < 2) return ((a * t - 5 * a) * t + 8 * a) * t - 4 * a;
  return 0;
}

function triangle(x: number): number {
  const t = Math.abs(x);
  return t < 1 ? 1 - t : 0;
}

/** Lanczos windowed sinc with three lobes (PIL's and sharp's default down-sampler). */
function lanczos3(x: number): number {
  const t = Math.abs(x);
  if (t < 1e-8) return 1;
  if (t >= 3) return 0;
  const px = Math.PI * t;
  return (3 * Math.sin(px) * Math.sin(px / 3)) / (px * px);
}

const FILTERS = { bicubic: { filter: cubic, support: 2 }, bilinear: { filter: triangle, support: 1 }, lanczos3: { filter: lanczos3, support: 3 } } as const;

/**
 * Resizes to any size. Bicubic, bilinear and Lanczos stretch their kernels when down-sampling (antialiased,
 * like MATLAB's imresize), area averages the exact source footprint of each output pixel, nearest
 * picks the source pixel under each output centre. Borders replicate the edge.
 */
export function resize(image: Image, width: number, height: number, method: ResizeMethod = 'bicubic'): Image {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
    throw new RangeError(`resize target must be positive integers, got ${width}x${height}`);
  }
  if (width === image.width && height === image.height) {
    return createImage(width, height, image.channels, new Float32Array(image.data));
  }
  // One axis unchanged: only the other is resampled (back-projection resizes one axis at a time).
  if (height === image.height) return resampleRows(image, width, contributions(image.width, width, method));
  if (width === image.width) return resampleColumns(image, height, contributions(image.height, height, method));
  const horizontal = contributions(image.width, width, method);
  const vertical = contributions(image.height, height, method);
  // Shrink along the axis that reduces the work most first.
  if (width * image.height <= image.width * height) {
    return resampleColumns(resampleRows(image, width, horizontal), height, vertical);
  }
  return resampleRows(resampleColumns(image, height, vertical), width, horizontal);
}

export const resizeBicubic = (image: Image, width: number, height: number): Image =>
  resize(image, width, height, 'bicubic');
export const resizeBilinear = (image: Image, width: number, height: number): Image =>
  resize(image, width, height, 'bilinear');
export const resizeArea = (image: Image, width: number, height: number): Image => resize(image, width, height, 'area');
export const resizeNearest = (image: Image, width: number, height: number): Image =>
  resize(image, width, height, 'nearest');

function contributions(inSize: number, outSize: number, method: ResizeMethod): Contributions {
  const scale = inSize / outSize;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const index: number[] = [];
  const weight: number[] = [];
  for (let i = 0; i < outSize; i++) {
    start[i] = index.length;
    if (method === 'nearest') {
      index.push(clampIndex(Math.floor((i + 0.5) * scale), inSize));
      weight.push(1);
    } else if (method === 'area') {
      const lo = i * scale;
      const hi = (i + 1) * scale;
      for (let j = Math.floor(lo); j < Math.ceil(hi); j++) {
        const overlap = Math.min(hi, j + 1) - Math.max(lo, j);
        if (overlap > 1e-9) {
          index.push(clampIndex(j, inSize));
          weight.push(overlap / scale);
        }
      }
    } else {
      const { filter, support } = FILTERS[method];
      const stretch = Math.max(1, scale);
      const centre = (i + 0.5) * scale - 0.5;
      const lo = Math.floor(centre - support * stretch);
      const hi = Math.ceil(centre + support * stretch);
      let sum = 0;
      const first = weight.length;
      for (let j = lo; j <= hi; j++) {
        const w = filter((j - centre) / stretch);
        if (w === 0) continue;
        index.push(clampIndex(j, inSize));
        weight.push(w);
        sum += w;
      }
      for (let k = first; k < weight.length; k++) weight[k] /= sum;
    }
    count[i] = index.length - start[i];
  }
  return { start, count, index: Int32Array.from(index), weight: Float32Array.from(weight) };
}

function resampleRows(image: Image, outWidth: number, plan: Contributions): Image {
  const { width, height, channels } = image;
  const out = createImage(outWidth, height, channels);
  const src = image.data;
  const dst = out.data;
  for (let y = 0; y < height; y++) {
    const srcRow = y * width;
    const dstRow = y * outWidth;
    for (let x = 0; x < outWidth; x++) {
      const to = (dstRow + x) * channels;
      const end = plan.start[x] + plan.count[x];
      for (let k = plan.start[x]; k < end; k++) {
        const w = plan.weight[k];
        const from = (srcRow + plan.index[k]) * channels;
        for (let c = 0; c < channels; c++) dst[to + c] += w * src[from + c];
      }
    }
  }
  return out;
}

function resampleColumns(image: Image, outHeight: number, plan: Contributions): Image {
  const { width, channels } = image;
  const out = createImage(width, outHeight, channels);
  const rowLength = width * channels;
  const src = image.data;
  const dst = out.data;
  for (let y = 0; y < outHeight; y++) {
    const to = y * rowLength;
    const end = plan.start[y] + plan.count[y];
    for (let k = plan.start[y]; k < end; k++) {
      const w = plan.weight[k];
      const from = plan.index[k] * rowLength;
      for (let i = 0; i < rowLength; i++) dst[to + i] += w * src[from + i];
    }
  }
  return out;
}
