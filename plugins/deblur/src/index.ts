import { z } from 'zod';
import {
  addGaussianNoise,
  clampImage,
  convolve,
  definePlugin,
  diskKernel,
  gaussianBlur,
  jpegArtifacts,
  MAX_STEPS,
  motionLineKernel,
  prepareRgb,
  randomWalkKernel,
  readPluginPackage,
  rgbDegradation,
  unsharpMask,
  type DegradedSample,
  type EvalSetting,
  type Image,
  type Rng,
} from '@fluxir/sdk';

const packageJson = readPluginPackage(__dirname);

const params = z.strictObject({});
export type DeblurParams = z.infer<typeof params>;

export const evalDescription =
  'Gaussian blur sigma 2.0 px, then colour Gaussian noise sigma 1/255 seeded per photo, quantised to 8 bits';

/** The fixed benchmark degradation: Gaussian blur sigma 2 plus faint noise. */
export const evalDegrade = rgbDegradation((rgb, rng) =>
  addGaussianNoise(gaussianBlur(rgb, 2), rng, 1 / 255),
);

export const degradationDescription =
  'camera shake as straight lines 3 to 25 px long at any angle (35%) or random-walk trajectories 3 to 25 px ' +
  'across (30%), defocus as a disk of radius 1 to 6 px (20%) or a Gaussian of sigma 0.5 to 3.5 px (15%); ' +
  'half of them combined with a second, milder Gaussian or disk blur; then colour or grey noise up to 3/255 ' +
  '(70%) and a JPEG round trip at quality 60 to 95 (30%)';

/** A blur a photograph may carry: shake (lines, trajectories) or defocus (disk, Gaussian). */
function randomBlur(rgb: Image, rng: Rng): Image {
  const kind = rng.next();
  if (kind < 0.35) return convolve(rgb, motionLineKernel(rng.logUniform(3, 25), rng.uniform(0, 180)));
  if (kind < 0.65) return convolve(rgb, randomWalkKernel(rng, rng.int(3, 26)));
  if (kind < 0.85) return convolve(rgb, diskKernel(rng.logUniform(1, 6)));
  return gaussianBlur(rgb, rng.logUniform(0.5, 3.5));
}

/** Training blur: see `degradationDescription`. */
const degrade = rgbDegradation((rgb, rng) => {
  let blurred = randomBlur(rgb, rng);
  if (rng.chance(0.5)) {
    blurred = rng.chance(0.5) ? gaussianBlur(blurred, rng.uniform(0.3, 1.2)) : convolve(blurred, diskKernel(rng.uniform(0.7, 2)));
  }
  clampImage(blurred);
  if (rng.chance(0.7)) blurred = addGaussianNoise(blurred, rng, rng.uniform(0.3, 3) / 255, { grey: rng.chance(0.3) });
  if (rng.chance(0.3)) blurred = jpegArtifacts(clampImage(blurred), rng.uniform(60, 95));
  return blurred;
});

/** More evaluation settings: long straight shake, a shaky trajectory with defocus and JPEG, strong defocus. */
const evalSettings: EvalSetting<DeblurParams>[] = [
  {
    name: 'motion-21',
    description: 'straight motion blur 21 px long at 30 degrees, colour noise 1/255',
    params: {},
    degrade: rgbDegradation((rgb, rng) => addGaussianNoise(convolve(rgb, motionLineKernel(21, 30)), rng, 1 / 255)),
  },
  {
    name: 'shake-defocus-jpeg',
    description: 'random-walk shake 15 px (seeded per photo) and a defocus disk of radius 2 px, then JPEG quality 90',
    params: {},
    degrade: rgbDegradation((rgb, rng) => jpegArtifacts(clampImage(convolve(convolve(rgb, randomWalkKernel(rng, 15)), diskKernel(2))), 90)),
  },
  {
    name: 'defocus-4',
    description: 'defocus disk of radius 4 px, colour noise 0.5/255',
    params: {},
    degrade: rgbDegradation((rgb, rng) => addGaussianNoise(convolve(rgb, diskKernel(4)), rng, 0.5 / 255)),
  },
];

/** The classical sharpeners fluxir is compared with (and the input itself); `fluxir eval` takes the best per setting. */
const baselines = {
  input: (input: Image) => input,
  'unsharp 1/0.7': (input: Image) => unsharpMask(input, { sigma: 1, amount: 0.7, threshold: 1 / 255 }),
  'unsharp 2/1': (input: Image) => baseline(input),
  'unsharp 3/1.5': (input: Image) => unsharpMask(input, { sigma: 3, amount: 1.5, threshold: 1 / 255 }),
};

/** Unsharp masking, with a threshold so flat-area noise is not sharpened. */
function baseline(input: Image): Image {
  return unsharpMask(input, { sigma: 2, amount: 1, threshold: 1 / 255 });
}

export default definePlugin<DeblurParams>({
  packageJson,
  id: 'deblur',
  title: 'Deblur',
  help:
    'For camera shake, motion and slight missed focus. Strong blur loses detail that cannot come back; lower the strength if edges ring.',
  prompt: 'remove motion blur and defocus blur and sharpen edges',
  // One step: within 0.1 dB of the best of 1, 2 and 4 uniform steps on the validation photos (docs/training.md, ablation).
  stepBudget: { default: 1, min: 1, max: MAX_STEPS },
  // The network's one-step correction falls short of the sharp photo on average: moving 1.3 times as far
  // gains +0.06 to +0.17 dB on three of the four evaluation settings (about -0.02 on 21 px motion), on the
  // validation photos and on training photos alike, with no photo more than 0.1 dB below the start (docs/results.md).
  pathEnd: -0.3,
  params,
  prepare: prepareRgb,
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
