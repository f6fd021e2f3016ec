import { Rng, psnr, ssim, toChannels, type Image, type Mask } from '@fluxir/core';
import type { PluginDefinition } from '@fluxir/sdk';
import { trainingOf } from '../plugins/plugin-training';
import type { EvalPhoto } from './eval-photos';
import { evalSeed } from './evaluate-task';
import { planSetting, type Restorer } from './restorer';

/** One set of weights in the ablation, e.g. "stage 1" with uniform Euler steps. */
export interface AblationVariant {
  readonly name: string;
  /** Step budgets to run it at. */
  readonly steps: readonly number[];
  readonly restorer: Restorer;
}

export interface AblationPoint {
  readonly variant: string;
  readonly task: string;
  readonly steps: number;
  readonly schedule: readonly number[];
  /** Means over the photos. */
  readonly psnr: number;
  readonly ssim: number;
  /** Mean engine milliseconds per photo. */
  readonly ms: number;
}

interface Case {
  readonly clean: Image;
  readonly input: Image;
  readonly mask?: Mask;
}

/**
 * PSNR, SSIM and engine time of every variant at each of its step budgets, per task, on the same
 * degraded photos (the plugin's fixed benchmark degradation, seeded per photo as in `fluxir eval`).
 */
export async function measureStepAblation(
  plugins: readonly PluginDefinition[],
  photos: readonly EvalPhoto[],
  variants: readonly AblationVariant[],
  onPoint?: (point: AblationPoint) => void,
): Promise<AblationPoint[]> {
  const points: AblationPoint[] = [];
  for (const plugin of plugins) {
    const cases: Case[] = photos.map((photo, index) => {
      const clean = toChannels(photo.image, 3);
      return { clean, ...trainingOf(plugin).evalDegrade(clean, new Rng(evalSeed(index))) };
    });
    for (const variant of variants) {
      for (const steps of variant.steps) {
        const point = await measurePoint(plugin, cases, variant, steps);
        points.push(point);
        onPoint?.(point);
      }
    }
  }
  return points;
}

async function measurePoint(plugin: PluginDefinition, cases: readonly Case[], variant: AblationVariant, steps: number): Promise<AblationPoint> {
  const params = trainingOf(plugin).evalParams;
  const border = typeof params.scale === 'number' ? params.scale : 0;
  let sumPsnr = 0;
  let sumSsim = 0;
  let sumMs = 0;
  let schedule: readonly number[] = [];
  const plan = await planSetting(variant.restorer, plugin.id, params, steps);
  for (const c of cases) {
    const out = await variant.restorer.service.restore(plan, { image: c.input, mask: c.mask });
    const rgb = toChannels(out.image, 3);
    sumPsnr += psnr(rgb, c.clean, { border, mask: c.mask });
    sumSsim += ssim(rgb, c.clean, { border });
    sumMs += out.ms;
    schedule = out.schedule;
  }
  const n = cases.length;
  return { variant: variant.name, task: plugin.id, steps, schedule, psnr: sumPsnr / n, ssim: sumSsim / n, ms: sumMs / n };
}

/** Per variant and step budget, the mean over tasks (each task weighted equally). */
export function meanOverTasks(points: readonly AblationPoint[]): AblationPoint[] {
  const groups = new Map<string, AblationPoint[]>();
  for (const p of points) {
    const key = `${p.variant}\u0000${p.steps}`;
    groups.set(key, [...(groups.get(key) ?? []), p]);
  }
  return [...groups.values()].map((g) => {
    const mean = (f: (p: AblationPoint) => number) => g.reduce((s, p) => s + f(p), 0) / g.length;
    return { variant: g[0].variant, task: 'mean', steps: g[0].steps, schedule: [], psnr: mean((p) => p.psnr), ssim: mean((p) => p.ssim), ms: mean((p) => p.ms) };
  });
}
