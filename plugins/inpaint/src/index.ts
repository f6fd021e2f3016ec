import { z } from 'zod';
import {
  createImage,
  definePlugin,
  diffusionFill,
  MAX_STEPS,
  prepareMasked,
  readPluginPackage,
  type DegradedSample,
  type EvalSetting,
  type Image,
  type Mask,
  type PreparedInput,
  type Rng,
} from '@fluxir/sdk';

const packageJson = readPluginPackage(__dirname);

const params = z.strictObject({});
export type InpaintParams = z.infer<typeof params>;

export interface HoleOptions {
  /** Fraction of the image the holes should cover (reached approximately). */
  readonly coverage: number;
  /** Chance of adding one rectangular hole before the strokes. */
  readonly boxChance: number;
  /**
   * Brush radius in pixels; when absent, 1.5% to 4.5% of the shorter side (the benchmark's strokes).
   * Training gives it in pixels because it trains on small patches: strokes sized to a 96 px patch
   * would be 1 to 4 px wide, far thinner than the holes a user paints on a whole photo.
   */
  readonly radius?: (rng: Rng) => number;
  /** Chance of starting with object-shaped blobs (a removed person, sign or bird) before any strokes. */
  readonly objectChance?: number;
}

export const evalDescription =
  'free-form brush strokes (no boxes) covering about 12% of the image, seeded per photo; PSNR measured inside ' +
  'the holes, SSIM on the whole image';

/** The fixed benchmark degradation: seeded brush strokes covering about 12% of the image. */
export function evalDegrade(clean: Image, rng: Rng): DegradedSample {
  return punch(clean, holeMask(clean.width, clean.height, rng, { coverage: 0.12, boxChance: 0 }));
}

export const degradationDescription =
  'holes covering 3% to 25% of the patch: object-shaped blobs (star-shaped outlines of random radius and ' +
  'wobble, like a removed person, sign or bird) in 40% of the samples, a box in 25%, then free-form brush ' +
  'strokes with radius 1.5 to 24 px (log-uniform) until the coverage is reached';

/** Training holes: see `degradationDescription`. */
function degrade(clean: Image, rng: Rng): DegradedSample {
  const side = Math.min(clean.width, clean.height);
  const radius = (r: Rng) => Math.min(side / 5, r.logUniform(1.5, 24));
  const coverage = rng.uniform(0.03, 0.25);
  return punch(clean, holeMask(clean.width, clean.height, rng, { coverage, boxChance: 0.25, radius, objectChance: 0.4 }));
}

/** More evaluation settings: object-shaped holes and a box, as a user removes a thing from a photo. */
const evalSettings: EvalSetting<InpaintParams>[] = [
  {
    name: 'objects',
    description: 'object-shaped holes covering about 15% of the image, seeded per photo; PSNR inside the holes',
    params: {},
    degrade: (clean, rng) => punch(clean, holeMask(clean.width, clean.height, rng, { coverage: 0.15, boxChance: 0, objectChance: 1 })),
  },
  {
    name: 'box',
    description: 'one box of 10% to 35% of each side (no strokes), seeded per photo; PSNR inside the hole',
    params: {},
    degrade: (clean, rng) => punch(clean, holeMask(clean.width, clean.height, rng, { coverage: 0, boxChance: 1 })),
  },
];

/** Sets the masked pixels to 0 (their content is unknown to the task; `prepare` fills them). */
function punch(clean: Image, mask: Mask): DegradedSample {
  const input = createImage(clean.width, clean.height, 3, new Float32Array(clean.data));
  for (let i = 0; i < mask.data.length; i++) if (mask.data[i]) input.data.fill(0, i * 3, i * 3 + 3);
  return { input, mask };
}

/**
 * Free-form masks in the style of DeepFill v2: brush strokes made of thick segments that wander with
 * random turns, plus an optional box, added until the coverage is reached.
 */
export function holeMask(width: number, height: number, rng: Rng, options: HoleOptions): Mask {
  const mask = createImage(width, height, 1);
  const side = Math.min(width, height);
  const target = options.coverage * width * height;
  let covered = 0;
  if (rng.chance(options.objectChance ?? 0)) {
    for (let blob = 0; blob < 3 && covered < target * 0.6; blob++) covered += objectBlob(mask, rng, Math.sqrt((target - covered) / Math.PI));
  }
  if (rng.chance(options.boxChance)) {
    const bw = Math.max(2, Math.round(width * rng.uniform(0.1, 0.35)));
    const bh = Math.max(2, Math.round(height * rng.uniform(0.1, 0.35)));
    const x0 = rng.int(0, width - bw + 1);
    const y0 = rng.int(0, height - bh + 1);
    for (let y = y0; y < y0 + bh; y++) for (let x = x0; x < x0 + bw; x++) covered += mark(mask, x, y);
  }
  for (let stroke = 0; stroke < 40 && covered < target; stroke++) {
    const radius = Math.max(1, options.radius ? options.radius(rng) : side * rng.uniform(0.015, 0.045));
    let x = rng.uniform(0, width);
    let y = rng.uniform(0, height);
    let heading = rng.uniform(0, 2 * Math.PI);
    const vertices = rng.int(3, 9);
    for (let v = 0; v < vertices && covered < target; v++) {
      heading += rng.uniform(-1.2, 1.2);
      // Wide brushes make strokes at least twice as long as they are wide.
      const length = Math.max(side * rng.uniform(0.05, 0.2), options.radius ? 2 * radius : 0);
      const nx = Math.min(width - 1, Math.max(0, x + length * Math.cos(heading)));
      const ny = Math.min(height - 1, Math.max(0, y + length * Math.sin(heading)));
      covered += capsule(mask, x, y, nx, ny, radius);
      x = nx;
      y = ny;
    }
  }
  return mask;
}

/**
 * A star-shaped blob around a random centre: its outline's radius wobbles with the angle through a
 * few random harmonics, so it reads as an object's silhouette rather than a disk. Returns new pixels.
 */
function objectBlob(mask: Mask, rng: Rng, size: number): number {
  const radius = Math.max(2, size * rng.uniform(0.5, 1));
  const cx = rng.uniform(radius, Math.max(radius, mask.width - radius));
  const cy = rng.uniform(radius, Math.max(radius, mask.height - radius));
  const stretch = rng.uniform(0.6, 1.6);
  const harmonics = [2, 3, 5].map((k) => ({ k, amplitude: rng.uniform(0, 0.25), phase: rng.uniform(0, 2 * Math.PI) }));
  const reach = radius * 1.8 * Math.max(stretch, 1 / stretch);
  let added = 0;
  for (let y = Math.max(0, Math.floor(cy - reach)); y < Math.min(mask.height, Math.ceil(cy + reach)); y++) {
    for (let x = Math.max(0, Math.floor(cx - reach)); x < Math.min(mask.width, Math.ceil(cx + reach)); x++) {
      const dx = (x + 0.5 - cx) / stretch;
      const dy = (y + 0.5 - cy) * stretch;
      const angle = Math.atan2(dy, dx);
      let edge = 1;
      for (const h of harmonics) edge += h.amplitude * Math.sin(h.k * angle + h.phase);
      if (Math.hypot(dx, dy) <= radius * edge) added += mark(mask, x, y);
    }
  }
  return added;
}

function mark(mask: Mask, x: number, y: number): number {
  const i = y * mask.width + x;
  if (mask.data[i]) return 0;
  mask.data[i] = 1;
  return 1;
}

/** Marks the pixels within `radius` of the segment (ax, ay)-(bx, by); returns how many were new. */
function capsule(mask: Mask, ax: number, ay: number, bx: number, by: number, radius: number): number {
  const x0 = Math.max(0, Math.floor(Math.min(ax, bx) - radius));
  const x1 = Math.min(mask.width - 1, Math.ceil(Math.max(ax, bx) + radius));
  const y0 = Math.max(0, Math.floor(Math.min(ay, by) - radius));
  const y1 = Math.min(mask.height - 1, Math.ceil(Math.max(ay, by) + radius));
  const dx = bx - ax;
  const dy = by - ay;
  const lengthSq = dx * dx + dy * dy || 1;
  let added = 0;
  for (let y = y0; y <= y1; y++) {
    for (let x = x0; x <= x1; x++) {
      const t = Math.min(1, Math.max(0, ((x + 0.5 - ax) * dx + (y + 0.5 - ay) * dy) / lengthSq));
      const ex = x + 0.5 - (ax + t * dx);
      const ey = y + 0.5 - (ay + t * dy);
      if (ex * ex + ey * ey <= radius * radius) added += mark(mask, x, y);
    }
  }
  return added;
}

/** The condition is the input with its hole pre-filled by diffusion, so the network starts from something smooth. */
function prepare(input: Image, mask: Mask | undefined): PreparedInput {
  return prepareMasked('inpaint', input, mask, diffusionFill);
}

export default definePlugin<InpaintParams>({
  packageJson,
  id: 'inpaint',
  title: 'Inpaint',
  help:
    'Paint (or select, in Photopea) what should disappear: a blemish, a wire, a small object. Cover it completely, with a small margin.',
  prompt: 'fill the masked region with plausible detail and colour',
  // One step: the smallest K within 0.1 dB of the best of 1, 2 and 4 uniform steps on the validation photos (docs/training.md, ablation).
  stepBudget: { default: 1, min: 1, max: MAX_STEPS },
  params,
  requiresMask: true,
  prepare: (input, _params, mask) => prepare(input, mask),
  training: {
    trainingParams: () => ({}),
    evalParams: {},
    evalDegrade: (clean, rng) => evalDegrade(clean, rng),
    evalDescription,
    degrade: (clean, rng) => degrade(clean, rng),
    degradationDescription,
    evalSettings,
    baselines: { 'diffusion fill': (input, _params, mask) => prepare(input, mask).y },
    baseline: (input, _params, mask) => prepare(input, mask).y,
  },
});
