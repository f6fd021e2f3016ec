import { z } from 'zod';
import {
  clampImage,
  createImage,
  definePlugin,
  gaussianBlur,
  jpegArtifacts,
  MAX_STEPS,
  medianFilter,
  motionLineKernel,
  prepareRgb,
  readPluginPackage,
  rgbDegradation,
  type DegradedSample,
  type EvalSetting,
  type Image,
  type Rng,
} from '@fluxir/sdk';

const packageJson = readPluginPackage(__dirname);

const params = z.strictObject({});
export type DerainParams = z.infer<typeof params>;

/** One layer of rain: drops falling at `angle` degrees (90 = straight down), motion-blurred into streaks. */
export interface StreakLayer {
  readonly angle: number;
  /** Streak length in pixels. */
  readonly length: number;
  /** Streak width in pixels (about 1 to 3). */
  readonly width: number;
  /** Fraction of the image the streaks cover (before overlaps). */
  readonly coverage: number;
  /** Peak opacity of a streak in [0, 1]. */
  readonly opacity: number;
}

export interface RainOptions {
  readonly layers: readonly StreakLayer[];
  /** How the streak light is combined with the scene. */
  readonly blend: 'screen' | 'additive';
  /** Scale of the streak light. */
  readonly brightness: number;
  /** Fraction of the scene veiled by the light scattered from the rain (0 = none). */
  readonly veil: number;
  /** Colour of the streak light and of the veil (default a faint blue-white). */
  readonly colour?: readonly [number, number, number];
}

const RAIN_WHITE = [0.96, 0.96, 1] as const;

const EVAL_RAIN: RainOptions = {
  layers: [
    { angle: 100, length: 24, width: 1.5, coverage: 0.1, opacity: 0.75 },
    { angle: 97, length: 14, width: 1, coverage: 0.08, opacity: 0.6 },
  ],
  blend: 'screen',
  brightness: 0.8,
  veil: 0.03,
};

export const evalDescription =
  'medium rain: two streak layers 10 and 7 degrees off vertical, 24 and 14 px long, 1.5 and 1 px wide, ' +
  'covering 10% and 8% of the image, opacity 0.75 and 0.6, brightness 0.8, screen blend, 3% veil; ' +
  'drop positions seeded per photo; quantised to 8 bits';

/** The fixed benchmark degradation: medium-density rain. */
export const evalDegrade = rgbDegradation((rgb, rng) =>
  addRain(rgb, rng, EVAL_RAIN),
);

/** Renders rain over an RGB image. */
export function addRain(rgb: Image, rng: Rng, options: RainOptions): Image {
  const { width, height } = rgb;
  const light = new Float32Array(width * height);
  for (const layer of options.layers) {
    const streaks = streakLayer(width, height, rng, layer);
    for (let i = 0; i < light.length; i++) light[i] = Math.max(light[i], streaks.data[i]);
  }
  const out = createImage(width, height, 3);
  const { veil, brightness } = options;
  const colour = options.colour ?? RAIN_WHITE;
  for (let i = 0; i < light.length; i++) {
    const r = Math.min(1, brightness * light[i]);
    for (let c = 0; c < 3; c++) {
      const scene = rgb.data[i * 3 + c] * (1 - veil) + veil * 0.88 * colour[c];
      const drop = r * colour[c];
      out.data[i * 3 + c] = options.blend === 'screen' ? 1 - (1 - scene) * (1 - drop) : Math.min(1, scene + drop);
    }
  }
  return out;
}

/**
 * Drops scattered at random, each drawn as the motion-blur kernel of its fall (a line of the layer's
 * length and angle, splatted rather than convolved so sparse rain stays cheap), widened by a blur.
 */
function streakLayer(width: number, height: number, rng: Rng, layer: StreakLayer): Image {
  const kernel = motionLineKernel(layer.length, layer.angle);
  let peak = 0;
  for (const v of kernel.data) peak = Math.max(peak, v);
  const taps: number[] = [];
  const r = kernel.width >> 1;
  const ux = Math.cos((layer.angle * Math.PI) / 180);
  const uy = -Math.sin((layer.angle * Math.PI) / 180);
  for (let y = 0; y < kernel.height; y++) {
    for (let x = 0; x < kernel.width; x++) {
      // Streaks fade towards their ends: a drop is brightest mid-fall.
      const along = (2 * ((x - r) * ux + (y - r) * uy)) / Math.max(1, layer.length);
      const w = (kernel.data[y * kernel.width + x] / peak) * (0.4 + 0.6 * Math.sqrt(Math.max(0, 1 - along * along)));
      if (w > 0.05) taps.push(x - r, y - r, w);
    }
  }
  // Drops may lie outside the frame so streaks enter across the borders.
  const drops = Math.round((layer.coverage * (width + 2 * r) * (height + 2 * r)) / layer.length);
  const out = createImage(width, height, 1);
  for (let d = 0; d < drops; d++) {
    const cx = rng.int(-r, width + r);
    const cy = rng.int(-r, height + r);
    const alpha = layer.opacity * rng.uniform(0.6, 1);
    for (let t = 0; t < taps.length; t += 3) {
      const x = cx + taps[t];
      const y = cy + taps[t + 1];
      if (x < 0 || y < 0 || x >= width || y >= height) continue;
      const i = y * width + x;
      const v = alpha * taps[t + 2];
      if (v > out.data[i]) out.data[i] = v;
    }
  }
  if (layer.width <= 1) return gaussianBlur(out, 0.35);
  const widened = gaussianBlur(out, 0.35 * layer.width);
  // Keep the streak's peak brightness after widening.
  for (let i = 0; i < widened.data.length; i++) widened.data[i] = Math.min(1, widened.data[i] * (0.6 + 0.4 * layer.width));
  return widened;
}

export const degradationDescription =
  'one to four streak layers at one angle 50 to 130 degrees (within 5 degrees of each other); sparse thick ' +
  'rain (widths 1.5 to 4 px, coverage 2% to 10%), medium, or dense thin rain (widths 0.6 to 1.2 px, coverage ' +
  '15% to 50%); lengths 5 to 60 px, opacity 0.25 to 0.95, brightness 0.5 to 1, screen or additive blend, ' +
  'streak colour white, blue-white, grey or warm; a haze veil of up to 25% in half the samples; a JPEG round ' +
  'trip at quality 70 to 95 in 20%';

const COLOURS: readonly (readonly [number, number, number])[] = [
  [1, 1, 1],
  [0.96, 0.96, 1],
  [0.85, 0.88, 0.92],
  [1, 0.96, 0.88],
];

/** Training rain: see `degradationDescription`. */
const degrade = rgbDegradation((rgb, rng) => {
  const density = rng.next();
  const [widths, coverage] =
    density < 0.3 ? [[1.5, 4], rng.uniform(0.02, 0.1)] : density < 0.65 ? [[0.8, 2.5], rng.uniform(0.06, 0.25)] : [[0.6, 1.2], rng.uniform(0.15, 0.5)];
  const count = rng.int(1, 5);
  const angle = 90 + rng.uniform(-40, 40);
  const layers: StreakLayer[] = [];
  for (let k = 0; k < count; k++) {
    layers.push({
      angle: angle + rng.uniform(-5, 5),
      length: rng.logUniform(5, 60),
      width: rng.uniform(widths[0], widths[1]),
      coverage: coverage / count,
      opacity: rng.uniform(0.25, 0.95),
    });
  }
  const rainy = addRain(rgb, rng, {
    layers,
    blend: rng.chance(0.5) ? 'screen' : 'additive',
    brightness: rng.uniform(0.5, 1),
    veil: rng.chance(0.5) ? rng.uniform(0, 0.25) : 0,
    colour: rng.pick(COLOURS),
  });
  return rng.chance(0.2) ? jpegArtifacts(clampImage(rainy), rng.uniform(70, 95)) : rainy;
});

/** More evaluation settings: dense thin streaks blended toward white with a veil, and sparse thick drops. */
const evalSettings: EvalSetting<DerainParams>[] = [
  {
    name: 'dense-thin-white',
    description: 'dense thin rain: three layers 5 degrees off vertical, 0.7 px wide, 30 px long, 45% coverage in all, opacity 0.8, white, screen blend, brightness 1, 15% veil',
    params: {},
    degrade: rgbDegradation((rgb, rng) =>
      addRain(rgb, rng, {
        layers: [0, 1, 2].map((k) => ({ angle: 95 + k, length: 30, width: 0.7, coverage: 0.15, opacity: 0.8 })),
        blend: 'screen',
        brightness: 1,
        veil: 0.15,
        colour: [1, 1, 1],
      }),
    ),
  },
  {
    name: 'sparse-thick',
    description: 'sparse thick drops: two layers at 115 degrees, 3.5 px wide, 45 px long, 6% coverage in all, opacity 0.6, additive, brightness 0.8',
    params: {},
    degrade: rgbDegradation((rgb, rng) =>
      addRain(rgb, rng, {
        layers: [0, 1].map((k) => ({ angle: 115 + 2 * k, length: 45, width: 3.5, coverage: 0.03, opacity: 0.6 })),
        blend: 'additive',
        brightness: 0.8,
        veil: 0,
      }),
    ),
  },
];

/** The classical filters fluxir is compared with; `fluxir eval` takes the best per setting. */
const baselines = {
  'median 5x5': (input: Image) => medianFilter(input, 2),
  'median 3x3': (input: Image) => medianFilter(input, 1),
  'median 7x7': (input: Image) => medianFilter(input, 3),
  'gaussian 1': (input: Image) => gaussianBlur(input, 1),
};

export default definePlugin<DerainParams>({
  packageJson,
  id: 'derain',
  title: 'Derain',
  help:
    'For rain streaks over a scene. Select the affected area in Photopea to leave the rest untouched.',
  prompt: 'remove rain streaks and restore detail',
  // One step: the smallest K within 0.1 dB of the best of 1, 2 and 4 uniform steps on the validation photos (docs/training.md, ablation).
  stepBudget: { default: 1, min: 1, max: MAX_STEPS },
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
    baseline: (input) => medianFilter(input, 2),
  },
});
