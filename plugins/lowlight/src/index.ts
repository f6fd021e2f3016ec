import { z } from 'zod';
import {
  addPoissonGaussianNoise,
  contrastStretch,
  createImage,
  definePlugin,
  gaussianBlur,
  guidedDenoise,
  meanLuma,
  lookupPower,
  MAX_STEPS,
  powerTable,
  quantize8,
  readPluginPackage,
  type DegradedSample,
  type EvalSetting,
  type Image,
  type Rng,
} from '@fluxir/sdk';

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
  /** Luminance-only noise (default: independent per channel). */
  readonly grey?: boolean;
}

/** Intervals of the tone curve's table. */
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
  const dark = createImage(clean.width, clean.height, 3);
  const curve = powerTable(options.gamma, options.exposure, CURVE_SIZE);
  for (let i = 0; i < clean.data.length; i += 3) {
    for (let c = 0; c < 3; c++) {
      dark.data[i + c] = Math.min(1, options.gains[c] * lookupPower(curve, Math.min(1, Math.max(0, clean.data[i + c]))));
    }
  }
  return quantize8(addPoissonGaussianNoise(dark, rng, { peak: options.peak, readSigma: options.readSigma, grey: options.grey }));
}

export const degradationDescription =
  'v -> exposure * gain_c * v^gamma with exposure 0.03 to 0.5 (log-uniform), gamma 0.8 to 2.2, per-channel ' +
  'gains (colour casts) up to 15% (warm, cool or green-magenta), then Poisson-Gaussian sensor noise with a ' +
  'full-scale photon count of 60 to 3000 (log-uniform) and read noise 0.5 to 4/255, grey noise in 20%; 8 bits';

/** Training low light: see `degradationDescription`. */
function degrade(clean: Image, rng: Rng): DegradedSample {
  const cast = rng.uniform(0, 0.15);
  const direction = rng.pick([
    [1, 0, -1],
    [-1, 0, 1],
    [-0.5, 1, -0.5],
    [0.5, -1, 0.5],
  ] as const);
  const gain = (c: number): number => 1 + cast * direction[c] + rng.uniform(-0.02, 0.02);
  return {
    input: darken(clean, rng, {
      exposure: rng.logUniform(0.03, 0.5),
      gamma: rng.uniform(0.8, 2.2),
      gains: [gain(0), gain(1), gain(2)],
      peak: rng.logUniform(60, 3000),
      readSigma: rng.uniform(0.5, 4) / 255,
      grey: rng.chance(0.2),
    }),
  };
}

/** More evaluation settings: the darkest, noisiest end of the range, and a dim shot with a cool cast. */
const evalSettings: EvalSetting<LowlightParams>[] = [
  {
    name: 'very-dark',
    description: 'exposure 0.05, gamma 2, no cast, Poisson-Gaussian colour noise (peak 100 photons, read sigma 3/255)',
    params: {},
    degrade: (clean, rng) => ({ input: darken(clean, rng, { exposure: 0.05, gamma: 2, gains: [1, 1, 1], peak: 100, readSigma: 3 / 255 }) }),
  },
  {
    name: 'dim-cool',
    description: 'exposure 0.4, gamma 1.1, a cool cast (gains 0.9, 1, 1.12), Poisson-Gaussian colour noise (peak 1500, read sigma 1/255)',
    params: {},
    degrade: (clean, rng) => ({ input: darken(clean, rng, { exposure: 0.4, gamma: 1.1, gains: [0.9, 1, 1.12], peak: 1500, readSigma: 1 / 255 }) }),
  },
];

/** The classical enhancements fluxir is compared with; `fluxir eval` takes the best per setting. */
const baselines = {
  'stretch + gamma': (input: Image) => stretch(input),
  'stretch + gamma 0.5': (input: Image) => contrastStretch(input, { lowPercentile: 0.005, highPercentile: 0.995, targetMean: 0.5 }),
  'stretch + gamma + gaussian 1': (input: Image) => gaussianBlur(stretch(input), 1),
  'stretch + gamma + guided filter': (input: Image) => guidedDenoise(stretch(input)),
};

export default definePlugin<LowlightParams>({
  packageJson,
  id: 'lowlight',
  title: 'Low-light enhancement',
  help:
    'For dark, underexposed photos: brightens, removes the noise that brightening shows and restores colour.',
  prompt: 'brighten a dark underexposed photo, remove noise and restore colour',
  // One step: the smallest K within 0.1 dB of the best of 1, 2 and 4 uniform steps on the validation photos (docs/training.md, ablation).
  stepBudget: { default: 1, min: 1, max: MAX_STEPS },
  params,
  // The network sees the whole-image exposure correction: a tile cannot see how dark the photo is
  // overall, so the global tone curve comes first. Its path starts from that stretch denoised by the
  // guided filter (up to 9 dB better on the darkest settings), and it restores colour, noise and detail.
  // The stretch's gain goes in the fourth channel: after the stretch every photo is equally bright, and
  // only the gain tells how much of what the network sees is amplified noise.
  prepare: (input) => {
    const y = stretch(input);
    return { y, start: guidedDenoise(y), mask: gainChannel(input, y) };
  },
  training: {
    // Degraded and prepared on 256 px before the patch is cut: the stretch's percentiles, gamma and gain come from the whole image, as when a photo is restored.
    context: 256,
    trainingParams: () => ({}),
    evalParams: {},
    evalDegrade: (clean, rng) => evalDegrade(clean, rng),
    evalDescription,
    degrade: (clean, rng) => degrade(clean, rng),
    degradationDescription,
    evalSettings,
    baselines,
    baseline: (input) => stretch(input),
  },
});

/** Gains up to this map onto the channel's range; brighter stretches saturate it. */
const MAX_GAIN = 256;

/**
 * How much the stretch brightened the photo (mean luma after over before), told to the network as a
 * constant fourth channel in [0.5, 1]: 0.5 for no gain, 1 for MAX_GAIN or more, log-spaced. The channel
 * stays at or above 0.5 because the engine keeps the condition wherever it is below (the inpainting mask).
 */
export function gainChannel(input: Image, stretched: Image): Image {
  const gain = meanLuma(stretched) / Math.max(meanLuma(input), 1 / 1024);
  const value = 0.5 + 0.5 * Math.min(1, Math.max(0, Math.log(gain) / Math.log(MAX_GAIN)));
  return createImage(input.width, input.height, 1, new Float32Array(input.width * input.height).fill(value));
}

/** Percentile stretch, then the gamma that brings the mean luma to 0.45. */
function stretch(input: Image): Image {
  return contrastStretch(input, { lowPercentile: 0.005, highPercentile: 0.995, targetMean: 0.45 });
}
