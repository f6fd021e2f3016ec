import { z } from 'zod';
import {
  addGaussianNoise,
  addPoissonGaussianNoise,
  backProject,
  clampImage,
  createImage,
  definePlugin,
  gaussianBlur,
  jpegArtifacts,
  MAX_STEPS,
  pluginErrors,
  quantize8,
  readPluginPackage,
  resize,
  unsharpMask,
  type DegradedSample,
  type EvalSetting,
  type Image,
  type ResizeMethod,
  type Rng,
} from '@fluxir/sdk';

const packageJson = readPluginPackage(__dirname);

const params = z.strictObject({
  scale: z
    .union([z.literal(2), z.literal(4)])
    .default(4)
    .meta({ title: 'Scale', description: 'how many times larger the output is' }),
});
export type SuperresParams = z.infer<typeof params>;

/** Back-projection passes and step: chosen on the validation photos (docs/results.md). */
const BACK_PROJECTION = { iterations: 3, step: 0.75 } as const;

const EVAL_PARAMS: SuperresParams = { scale: 4 };
export const evalDescription =
  'x4 (or the given scale) bicubic down-sampling, antialiased like MATLAB imresize, no blur or noise, quantised to 8 bits';

/**
 * The fixed benchmark degradation: plain antialiased bicubic down-sampling. Like `degrade`, it expects
 * image sides divisible by the scale (crop first).
 */
export function evalDegrade(clean: Image, rng: Rng, options: SuperresParams = EVAL_PARAMS): DegradedSample {
  void rng;
  const { width, height } = smallSize(clean, options.scale);
  return { input: quantize8(resize(clean, width, height, 'bicubic')) };
}

const CLEAN_METHODS: readonly ResizeMethod[] = ['bicubic', 'area', 'lanczos3', 'bilinear'];

export const degradationDescription =
  'x2 or x4; 55% clean down-scales (bicubic, area, Lanczos-3 or bilinear, antialiased); the rest a Gaussian ' +
  'blur of sigma 0.3 to 0.6*scale before the down-scale (70%), then colour or grey Gaussian noise of 1 to ' +
  '10/255 or sensor noise (45%) and a JPEG round trip at quality 50 to 95 (40%); 8-bit quantisation';

/**
 * Training degradation, in the spirit of Real-ESRGAN's first stage but with most samples clean: with
 * noise in most of them the network learned to smooth and left clean inputs as blurry as it found them.
 * Returns the small image. The clean image's sides must be divisible by the scale: crop it first.
 */
function degrade(clean: Image, rng: Rng, { scale }: SuperresParams): DegradedSample {
  const { width, height } = smallSize(clean, scale);
  let image = clean;
  if (rng.chance(0.55)) return { input: quantize8(clampImage(resize(image, width, height, rng.pick(CLEAN_METHODS)))) };
  if (rng.chance(0.7)) image = gaussianBlur(image, rng.uniform(0.3, 0.6 * scale));
  image = clampImage(resize(image, width, height, rng.pick(CLEAN_METHODS)));
  if (rng.chance(0.45)) {
    image = rng.chance(0.7)
      ? addGaussianNoise(image, rng, rng.uniform(1, 10) / 255, { grey: rng.chance(0.4) })
      : addPoissonGaussianNoise(image, rng, { peak: rng.uniform(200, 2000), readSigma: rng.uniform(0.5, 2) / 255 });
  }
  if (rng.chance(0.4)) image = jpegArtifacts(clampImage(image), rng.uniform(50, 95));
  return { input: quantize8(image) };
}

/** More evaluation settings: other down-samplers, x2, and a blurred, noisy, compressed source. */
const evalSettings: EvalSetting<SuperresParams>[] = [
  {
    name: 'x2-lanczos',
    description: 'x2 Lanczos-3 down-sampling, clean, quantised to 8 bits',
    params: { scale: 2 },
    degrade: (clean) => ({ input: quantize8(clampImage(resize(clean, clean.width / 2, clean.height / 2, 'lanczos3'))) }),
  },
  {
    name: 'x4-area',
    description: 'x4 area (box) down-sampling, clean, quantised to 8 bits',
    params: { scale: 4 },
    degrade: (clean) => ({ input: quantize8(resize(clean, clean.width / 4, clean.height / 4, 'area')) }),
  },
  {
    name: 'x2-blur-noise-jpeg',
    description: 'Gaussian blur sigma 0.8, x2 bicubic down-sampling, colour noise 2/255, JPEG quality 85',
    params: { scale: 2 },
    degrade: (clean, rng) => {
      const small = clampImage(resize(gaussianBlur(clean, 0.8), clean.width / 2, clean.height / 2, 'bicubic'));
      return { input: quantize8(jpegArtifacts(clampImage(addGaussianNoise(small, rng, 2 / 255)), 85)) };
    },
  },
];

/** The classical up-samplers fluxir is compared with; `fluxir eval` takes the best per setting. */
const baselines = {
  bicubic: (input: Image, options: SuperresParams) => upsample(input, options),
  'lanczos-3': (input: Image, { scale }: SuperresParams) =>
    clampImage(resize(input, input.width * scale, input.height * scale, 'lanczos3')),
  'back-projection': (input: Image, options: SuperresParams) => backProjected(input, options),
  'bicubic + unsharp': (input: Image, options: SuperresParams) => unsharpMask(upsample(input, options), { sigma: 1, amount: 0.6 }),
};

function smallSize(clean: Image, scale: number): { width: number; height: number } {
  if (clean.width % scale || clean.height % scale) {
    throw pluginErrors.indivisibleSize('superres', scale, clean);
  }
  return { width: clean.width / scale, height: clean.height / scale };
}

/** Bicubic up-sampling to the output size: the condition `y`. */
function upsample(input: Image, { scale }: SuperresParams): Image {
  return clampImage(resize(input, input.width * scale, input.height * scale, 'bicubic'));
}

/**
 * The scale, told to the network through its fourth input channel (the inpainting mask, unused here):
 * a constant 0.5 at x2 and 0.75 at x4. Without it the network had to guess the scale from the image and
 * sharpened clean x2 inputs as if they were x4 ones, ending below its own start. Both values are at least
 * one half, which the engine reads as "restore this pixel", so every pixel is restored.
 */
function scaleChannel(input: Image, { scale }: SuperresParams): Image {
  const width = input.width * scale;
  const height = input.height * scale;
  return createImage(width, height, 1, new Float32Array(width * height).fill(0.25 + scale / 8));
}

/** Iterative back-projection: the path's start and the classical baseline. */
function backProjected(input: Image, { scale }: SuperresParams): Image {
  return backProject(input, input.width * scale, input.height * scale, BACK_PROJECTION);
}

export default definePlugin<SuperresParams>({
  packageJson,
  id: 'superres',
  title: 'Super-resolution',
  help:
    'Enlarges 2 or 4 times. Start from the largest original you have; in Photopea the result opens as a new document.',
  prompt: 'upscale and restore fine detail and sharp edges',
  // One step: within 0.1 dB of the best of 1, 2 and 4 uniform steps on the validation photos (docs/training.md, ablation).
  stepBudget: { default: 1, min: 1, max: MAX_STEPS },
  params,
  outputScale: ({ scale }) => scale,
  // The network sees the bicubic up-sampling and starts from back-projection, the strongest fast
  // classical estimate on the validation photos (docs/results.md).
  prepare: (input, options) => ({ y: upsample(input, options), start: backProjected(input, options), mask: scaleChannel(input, options) }),
  training: {
    trainingParams: (rng) => ({ scale: rng.pick([2, 4] as const) }),
    evalParams: EVAL_PARAMS,
    evalDegrade: (clean, rng) => evalDegrade(clean, rng),
    evalDescription,
    degrade,
    degradationDescription,
    evalSettings,
    baselines,
    baseline: (input, options) => backProjected(input, options),
  },
});
