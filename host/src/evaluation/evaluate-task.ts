import { cloneImage, psnr, Rng, ssim, toChannels, type Image, type Mask } from '@fluxir/core';
import type { EvalSetting, PluginDefinition } from '@fluxir/sdk';
import { trainingOf } from '../plugins/plugin-training';
import type { EvalPhoto } from './eval-photos';
import { planSetting, type Restorer } from './restorer';

export interface Score {
  readonly psnr: number;
  readonly ssim: number;
}

export interface PhotoResult {
  readonly photo: string;
  /** What the user brought, at the output size (for super-resolution the bicubic up-sampling, for inpainting the diffusion fill). */
  readonly input: Score;
  /** Where fluxir's path starts: the plugin's classical estimate, or its y. */
  readonly start: Score;
  /** Every classical method of the plugin, by name. */
  readonly classical: Readonly<Record<string, Score>>;
  /** The setting's best classical method (best on the mean over the photos), on this photo. */
  readonly baseline: Score;
  readonly fluxir: Score;
  /** Engine milliseconds for this photo. */
  readonly ms: number;
  readonly megapixels: number;
}

export interface TaskResult {
  readonly task: string;
  readonly pluginVersion: string;
  /** The evaluation setting's name and what it does. */
  readonly setting: string;
  readonly degradation: string;
  readonly steps: number;
  /** The classical method with the best mean PSNR in this setting: the baseline fluxir is compared with. */
  readonly baselineMethod: string;
  readonly photos: readonly PhotoResult[];
  readonly mean: { readonly input: Score; readonly start: Score; readonly baseline: Score; readonly fluxir: Score };
  /** Engine seconds per megapixel per sampling step. */
  readonly secondsPerMegapixelStep: number;
}

/** The images of one photo: the clean one, what the user brought, fluxir's start and fluxir's output. */
export interface PhotoImages {
  readonly clean: Image;
  readonly input: Image;
  readonly start: Image;
  readonly fluxir: Image;
}

export interface EvaluateOptions {
  /** false: skip the classical methods (the baseline is then the start). */
  readonly classical?: boolean;
  /** Called with each photo's images once it is restored, e.g. to write them for a look. */
  readonly onImages?: (photo: string, images: PhotoImages) => Promise<void>;
}

/** Seed of the degradation of the i-th photo: fixed, so every run measures the same inputs. */
export const evalSeed = (index: number) => 1000 + index;

/** Every setting of a plugin, standard first; `names` picks some (`standard,dense`). E_PLUGIN without a training section. */
export function evalSettings(plugin: PluginDefinition, names?: readonly string[]): readonly EvalSetting[] {
  const { evalSettings: all } = trainingOf(plugin);
  return names ? all.filter((s) => names.includes(s.name)) : all;
}

/**
 * Degrades each photo with one of the plugin's evaluation settings and scores what the user brought,
 * fluxir's start, every classical method and fluxir against the clean photo. The baseline is the
 * classical method with the best mean in this setting, chosen with hindsight, so fluxir is compared
 * with the strongest classical answer. Super-resolution crops a border of `scale` pixels; inpainting
 * is scored inside the hole only.
 */
export async function evaluateTask(
  plugin: PluginDefinition,
  photos: readonly EvalPhoto[],
  restorer: Restorer,
  steps?: number,
  setting: EvalSetting = trainingOf(plugin).evalSettings[0],
  options: EvaluateOptions = {},
): Promise<TaskResult> {
  // Without the classical methods (a test that only compares fluxir with its start), the baseline is the start.
  const methods = options.classical === false ? {} : trainingOf(plugin).baselines;
  const plan = await planSetting(restorer, plugin.id, setting.params, steps);
  const rows: Omit<PhotoResult, 'baseline'>[] = [];
  for (const [index, photo] of photos.entries()) {
    const clean = toChannels(photo.image, 3);
    const { input, mask } = setting.degrade(clean, new Rng(evalSeed(index)));
    // prepare owns what it is handed; the degraded input and mask are still needed here.
    const prepared = plugin.prepare(cloneImage(input), plan.params, mask && cloneImage(mask));
    const sameSize = input.width === clean.width && input.height === clean.height && !mask;
    const brought = sameSize ? toChannels(input, 3) : prepared.y;
    const score = (image: Image) => measure(image, clean, plan.params, mask);
    const startImage = prepared.start ?? prepared.y;
    const start = score(startImage);
    const entries = Object.entries(methods).map(([name, method]) => [name, score(method(input, plan.params, mask))] as const);
    const classical: Record<string, Score> = entries.length ? Object.fromEntries(entries) : { start };
    const restored = await restorer.service.restore(plan, { image: input, mask, name: photo.name });
    await options.onImages?.(photo.name, { clean, input: brought, start: startImage, fluxir: restored.image });
    rows.push({
      photo: photo.name,
      input: score(brought),
      start,
      classical,
      fluxir: score(restored.image),
      ms: restored.ms,
      megapixels: (clean.width * clean.height) / 1e6,
    });
  }
  const names = Object.keys(methods).length ? Object.keys(methods) : ['start'];
  const best = names.reduce((a, b) => (average(rows.map((r) => r.classical[b].psnr)) > average(rows.map((r) => r.classical[a].psnr)) ? b : a));
  const scored: PhotoResult[] = rows.map((r) => ({ ...r, baseline: r.classical[best] }));
  const mean = (pick: (r: PhotoResult) => Score): Score => ({
    psnr: average(scored.map((r) => pick(r).psnr)),
    ssim: average(scored.map((r) => pick(r).ssim)),
  });
  const totalMs = rows.reduce((s, r) => s + r.ms, 0);
  const totalMp = rows.reduce((s, r) => s + r.megapixels, 0);
  return {
    task: plugin.id,
    pluginVersion: plugin.version,
    setting: setting.name,
    degradation: setting.description,
    steps: plan.steps,
    baselineMethod: best,
    photos: scored,
    mean: { input: mean((r) => r.input), start: mean((r) => r.start), baseline: mean((r) => r.baseline), fluxir: mean((r) => r.fluxir) },
    secondsPerMegapixelStep: totalMs / 1000 / Math.max(totalMp, 1e-9) / plan.steps,
  };
}

function measure(image: Image, clean: Image, params: Record<string, unknown>, mask?: Mask): Score {
  const border = typeof params.scale === 'number' ? params.scale : 0;
  const rgb = toChannels(image, 3);
  return { psnr: psnr(rgb, clean, { border, mask }), ssim: ssim(rgb, clean, { border }) };
}

function average(values: readonly number[]): number {
  const finite = values.filter(Number.isFinite);
  return finite.length ? finite.reduce((a, b) => a + b, 0) / finite.length : NaN;
}
