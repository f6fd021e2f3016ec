import { clamp01, createImage, type Image, type Mask } from '../common/image';
import { fillsPixel } from './mask';

export interface DiffusionFillOptions {
  /** Relaxation sweeps at each pyramid level. */
  readonly iterations?: number;
}

/** Successive over-relaxation factor: converges several times faster than plain Gauss-Seidel. */
const OVER_RELAXATION = 1.7;

/**
 * Fills the pixels the mask marks (`fillsPixel`) with the harmonic (steady heat-equation) interpolation of their
 * surroundings: every filled pixel ends up the mean of its four neighbours, known pixels stay fixed.
 * Solved coarse to fine on an image pyramid so that large holes converge in a few sweeps per level.
 */
export function diffusionFill(image: Image, mask: Mask, options: DiffusionFillOptions = {}): Image {
  if (mask.width !== image.width || mask.height !== image.height) {
    throw new RangeError(`mask is ${mask.width}x${mask.height}, the image is ${image.width}x${image.height}`);
  }
  const n = image.width * image.height;
  const known = new Uint8Array(n);
  for (let i = 0; i < n; i++) known[i] = fillsPixel(mask.data[i * mask.channels]) ? 0 : 1;
  const values = new Float32Array(image.data);
  fillLevel(values, known, image.width, image.height, image.channels, options.iterations ?? 30);
  const out = createImage(image.width, image.height, image.channels, values);
  for (let i = 0; i < values.length; i++) values[i] = clamp01(values[i]);
  return out;
}

function fillLevel(values: Float32Array, known: Uint8Array, width: number, height: number, channels: number, iterations: number): void {
  const unknown: number[] = [];
  for (let i = 0; i < known.length; i++) if (!known[i]) unknown.push(i);
  if (unknown.length === 0) return;
  if (unknown.length === known.length || (width <= 2 && height <= 2)) {
    fillWithMean(values, known, channels);
  } else {
    const cw = Math.ceil(width / 2);
    const ch = Math.ceil(height / 2);
    const coarse = new Float32Array(cw * ch * channels);
    const coarseKnown = new Uint8Array(cw * ch);
    const counts = new Uint8Array(cw * ch);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const i = y * width + x;
        if (!known[i]) continue;
        const j = (y >> 1) * cw + (x >> 1);
        counts[j]++;
        for (let c = 0; c < channels; c++) coarse[j * channels + c] += values[i * channels + c];
      }
    }
    for (let j = 0; j < cw * ch; j++) {
      if (!counts[j]) continue;
      coarseKnown[j] = 1;
      for (let c = 0; c < channels; c++) coarse[j * channels + c] /= counts[j];
    }
    fillLevel(coarse, coarseKnown, cw, ch, channels, iterations);
    upsampleInto(values, unknown, width, coarse, cw, ch, channels);
  }
  relax(values, unknown, width, height, channels, iterations);
}

function fillWithMean(values: Float32Array, known: Uint8Array, channels: number): void {
  const mean = new Float64Array(channels);
  let count = 0;
  for (let i = 0; i < known.length; i++) {
    if (!known[i]) continue;
    count++;
    for (let c = 0; c < channels; c++) mean[c] += values[i * channels + c];
  }
  for (let c = 0; c < channels; c++) mean[c] = count ? mean[c] / count : 0.5;
  for (let i = 0; i < known.length; i++) {
    if (!known[i]) for (let c = 0; c < channels; c++) values[i * channels + c] = mean[c];
  }
}

/** Bilinear sample of the coarse level at each unknown fine pixel. */
function upsampleInto(
  values: Float32Array,
  unknown: readonly number[],
  width: number,
  coarse: Float32Array,
  cw: number,
  ch: number,
  channels: number,
): void {
  for (const i of unknown) {
    const x = i % width;
    const y = (i - x) / width;
    const fx = Math.min(Math.max((x + 0.5) / 2 - 0.5, 0), cw - 1);
    const fy = Math.min(Math.max((y + 0.5) / 2 - 0.5, 0), ch - 1);
    const x0 = Math.floor(fx);
    const y0 = Math.floor(fy);
    const x1 = Math.min(x0 + 1, cw - 1);
    const y1 = Math.min(y0 + 1, ch - 1);
    const ax = fx - x0;
    const ay = fy - y0;
    for (let c = 0; c < channels; c++) {
      const top = coarse[(y0 * cw + x0) * channels + c] * (1 - ax) + coarse[(y0 * cw + x1) * channels + c] * ax;
      const bottom = coarse[(y1 * cw + x0) * channels + c] * (1 - ax) + coarse[(y1 * cw + x1) * channels + c] * ax;
      values[i * channels + c] = top * (1 - ay) + bottom * ay;
    }
  }
}

/** Gauss-Seidel sweeps with over-relaxation over the unknown pixels (Neumann borders). */
function relax(values: Float32Array, unknown: readonly number[], width: number, height: number, channels: number, iterations: number): void {
  const row = width * channels;
  for (let it = 0; it < iterations; it++) {
    for (const i of unknown) {
      const x = i % width;
      const y = (i - x) / width;
      const p = i * channels;
      const left = x > 0;
      const right = x < width - 1;
      const up = y > 0;
      const down = y < height - 1;
      const neighbours = +left + +right + +up + +down;
      if (neighbours === 0) continue;
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        if (left) sum += values[p - channels + c];
        if (right) sum += values[p + channels + c];
        if (up) sum += values[p - row + c];
        if (down) sum += values[p + row + c];
        const v = values[p + c];
        values[p + c] = v + OVER_RELAXATION * (sum / neighbours - v);
      }
    }
  }
}
