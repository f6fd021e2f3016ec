import type { Image } from '../common/image';
import { checkSameShape, toLevels } from './quantize';

export interface SsimOptions {
  /** Pixels cropped from every side before measuring. */
  readonly border?: number;
}

const WINDOW = 11;
const SIGMA = 1.5;
const C1 = (0.01 * 255) ** 2;
const C2 = (0.03 * 255) ** 2;

/**
 * Structural similarity (Wang et al. 2004) on 8-bit levels with an 11x11 Gaussian window (sigma 1.5),
 * K1 = 0.01, K2 = 0.03, L = 255, over the windows that fit inside the image (no padding). Computed per
 * RGB channel and averaged over the channels (like scikit-image with channel_axis), not on the luma.
 */
export function ssim(a: Image, b: Image, options: SsimOptions = {}): number {
  checkSameShape(a, b);
  const border = options.border ?? 0;
  const la = toLevels(a, border);
  const lb = toLevels(b, border);
  if (la.width < WINDOW || la.height < WINDOW) {
    throw new RangeError(`ssim needs at least ${WINDOW}x${WINDOW} pixels, got ${la.width}x${la.height}`);
  }
  const taps = gaussianWindow();
  let total = 0;
  for (let c = 0; c < la.planes.length; c++) total += ssimPlane(la.planes[c], lb.planes[c], la.width, la.height, taps);
  return total / la.planes.length;
}

function ssimPlane(x: Float64Array, y: Float64Array, width: number, height: number, taps: Float64Array): number {
  const n = width * height;
  const xx = new Float64Array(n);
  const yy = new Float64Array(n);
  const xy = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    xx[i] = x[i] * x[i];
    yy[i] = y[i] * y[i];
    xy[i] = x[i] * y[i];
  }
  const [mx, my, sxx, syy, sxy] = [x, y, xx, yy, xy].map((plane) => filterValid(plane, width, height, taps));
  let sum = 0;
  for (let i = 0; i < mx.length; i++) {
    const mux = mx[i];
    const muy = my[i];
    const vx = sxx[i] - mux * mux;
    const vy = syy[i] - muy * muy;
    const cov = sxy[i] - mux * muy;
    sum += ((2 * mux * muy + C1) * (2 * cov + C2)) / ((mux * mux + muy * muy + C1) * (vx + vy + C2));
  }
  return sum / mx.length;
}

/** Separable 'valid' filtering: the output is (width - 10) x (height - 10). */
function filterValid(plane: Float64Array, width: number, height: number, taps: Float64Array): Float64Array {
  const k = taps.length;
  const ow = width - k + 1;
  const oh = height - k + 1;
  const rows = new Float64Array(ow * height);
  for (let yy = 0; yy < height; yy++) {
    for (let xx = 0; xx < ow; xx++) {
      let s = 0;
      for (let t = 0; t < k; t++) s += taps[t] * plane[yy * width + xx + t];
      rows[yy * ow + xx] = s;
    }
  }
  const out = new Float64Array(ow * oh);
  for (let yy = 0; yy < oh; yy++) {
    for (let t = 0; t < k; t++) {
      const w = taps[t];
      const from = (yy + t) * ow;
      for (let xx = 0; xx < ow; xx++) out[yy * ow + xx] += w * rows[from + xx];
    }
  }
  return out;
}

/** The 1-D Gaussian window in double precision, so flat regions get exactly zero variance. */
function gaussianWindow(): Float64Array {
  const taps = new Float64Array(WINDOW);
  const r = WINDOW >> 1;
  for (let i = 0; i < WINDOW; i++) taps[i] = Math.exp(-((i - r) ** 2) / (2 * SIGMA * SIGMA));
  const sum = taps.reduce((s, v) => s + v, 0);
  return taps.map((v) => v / sum);
}
