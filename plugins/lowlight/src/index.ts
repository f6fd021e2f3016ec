import { z } from 'zod';
import {
  addPoissonGaussianNoise,
  contrastStretch,
  createImage,
  quantize8,
  toChannels,
  type DegradedSample,
  type Image,
  type Rng,
} from '@fluxir/core';
import { definePlugin, readPluginPackage } from '@fluxir/sdk';

const packageJson = readPluginPackage(__dirname);

const params = z.strictObject({});
export type LowlightParams = z.infer<typeof params>;

export interface LowlightOptions {
  /** Exposure scale applied after the tone curve (0.05 to 0.4). */
  readonly exposure: number;
  /** Tone curve exponent: `v^gamma`, above 1 darkens the mid-tones further. */
  readonly gamma: number;
  /** Per-channel gains: a colour cast from the light source or a failed white balance. */
  readonly gains: readonly [number, number, number];
  /** Photon count of a full-scale sample: lower is noisier shot noise. */
  readonly peak: number;
  readonly readSigma: number;
}

const CURVE_SIZE = 1024;

const EVAL_LOWLIGHT: LowlightOptions = { exposure: 0.15, gamma: 1.6, gains: [1.04, 1, 0.92], peak: 400, readSigma: 2 / 255 };

export const evalDescription =
  'low light: v -> 0.15 * gain_c * v^1.6 with a warm cast (gains 1.04, 1, 0.92), then Poisson-Gaussian colour ' +
  'noise (peak 400 photons, read sigma 2/255) seeded per photo, quantised to 8 bits';

/** The fixed benchmark degradation: exposure 0.15, gamma 1.6, a warm cast, shot and read noise. */
export function evalDegrade(clean: Image, rng: Rng): DegradedSample {
  return { input: darken(clean, rng, EVAL_LOWLIGHT) };
}

/** Renders an under-exposed, noisy shot of a clean RGB image: `exposure * gain_c * v^gamma` plus sensor noise. */
export function darken(clean: Image, rng: Rng, options: LowlightOptions): Image {
  const rgb = toChannels(clean, 3);
  const dark = createImage(rgb.width, rgb.height, 3);
  // The tone curve from a table with linear interpolation: Math.pow per sample is the slowest step here.
  const curve = new Float32Array(CURVE_SIZE + 2);
  for (let k = 0; k <= CURVE_SIZE + 1; k++) curve[k] = options.exposure * Math.min(1, k / CURVE_SIZE) ** options.gamma;
  for (let i = 0; i < rgb.data.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      const x = Math.min(1, Math.max(0, rgb.data[i + c])) * CURVE_SIZE;
      const k = x | 0;
      const v = curve[k] + (x - k) * (curve[k + 1] - curve[k]);
      dark.data[i + c] = Math.min(1, options.gains[c] * v);
    }
  }
  return quantize8(addPoissonGaussianNoise(dark, rng, { peak: options.peak, readSigma: options.readSigma }));
}

/** Training low light: exposure 0.05 to 0.4 (log-uniform), gamma 1 to 2, casts of up to 8%, varied noise. */
function degrade(clean: Image, rng: Rng): DegradedSample {
  const gain = (): number => 1 + rng.uniform(-0.08, 0.08);
  return {
    input: darken(clean, rng, {
      exposure: Math.exp(rng.uniform(Math.log(0.05), Math.log(0.4))),
      gamma: rng.uniform(1, 2),
      gains: [gain(), gain(), gain()],
      peak: Math.exp(rng.uniform(Math.log(150), Math.log(2000))),
      readSigma: rng.uniform(0.5, 3) / 255,
    }),
  };
}

export default definePlugin<LowlightParams>({
  packageJson,
  id: 'lowlight',
  title: 'Low-light enhancement',
  prompt: 'brighten a dark underexposed photo, remove noise and restore colour',
  // One step: the smallest K within 0.1 dB of the best of 1, 2 and 4 uniform steps on the validation photos (README, ablation).
  stepBudget: { default: 1, min: 1, max: 32 },
  params,
  trainingParams: () => ({}),
  evalParams: {},
  evalDegrade: (clean, rng) => evalDegrade(clean, rng),
  evalDescription,
  // The network starts from the whole-image exposure correction: a tile cannot see how dark the photo
  // is overall, so the global tone curve comes first and the network restores colour, noise and detail.
  prepare: (input) => ({ y: stretch(input) }),
  degrade: (clean, rng) => degrade(clean, rng),
  baseline: (input) => stretch(input),
});

/** Percentile stretch, then the gamma that brings the mean luma to 0.45. */
function stretch(input: Image): Image {
  return contrastStretch(toChannels(input, 3), { lowPercentile: 0.005, highPercentile: 0.995, targetMean: 0.45 });
}
