import { clamp01, createImage, type Image } from '../common/image';
import type { Rng } from '../common/rng';

export interface GaussianNoiseOptions {
  /** One noise value per pixel shared by all channels (luminance noise) instead of one per sample. */
  readonly grey?: boolean;
}

/** Adds zero-mean Gaussian noise of standard deviation `sigma` (in [0, 1] units) and clips to [0, 1]. */
export function addGaussianNoise(image: Image, rng: Rng, sigma: number, options: GaussianNoiseOptions = {}): Image {
  const out = createImage(image.width, image.height, image.channels);
  const src = image.data;
  const dst = out.data;
  const c = image.channels;
  if (options.grey) {
    for (let i = 0; i < src.length; i += c) {
      const n = sigma * rng.normal();
      for (let k = 0; k < c; k++) dst[i + k] = clamp01(src[i + k] + n);
    }
  } else {
    for (let i = 0; i < src.length; i++) dst[i] = clamp01(src[i] + sigma * rng.normal());
  }
  return out;
}

export interface PoissonGaussianNoiseOptions {
  /** Photon count of a full-scale (1.0) sample; lower means stronger shot noise. */
  readonly peak: number;
  /** Standard deviation of the signal-independent read noise, in [0, 1] units. */
  readonly readSigma: number;
  readonly grey?: boolean;
}

/**
 * Sensor noise: signal-dependent shot noise (variance v / peak, the Gaussian approximation of
 * Poisson(v * peak) / peak used by Foi et al.) plus Gaussian read noise, clipped to [0, 1].
 */
export function addPoissonGaussianNoise(image: Image, rng: Rng, options: PoissonGaussianNoiseOptions): Image {
  const { peak, readSigma, grey = false } = options;
  const out = createImage(image.width, image.height, image.channels);
  const src = image.data;
  const dst = out.data;
  const c = image.channels;
  const readVariance = readSigma * readSigma;
  // Shot and read noise are independent Gaussians, so one normal with the summed variance suffices.
  for (let i = 0; i < src.length; i += c) {
    const shared = grey ? rng.normal() : 0;
    for (let k = 0; k < c; k++) {
      const v = src[i + k];
      const n = grey ? shared : rng.normal();
      dst[i + k] = clamp01(v + n * Math.sqrt((v > 0 ? v : 0) / peak + readVariance));
    }
  }
  return out;
}

/** Rounds every sample to the nearest of 256 levels, as saving to an 8-bit file would. */
export function quantize8(image: Image): Image {
  const out = createImage(image.width, image.height, image.channels);
  const src = image.data;
  const dst = out.data;
  for (let i = 0; i < src.length; i++) dst[i] = ((clamp01(src[i]) * 255 + 0.5) | 0) / 255;
  return out;
}

/**
 * Estimates the standard deviation of additive white noise (in [0, 1] units) with Immerkaer's
 * Laplacian-difference operator, averaged over channels. Texture inflates it a little.
 */
export function estimateNoiseSigma(image: Image): number {
  const { width, height, channels } = image;
  if (width < 3 || height < 3) return 0;
  const d = image.data;
  const row = width * channels;
  let sum = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let i = y * row + channels; i < (y + 1) * row - channels; i++) {
      const up = i - row;
      const down = i + row;
      const v =
        d[up - channels] - 2 * d[up] + d[up + channels] -
        2 * d[i - channels] + 4 * d[i] - 2 * d[i + channels] +
        d[down - channels] - 2 * d[down] + d[down + channels];
      sum += Math.abs(v);
    }
  }
  return (Math.sqrt(Math.PI / 2) * sum) / (6 * (width - 2) * (height - 2) * channels);
}
