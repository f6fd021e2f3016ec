import { z } from 'zod';
import {
  addGaussianNoise,
  clampImage,
  contrastStretch,
  createImage,
  definePlugin,
  dehazeDarkChannel,
  jpegArtifacts,
  MAX_STEPS,
  readPluginPackage,
  rgbDegradation,
  smoothNoiseField,
  type DegradedSample,
  type EvalSetting,
  type Image,
  type Rng,
} from '@fluxir/sdk';
import { dehazeColourAttenuation } from './colour-attenuation';

const packageJson = readPluginPackage(__dirname);

const params = z.strictObject({});
export type DehazeParams = z.infer<typeof params>;

export const evalDescription =
  'scattering model I = J*T + A*(1-T), T = exp(-1.2*depth), grey airlight A = 0.9, smooth random depth in [0.1, 1] ' +
  '(far at the top, low-frequency variation) seeded per photo, quantised to 8 bits';

/** The fixed benchmark degradation: beta 1.2, airlight 0.9, a seeded smooth depth map. */
export const evalDegrade = rgbDegradation((rgb, rng) =>
  scatter(rgb, depthMap(rgb.width, rgb.height, rng, 0.1), 1.2, [0.9, 0.9, 0.9]),
);

export type DepthShape = 'vertical' | 'horizontal' | 'smooth' | 'radial';

/**
 * A plausible depth map in [nearest, 1]. `vertical`: far at the top (the horizon), tilted a little;
 * `horizontal`: a ramp across the frame; `smooth`: low-frequency random depth (fog banks, clutter);
 * `radial`: near in the middle, far at the edges. Each is mixed with low-frequency variation.
 */
export function depthMap(width: number, height: number, rng: Rng, nearest: number, shape: DepthShape = 'vertical'): Image {
  const angle =
    shape === 'horizontal' ? rng.pick([0, Math.PI]) + 0.4 * rng.normal() : Math.PI / 2 + 0.5 * rng.normal();
  const dx = Math.cos(angle);
  const dy = -Math.sin(angle);
  const field = smoothNoiseField(width, height, rng, rng.int(2, 5), 2);
  const mix = shape === 'smooth' ? 1 : rng.uniform(0.2, 0.5);
  const depth = createImage(width, height, 1);
  let lo = Infinity;
  let hi = -Infinity;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const ramp =
        shape === 'radial' ? Math.hypot(x / width - 0.5, y / height - 0.5) * 1.4 : (dx * x) / width + (dy * y) / height;
      const v = (1 - mix) * ramp + mix * field.data[y * width + x];
      depth.data[y * width + x] = v;
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  }
  const range = Math.max(hi - lo, 1e-6);
  for (let i = 0; i < depth.data.length; i++) depth.data[i] = nearest + ((1 - nearest) * (depth.data[i] - lo)) / range;
  return depth;
}

/** Koschmieder's atmospheric scattering model: `I = J * T + A * (1 - T)` with `T = exp(-beta * depth)`. */
function scatter(rgb: Image, depth: Image, beta: number, airlight: readonly number[]): Image {
  const out = createImage(rgb.width, rgb.height, 3);
  for (let i = 0; i < depth.data.length; i++) {
    const t = Math.exp(-beta * depth.data[i]);
    for (let c = 0; c < 3; c++) out.data[i * 3 + c] = rgb.data[i * 3 + c] * t + airlight[c] * (1 - t);
  }
  return out;
}

export const degradationDescription =
  'scattering model I = J*T + A*(1-T), T = exp(-beta*depth) with the farthest transmission 0.1 to 0.7 ' +
  '(log-uniform), depth maps vertical (45%), horizontal (15%), smooth random (25%) or radial (15%) with the ' +
  'nearest depth 0.05 to 0.4; airlight brightness 0.7 to 1, white (50%) or tinted up to 12% per channel ' +
  '(blue-grey, warm, green); faint noise up to 2/255 (30%) and a JPEG round trip at quality 70 to 95 (20%)';

const SHAPES: readonly DepthShape[] = ['vertical', 'vertical', 'vertical', 'horizontal', 'smooth', 'smooth', 'radial'];

/** Training haze: see `degradationDescription`. */
const degrade = rgbDegradation((rgb, rng) => {
  const depth = depthMap(rgb.width, rgb.height, rng, rng.uniform(0.05, 0.4), rng.pick(SHAPES));
  const farthest = rng.logUniform(0.1, 0.7);
  const base = rng.uniform(0.7, 1);
  const tint = rng.chance(0.5) ? [0, 0, 0] : [0, 1, 2].map(() => rng.uniform(-0.12, 0.12));
  const airlight = tint.map((d) => Math.min(1, Math.max(0.3, base + d)));
  let hazy = scatter(rgb, depth, -Math.log(farthest), airlight);
  if (rng.chance(0.3)) hazy = addGaussianNoise(hazy, rng, rng.uniform(0.5, 2) / 255);
  return rng.chance(0.2) ? jpegArtifacts(clampImage(hazy), rng.uniform(70, 95)) : hazy;
});

/** More evaluation settings: dense haze with a white sky, a tinted haze across the frame, light fog banks. */
const evalSettings: EvalSetting<DehazeParams>[] = [
  {
    name: 'dense-white',
    description: 'dense haze: transmission down to 0.12 at the top of the frame, near-white airlight 0.97, vertical depth',
    params: {},
    degrade: rgbDegradation((rgb, rng) => scatter(rgb, depthMap(rgb.width, rgb.height, rng, 0.15), -Math.log(0.12), [0.97, 0.97, 0.97])),
  },
  {
    name: 'tinted-horizontal',
    description: 'blue-grey airlight (0.8, 0.85, 0.95), transmission down to 0.3 across the frame (horizontal depth)',
    params: {},
    degrade: rgbDegradation((rgb, rng) => scatter(rgb, depthMap(rgb.width, rgb.height, rng, 0.2, 'horizontal'), -Math.log(0.3), [0.8, 0.85, 0.95])),
  },
  {
    name: 'light-smooth',
    description: 'light fog banks: smooth random depth, transmission down to 0.65, airlight 0.9',
    params: {},
    degrade: rgbDegradation((rgb, rng) => scatter(rgb, depthMap(rgb.width, rgb.height, rng, 0.1, 'smooth'), -Math.log(0.65), [0.9, 0.9, 0.9])),
  },
];

/** The classical dehazers fluxir is compared with; `fluxir eval` takes the best per setting. */
const baselines = {
  'dark channel + guided filter': (input: Image) => baseline(input),
  'dark channel': (input: Image) => baseline(input, false),
  'colour attenuation prior': (input: Image) => dehazeColourAttenuation(input, { patch: baselinePatch(input) }),
  'contrast stretch': (input: Image) => contrastStretch(input, { lowPercentile: 0.005, highPercentile: 0.995, gamma: 1 }),
};

/** Dark channel prior with the prior's patch. */
function baseline(input: Image, refine = true): Image {
  return dehazeDarkChannel(input, { patch: baselinePatch(input), refine });
}

/** The classical priors' patch: 15 px from 600 px up, smaller for small images. */
function baselinePatch(input: Image): number {
  return Math.min(15, Math.max(3, 2 * Math.round(Math.min(input.width, input.height) / 40) + 1));
}

export default definePlugin<DehazeParams>({
  packageJson,
  id: 'dehaze',
  title: 'Dehaze',
  help:
    'For haze, fog and washed-out distant scenes. Lower the strength to keep some atmosphere.',
  prompt: 'remove haze and fog and restore contrast and colour',
  // One step: on the shipped weights it beats two on every evaluation setting (+0.06 to +0.44 dB on the 23 validation photos, docs/results.md) at half the engine time.
  stepBudget: { default: 1, min: 1, max: MAX_STEPS },
  params,
  // The path starts at the whole-image dark-channel estimate: the airlight and the haze depth are
  // properties of the whole photo that a tile cannot see. The network is conditioned on the hazy photo
  // itself, so it can bring back what the prior clipped or over-amplified (flat skies, dense white haze).
  prepare: (input) => ({ y: input, start: baseline(input) }),
  training: {
    // Degraded and prepared on 256 px before the patch is cut: the dark channel's airlight and transmission come from the whole image, as when a photo is restored.
    context: 256,
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
