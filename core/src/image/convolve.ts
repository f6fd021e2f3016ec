import { createImage, type Image } from '../common/image';
import { reflectTable } from './borders';
import { gaussianKernel1d, gaussianRadius, type Kernel } from './kernel';

/**
 * Convolves every channel with a 2-D kernel (true convolution: the kernel is flipped), mirroring the
 * borders. Zero taps are skipped, so sparse kernels such as motion lines cost little.
 */
export function convolve(image: Image, kernel: Kernel): Image {
  const { width, height, channels } = image;
  const rx = kernel.width >> 1;
  const ry = kernel.height >> 1;
  const padded = padReflect(image, rx, ry);
  const paddedRow = (width + 2 * rx) * channels;
  const out = createImage(width, height, channels);
  const dst = out.data;
  const rowLength = width * channels;
  for (let ky = 0; ky < kernel.height; ky++) {
    for (let kx = 0; kx < kernel.width; kx++) {
      const w = kernel.data[ky * kernel.width + kx];
      if (w === 0) continue;
      // Flipped kernel: tap (kx, ky) reads the sample at offset (rx - kx, ry - ky) from the output pixel.
      const sx = 2 * rx - kx;
      const sy = 2 * ry - ky;
      for (let y = 0; y < height; y++) {
        const from = (y + sy) * paddedRow + sx * channels;
        const to = y * rowLength;
        for (let i = 0; i < rowLength; i++) dst[to + i] += w * padded[from + i];
      }
    }
  }
  return out;
}

/** Convolves with `horizontal` along rows then `vertical` along columns (odd lengths), mirroring borders. */
export function convolveSeparable(image: Image, horizontal: Float32Array, vertical: Float32Array): Image {
  return convolveColumns(convolveRows(image, horizontal), vertical);
}

/** Separable Gaussian blur; `sigma <= 0` returns a copy. */
export function gaussianBlur(image: Image, sigma: number): Image {
  if (sigma <= 0) return createImage(image.width, image.height, image.channels, new Float32Array(image.data));
  const taps = gaussianKernel1d(sigma, gaussianRadius(sigma));
  return convolveSeparable(image, taps, taps);
}

function convolveRows(image: Image, taps: Float32Array): Image {
  const { width, height, channels } = image;
  const r = taps.length >> 1;
  const table = reflectTable(width, r, r);
  const out = createImage(width, height, channels);
  const src = image.data;
  const dst = out.data;
  const rowLength = width * channels;
  const padded = new Float32Array(table.length * channels);
  for (let y = 0; y < height; y++) {
    const row = y * rowLength;
    for (let x = 0; x < table.length; x++) {
      const from = row + table[x] * channels;
      for (let c = 0; c < channels; c++) padded[x * channels + c] = src[from + c];
    }
    // One pass over the whole row per tap: a long, branch-free inner loop.
    for (let k = 0; k < taps.length; k++) {
      const w = taps[taps.length - 1 - k];
      const offset = k * channels;
      for (let i = 0; i < rowLength; i++) dst[row + i] += w * padded[offset + i];
    }
  }
  return out;
}

function convolveColumns(image: Image, taps: Float32Array): Image {
  const { width, height, channels } = image;
  const r = taps.length >> 1;
  const table = reflectTable(height, r, r);
  const out = createImage(width, height, channels);
  const src = image.data;
  const dst = out.data;
  const rowLength = width * channels;
  for (let y = 0; y < height; y++) {
    const to = y * rowLength;
    for (let k = 0; k < taps.length; k++) {
      const w = taps[taps.length - 1 - k];
      const from = table[y + k] * rowLength;
      for (let i = 0; i < rowLength; i++) dst[to + i] += w * src[from + i];
    }
  }
  return out;
}

/** A copy of the samples with `rx` columns and `ry` rows mirrored onto each side. */
export function padReflect(image: Image, rx: number, ry: number): Float32Array {
  const { width, height, channels } = image;
  const pw = width + 2 * rx;
  const cols = reflectTable(width, rx, rx);
  const rows = reflectTable(height, ry, ry);
  const out = new Float32Array(pw * (height + 2 * ry) * channels);
  const src = image.data;
  for (let y = 0; y < rows.length; y++) {
    const from = rows[y] * width * channels;
    const to = y * pw * channels;
    if (rx === 0) {
      out.set(src.subarray(from, from + width * channels), to);
      continue;
    }
    for (let x = 0; x < pw; x++) {
      const s = from + cols[x] * channels;
      const d = to + x * channels;
      for (let c = 0; c < channels; c++) out[d + c] = src[s + c];
    }
  }
  return out;
}
