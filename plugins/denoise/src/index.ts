import { z } from 'zod';
import {
  addGaussianNoise,
  addPoissonGaussianNoise,
  bilateralFilter,
  clampImage,
  cloneImage,
  definePlugin,
  estimateNoiseSigma,
  gaussianBlur,
  guidedDenoise,
  jpegArtifacts,
  MAX_STEPS,
  medianFilter,
  readPluginPackage,
  rgbDegradation,
  type DegradedSample,
  type EvalSetting,
  type Image,
  type PreparedInput,
  type Rng,
} from '@fluxir/sdk';

const packageJson = readPluginPackage(__dirname);

const params = z.strictObject({});
export type DenoiseParams = z.infer<typeof params>;

const EVAL_SIGMA = 25 / 255;
export const evalDescription =
  'Gaussian noise, sigma 25/255, independent per RGB sample (colour), seeded per photo, quantised to 8 bits';

/** The fixed benchmark degradation: colour Gaussian noise of sigma 25/255. */
export const evalDegrade = rgbDegradation((rgb, rng) =>
  addGaussianNoise(rgb, rng, EVAL_SIGMA),
);

export const degradationDescription =
  'sigma 1 to 50/255 (uniform), half plain Gaussian, half sensor-like Poisson-Gaussian (its strength set by ' +
  'its sigma at mid-grey, read noise 5% to 50% of it), a third of them grey (luminance) noise; a light JPEG ' +
  'round trip at quality 75 to 95 in 20%';

/** Training noise: see `degradationDescription`. */
const degrade = rgbDegradation((rgb, rng) => {
  const sigma = rng.uniform(1, 50) / 255;
  const grey = rng.chance(0.35);
  let noisy: Image;
  if (rng.chance(0.5)) noisy = addGaussianNoise(rgb, rng, sigma, { grey });
  else {
    const readSigma = sigma * rng.uniform(0.05, 0.5);
    const peak = 0.5 / (sigma * sigma - readSigma * readSigma);
    noisy = addPoissonGaussianNoise(rgb, rng, { peak, readSigma, grey });
  }
  return rng.chance(0.2) ? jpegArtifacts(clampImage(noisy), rng.uniform(75, 95)) : noisy;
});

/** More evaluation settings: the edges of the training ranges and combinations it rarely draws. */
const evalSettings: EvalSetting<DenoiseParams>[] = [
  {
    name: 'heavy-grey-sensor',
    description: 'grey Poisson-Gaussian sensor noise, sigma 45/255 at mid-grey, read noise 30% of it',
    params: {},
    degrade: rgbDegradation((rgb, rng) => addPoissonGaussianNoise(rgb, rng, { peak: 0.5 / ((45 / 255) ** 2 * 0.91), readSigma: (0.3 * 45) / 255, grey: true })),
  },
  {
    name: 'light-jpeg',
    description: 'colour Gaussian noise sigma 10/255, then a JPEG round trip at quality 85',
    params: {},
    degrade: rgbDegradation((rgb, rng) => jpegArtifacts(clampImage(addGaussianNoise(rgb, rng, 10 / 255)), 85)),
  },
  {
    name: 'sensor-15',
    description: 'colour Poisson-Gaussian sensor noise, sigma 15/255 at mid-grey, read noise 20% of it',
    params: {},
    degrade: rgbDegradation((rgb, rng) => addPoissonGaussianNoise(rgb, rng, { peak: 0.5 / ((15 / 255) ** 2 * 0.96), readSigma: (0.2 * 15) / 255 })),
  },
];

/** The classical denoisers fluxir is compared with; `fluxir eval` takes the best per setting. */
const baselines = {
  bilateral: (input: Image) => baseline(input),
  'guided filter': (input: Image) => guidedDenoise(input),
  'gaussian 1': (input: Image) => gaussianBlur(input, 1),
  'gaussian 1.5': (input: Image) => gaussianBlur(input, 1.5),
  'gaussian 2': (input: Image) => gaussianBlur(input, 2),
  'median 3x3': (input: Image) => medianFilter(input, 1),
};

/** Bilateral filter tuned to the noise level estimated from the image itself. */
function baseline(input: Image): Image {
  const sigma = estimateNoiseSigma(input);
  if (sigma < 1 / 255) return cloneImage(input);
  // Tuned on 384x384 crops of the shared photos at sigma 25/255: spatial 2, range 2 sigma.
  return bilateralFilter(input, { sigmaSpatial: Math.min(3, 0.8 + 12 * sigma), sigmaRange: 2 * sigma });
}

/**
 * The network sees the noisy image untouched (y) and starts its path from a fast edge-preserving
 * estimate (a guided filter whose edge threshold follows the noise level estimated from the image, so
 * a clean image starts where it is).
 */
function prepare(input: Image): PreparedInput {
  return { y: input, start: guidedDenoise(input) };
}

export default definePlugin<DenoiseParams>({
  packageJson,
  id: 'denoise',
  title: 'Denoise',
  help:
    'For grain and colour speckles from high ISO or small sensors. One step is the measured best; more steps smooth further and can soften fine texture.',
  prompt: 'remove sensor noise and grain',
  // One step: within 0.1 dB of the best of 1, 2 and 4 uniform steps on the validation photos (docs/training.md, ablation).
  stepBudget: { default: 1, min: 1, max: MAX_STEPS },
  params,
  prepare: (input) => prepare(input),
  training: {
    trainingParams: () => ({}),
    evalParams: {},
    evalDegrade: (clean, rng) => evalDegrade(clean, rng),
    evalDescription,
    degrade,
    degradationDescription,
    evalSettings,
    baselines,
    baseline: (input) => baseline(input),
  },
});
