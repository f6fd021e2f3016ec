import type { Rng } from '../common/rng';

/** A 2-D filter kernel, row-major, with odd sides; its centre is at (width >> 1, height >> 1). */
export interface Kernel {
  readonly width: number;
  readonly height: number;
  readonly data: Float32Array;
}

/** Radius that keeps 99.7% of a Gaussian's mass. */
export function gaussianRadius(sigma: number): number {
  return Math.max(1, Math.ceil(3 * sigma));
}

/** A normalised 1-D Gaussian of `2 * radius + 1` taps. */
export function gaussianKernel1d(sigma: number, radius = gaussianRadius(sigma)): Float32Array {
  const taps = new Float32Array(2 * radius + 1);
  if (sigma <= 0) {
    taps[radius] = 1;
    return taps;
  }
  let sum = 0;
  for (let i = -radius; i <= radius; i++) {
    const w = Math.exp(-(i * i) / (2 * sigma * sigma));
    taps[i + radius] = w;
    sum += w;
  }
  for (let i = 0; i < taps.length; i++) taps[i] /= sum;
  return taps;
}

/** A normalised isotropic 2-D Gaussian kernel. */
export function gaussianKernel(sigma: number, radius = gaussianRadius(sigma)): Kernel {
  const taps = gaussianKernel1d(sigma, radius);
  const size = taps.length;
  const data = new Float32Array(size * size);
  for (let y = 0; y < size; y++) for (let x = 0; x < size; x++) data[y * size + x] = taps[y] * taps[x];
  return { width: size, height: size, data };
}

/**
 * The blur of a straight camera shake: a line `length` pixels long through the centre at `angleDegrees`
 * (0 = horizontal, counter-clockwise with y pointing up), anti-aliased, normalised to sum 1.
 */
export function motionLineKernel(length: number, angleDegrees: number): Kernel {
  const angle = (angleDegrees * Math.PI) / 180;
  const dx = Math.cos(angle);
  const dy = -Math.sin(angle);
  const half = Math.max(0, (length - 1) / 2);
  const points: number[] = [];
  const samples = Math.max(1, Math.ceil(length * 4));
  for (let i = 0; i <= samples; i++) {
    const s = samples === 0 ? 0 : -half + (2 * half * i) / samples;
    points.push(s * dx, s * dy);
  }
  return kernelFromPath(points);
}

/** Defocus: a uniform disk of `radius` pixels, anti-aliased at its rim by 4 x 4 supersampling, sum 1. */
export function diskKernel(radius: number): Kernel {
  const r = Math.max(0.5, radius);
  const half = Math.ceil(r);
  const size = 2 * half + 1;
  const data = new Float32Array(size * size);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      let inside = 0;
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const dx = x - half + (sx + 0.5) / 4 - 0.5;
          const dy = y - half + (sy + 0.5) / 4 - 0.5;
          if (dx * dx + dy * dy <= r * r) inside++;
        }
      }
      data[y * size + x] = inside / 16;
    }
  }
  return normaliseKernel({ width: size, height: size, data });
}

/**
 * A random camera-shake trajectory in the spirit of Boracchi and Foi: a point with momentum, random
 * accelerations and occasional jerks, `steps` long, rasterised and centred on its centre of mass so
 * the blur does not shift the image.
 */
export function randomWalkKernel(rng: Rng, steps: number, jitter = 0.6): Kernel {
  let x = 0;
  let y = 0;
  const heading = rng.uniform(0, 2 * Math.PI);
  let vx = Math.cos(heading);
  let vy = Math.sin(heading);
  const points: number[] = [x, y];
  const substeps = 4;
  for (let i = 0; i < steps * substeps; i++) {
    vx += (rng.normal() * jitter) / substeps;
    vy += (rng.normal() * jitter) / substeps;
    if (rng.chance(0.02)) {
      vx = -vx * 0.5;
      vy = -vy * 0.5;
    }
    const speed = Math.hypot(vx, vy) || 1;
    // Keep the speed near one pixel a step so `steps` bounds the kernel's extent.
    vx /= speed;
    vy /= speed;
    x += vx / substeps;
    y += vy / substeps;
    points.push(x, y);
  }
  return kernelFromPath(points);
}

/** Splat path points (x0, y0, x1, y1, ...) bilinearly into a kernel centred on their centre of mass. */
function kernelFromPath(points: readonly number[]): Kernel {
  const count = points.length / 2;
  let cx = 0;
  let cy = 0;
  for (let i = 0; i < count; i++) {
    cx += points[2 * i];
    cy += points[2 * i + 1];
  }
  cx /= count;
  cy /= count;
  let extent = 0;
  for (let i = 0; i < count; i++) {
    extent = Math.max(extent, Math.abs(points[2 * i] - cx), Math.abs(points[2 * i + 1] - cy));
  }
  const radius = Math.ceil(extent) + 1;
  const size = 2 * radius + 1;
  const data = new Float32Array(size * size);
  for (let i = 0; i < count; i++) {
    const px = points[2 * i] - cx + radius;
    const py = points[2 * i + 1] - cy + radius;
    const x0 = Math.floor(px);
    const y0 = Math.floor(py);
    const fx = px - x0;
    const fy = py - y0;
    data[y0 * size + x0] += (1 - fx) * (1 - fy);
    data[y0 * size + x0 + 1] += fx * (1 - fy);
    data[(y0 + 1) * size + x0] += (1 - fx) * fy;
    data[(y0 + 1) * size + x0 + 1] += fx * fy;
  }
  // Bilinear splatting leaves a fringe of tiny taps; dropping them halves the cost of convolving.
  let peak = 0;
  for (let i = 0; i < data.length; i++) peak = Math.max(peak, data[i]);
  for (let i = 0; i < data.length; i++) if (data[i] < 0.05 * peak) data[i] = 0;
  return normaliseKernel({ width: size, height: size, data });
}

/** Scales a kernel to sum 1 (in place) and returns it. */
export function normaliseKernel(kernel: Kernel): Kernel {
  let sum = 0;
  for (let i = 0; i < kernel.data.length; i++) sum += kernel.data[i];
  if (sum !== 0) for (let i = 0; i < kernel.data.length; i++) kernel.data[i] /= sum;
  return kernel;
}
