import { clamp01, createImage, cropRows, guidedFilter, luma, mapRowBands, minFilter, type Image } from '@fluxir/sdk';

/** The linear depth model's coefficients, fitted by Zhu, Mai and Shao on synthetic hazy images. */
const THETA = { bias: 0.121779, value: 0.95971, saturation: -0.780245 } as const;

export interface ColourAttenuationOptions {
  /** Scattering coefficient: transmission = exp(-beta * depth). */
  readonly beta?: number;
  /** Side of the minimum filter that keeps the depth of bright objects from reading as haze, odd. */
  readonly patch?: number;
  /** Bounds of the transmission (the paper's 0.1 and 0.9). */
  readonly tMin?: number;
  readonly tMax?: number;
  /** Fraction of the pixels, deepest in the depth map, that hold the airlight candidates. */
  readonly airlightFraction?: number;
}

/**
 * The colour attenuation prior (Zhu, Mai and Shao, 2015): in haze, brightness rises and saturation
 * falls with depth, so depth = theta0 + theta1 * value + theta2 * saturation. The depth is taken as the
 * minimum over a patch, refined by a guided filter on the luma; the airlight is the brightest pixel
 * among the deepest 0.1 % (where the transmission, clipped to [tMin, tMax], is lowest). A classical
 * prior independent of the dark channel, so the two can be checked against each other.
 */
export function dehazeColourAttenuation(image: Image, options: ColourAttenuationOptions = {}): Image {
  const { airlightFraction = 0.001 } = options;
  const { width, height, channels } = image;
  const transmission = colourAttenuationTransmission(image, options);
  const airlight = brightestOfDeepest(image, transmission, airlightFraction);
  const out = createImage(width, height, channels);
  for (let i = 0; i < width * height; i++) {
    const t = transmission.data[i];
    for (let k = 0; k < channels; k++) {
      const a = airlight[Math.min(k, 2)];
      out.data[i * channels + k] = clamp01((image.data[i * channels + k] - a) / t + a);
    }
  }
  return out;
}

/**
 * The prior's transmission map, exp(-beta * depth) within [tMin, tMax]. It runs in bands of rows
 * (exactly as on the whole image), so a large photo holds band-sized temporaries only.
 */
export function colourAttenuationTransmission(image: Image, options: ColourAttenuationOptions = {}): Image {
  const { beta = 1, patch = 15, tMin = 0.1, tMax = 0.9 } = options;
  const { width, height, channels } = image;
  const radius = Math.min(60, Math.max(4, Math.round(Math.min(width, height) / 12)));
  return mapRowBands(width, height, 1, (patch >> 1) + 2 * radius + 1, (top, bottom) => {
    const band = cropRows(image, top, bottom);
    const n = band.width * band.height;
    const rawDepth = createImage(width, band.height, 1);
    for (let i = 0; i < n; i++) {
      const r = band.data[i * channels];
      const g = band.data[i * channels + Math.min(1, channels - 1)];
      const b = band.data[i * channels + Math.min(2, channels - 1)];
      const value = Math.max(r, g, b);
      const saturation = value > 0 ? (value - Math.min(r, g, b)) / value : 0;
      rawDepth.data[i] = THETA.bias + THETA.value * value + THETA.saturation * saturation;
    }
    const depth = guidedFilter(luma(band), minFilter(rawDepth, patch >> 1), radius, 1e-3);
    for (let i = 0; i < n; i++) depth.data[i] = Math.min(tMax, Math.max(tMin, Math.exp(-beta * depth.data[i])));
    return depth;
  });
}

/** The colour of the brightest pixel (by channel sum) among the `fraction` of pixels deepest in the haze (lowest transmission). */
function brightestOfDeepest(image: Image, transmission: Image, fraction: number): number[] {
  const n = transmission.data.length;
  const wanted = Math.max(1, Math.round(n * fraction));
  const threshold = Float32Array.from(transmission.data).sort()[wanted - 1];
  const c = image.channels;
  let best = 0;
  let bestSum = -Infinity;
  for (let i = 0; i < n; i++) {
    if (transmission.data[i] > threshold) continue;
    let sum = 0;
    for (let k = 0; k < c; k++) sum += image.data[i * c + k];
    if (sum > bestSum) {
      bestSum = sum;
      best = i;
    }
  }
  return [0, 1, 2].map((k) => image.data[best * c + Math.min(k, c - 1)]);
}
