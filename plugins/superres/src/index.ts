import { z } from 'zod';
import {
  addGaussianNoise,
  addPoissonGaussianNoise,
  clampImage,
  gaussianBlur,
  quantize8,
  resize,
  toChannels,
  type DegradedSample,
  type Image,
  type ResizeMethod,
  type Rng,
} from '@fluxir/core';
import { definePlugin, pluginErrors, readPluginPackage } from '@fluxir/sdk';

const packageJson = readPluginPackage(__dirname);

const params = z.strictObject({
  scale: z
    .union([z.literal(2), z.literal(4)])
    .default(4)
    .meta({ title: 'Scale', description: 'how many times larger the output is' }),
});
export type SuperresParams = z.infer<typeof params>;

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
  return { input: quantize8(resize(toChannels(clean, 3), width, height, 'bicubic')) };
}

const METHODS: readonly ResizeMethod[] = ['bicubic', 'area', 'bilinear'];

/**
 * Training degradation, a one-stage Real-ESRGAN: optional slight Gaussian blur, bicubic, area or
 * bilinear down-sampling by `scale`, optional light Gaussian or sensor noise, 8-bit quantisation.
 * Returns the small image. The clean image's sides must be divisible by the scale: crop it first.
 */
function degrade(clean: Image, rng: Rng, { scale }: SuperresParams): DegradedSample {
  const { width, height } = smallSize(clean, scale);
  let image = toChannels(clean, 3);
  if (rng.chance(0.7)) image = gaussianBlur(image, rng.uniform(0.2, 0.4 + 0.3 * scale));
  image = clampImage(resize(image, width, height, rng.pick(METHODS)));
  // Noise in a third of the samples: with it in most of them the network learned to smooth and
  // left clean bicubic inputs as blurry as it found them.
  if (rng.chance(0.35)) {
    image = rng.chance(0.7)
      ? addGaussianNoise(image, rng, rng.uniform(1, 10) / 255, { grey: rng.chance(0.4) })
      : addPoissonGaussianNoise(image, rng, { peak: rng.uniform(200, 2000), readSigma: rng.uniform(0.5, 2) / 255 });
  }
  return { input: quantize8(image) };
}

function smallSize(clean: Image, scale: number): { width: number; height: number } {
  if (clean.width % scale || clean.height % scale) {
    throw pluginErrors.indivisibleSize('superres', scale, clean);
  }
  return { width: clean.width / scale, height: clean.height / scale };
}

/** Bicubic up-sampling to the output size: both the condition `y` and the classical baseline. */
function upsample(input: Image, { scale }: SuperresParams): Image {
  return clampImage(resize(toChannels(input, 3), input.width * scale, input.height * scale, 'bicubic'));
}

export default definePlugin<SuperresParams>({
  packageJson,
  id: 'superres',
  title: 'Super-resolution',
  prompt: 'upscale and restore fine detail and sharp edges',
  // One step: within 0.1 dB of the best of 1, 2 and 4 uniform steps on the validation photos (README, ablation).
  stepBudget: { default: 1, min: 1, max: 32 },
  params,
  trainingParams: (rng) => ({ scale: rng.pick([2, 4] as const) }),
  evalParams: EVAL_PARAMS,
  evalDegrade: (clean, rng) => evalDegrade(clean, rng),
  evalDescription,
  outputScale: ({ scale }) => scale,
  prepare: (input, options) => ({ y: upsample(input, options) }),
  degrade,
  baseline: (input, options) => upsample(input, options),
});
