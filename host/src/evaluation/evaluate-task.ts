import { psnr, Rng, ssim, toChannels, type Image, type Mask } from '@fluxir/core';
import type { PluginDefinition } from '@fluxir/sdk';
import type { RestoreService } from '../common/restore-service-protocol';
import type { EvalPhoto } from './eval-photos';

export interface Score {
  readonly psnr: number;
  readonly ssim: number;
}

export interface PhotoResult {
  readonly photo: string;
  readonly input: Score;
  readonly baseline: Score;
  readonly fluxir: Score;
  /** Engine milliseconds for this photo. */
  readonly ms: number;
  readonly megapixels: number;
}

export interface TaskResult {
  readonly task: string;
  readonly pluginVersion: string;
  readonly degradation: string;
  readonly steps: number;
  readonly photos: readonly PhotoResult[];
  readonly mean: { readonly input: Score; readonly baseline: Score; readonly fluxir: Score };
  /** Engine seconds per megapixel per sampling step. */
  readonly secondsPerMegapixelStep: number;
}

/** Seed of the degradation of the i-th photo: fixed, so every run measures the same inputs. */
export const evalSeed = (index: number) => 1000 + index;

/**
 * Degrades each photo with the plugin's fixed benchmark degradation and scores the degraded input
 * (the condition y at the output size), the classical baseline and fluxir against the clean photo.
 * Super-resolution crops a border of `scale` pixels; inpainting is scored inside the hole only.
 */
export async function evaluateTask(
  plugin: PluginDefinition,
  photos: readonly EvalPhoto[],
  service: RestoreService,
  steps?: number,
): Promise<TaskResult> {
  const plan = service.plan({ task: plugin.id, params: plugin.evalParams, steps });
  const rows: PhotoResult[] = [];
  for (const [index, photo] of photos.entries()) {
    const clean = toChannels(photo.image, 3);
    const { input, mask } = plugin.evalDegrade(clean, new Rng(evalSeed(index)));
    // "Input" is what the user brought, at the output size: the image itself, or for other sizes and
    // masked tasks the plugin's y (bicubic upsampling, diffusion fill).
    const sameSize = input.width === clean.width && input.height === clean.height && !mask;
    const brought = sameSize ? toChannels(input, 3) : plugin.prepare(input, plan.params, mask).y;
    const baseline = plugin.baseline(input, plan.params, mask);
    const restored = await service.restore({ task: plugin.id, params: plan.params, steps: plan.steps, image: input, mask, name: photo.name });
    const score = (image: Image) => measure(image, clean, plan.params, mask);
    rows.push({
      photo: photo.name,
      input: score(brought),
      baseline: score(baseline),
      fluxir: score(restored.image),
      ms: restored.ms,
      megapixels: (clean.width * clean.height) / 1e6,
    });
  }
  const mean = (pick: (r: PhotoResult) => Score): Score => ({
    psnr: average(rows.map((r) => pick(r).psnr)),
    ssim: average(rows.map((r) => pick(r).ssim)),
  });
  const totalMs = rows.reduce((s, r) => s + r.ms, 0);
  const totalMp = rows.reduce((s, r) => s + r.megapixels, 0);
  return {
    task: plugin.id,
    pluginVersion: plugin.version,
    degradation: plugin.evalDescription,
    steps: plan.steps,
    photos: rows,
    mean: { input: mean((r) => r.input), baseline: mean((r) => r.baseline), fluxir: mean((r) => r.fluxir) },
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
