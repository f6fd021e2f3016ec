import { z } from 'zod';
import {
  addGaussianNoise,
  clampImage,
  convolve,
  gaussianBlur,
  motionLineKernel,
  randomWalkKernel,
  toChannels,
  unsharpMask,
  type DegradedSample,
  type Image,
  type Rng,
} from '@fluxir/core';
import { definePlugin, prepareRgb, readPluginPackage, rgbDegradation } from '@fluxir/sdk';

const packageJson = readPluginPackage(__dirname);

const params = z.strictObject({});
export type DeblurParams = z.infer<typeof params>;

export const evalDescription =
  'Gaussian blur sigma 2.0 px, then colour Gaussian noise sigma 1/255 seeded per photo, quantised to 8 bits';

/** The fixed benchmark degradation: Gaussian blur sigma 2 plus faint noise. */
export const evalDegrade = rgbDegradation((rgb, rng) =>
  addGaussianNoise(gaussianBlur(rgb, 2), rng, 1 / 255),
);

/**
 * Training blur: 40% defocus-like Gaussian (sigma 0.7 to 3), 30% straight motion lines (5 to 21 px, any
 * angle), 30% shaky random-walk trajectories (6 to 20 steps); then usually a little noise.
 */
const degrade = rgbDegradation((rgb, rng) => {
  const kind = rng.next();
  let blurred: Image;
  if (kind < 0.4) blurred = gaussianBlur(rgb, rng.uniform(0.7, 3));
  else if (kind < 0.7) blurred = convolve(rgb, motionLineKernel(rng.uniform(5, 21), rng.uniform(0, 180)));
  else blurred = convolve(rgb, randomWalkKernel(rng, rng.int(6, 21)));
  clampImage(blurred);
  if (rng.chance(0.7)) blurred = addGaussianNoise(blurred, rng, rng.uniform(0.5, 3) / 255, { grey: rng.chance(0.3) });
  return blurred;
});

/** Unsharp masking, with a threshold so flat-area noise is not sharpened. */
function baseline(input: Image): Image {
  return unsharpMask(toChannels(input, 3), { sigma: 2, amount: 1, threshold: 1 / 255 });
}

export default definePlugin<DeblurParams>({
  packageJson,
  id: 'deblur',
  title: 'Deblur',
  prompt: 'remove motion blur and defocus blur and sharpen edges',
  // One step: within 0.1 dB of the best of 1, 2 and 4 uniform steps on the validation photos (README, ablation).
  stepBudget: { default: 1, min: 1, max: 32 },
  params,
  trainingParams: () => ({}),
  evalParams: {},
  evalDegrade: (clean, rng) => evalDegrade(clean, rng),
  evalDescription,
  prepare: prepareRgb,
  degrade,
  baseline: (input) => baseline(input),
});
