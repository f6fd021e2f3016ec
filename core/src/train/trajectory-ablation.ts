import type { TaskSpec } from '../common/task';
import type { VelocityNetwork } from '../model/velocity-network';
import type { WeightsCard } from '../model/weights-card';
import { plannedSchedule, TEACHER_STEPS } from '../sampler/step-selection';
import { uniformSchedule } from '../sampler/schedule';
import { stepSizes } from '../sampler/trajectory';
import { scoreTrajectories, type SchedulePlan } from './trajectory-eval';
import { promptBags, type TrainingSample } from './training-batch';

/** A network with its card (the card's schedules and stage decide how stage 3 is run). */
export interface AblationNetwork {
  readonly network: VelocityNetwork;
  readonly card: Pick<WeightsCard, 'schedules' | 'stage'>;
}

export interface AblationNetworks {
  readonly stage1: AblationNetwork;
  readonly stage2: AblationNetwork;
  readonly stage3: AblationNetwork;
}

export type AblationVariant = 'stage1-uniform' | 'stage2-uniform' | 'stage3-distilled';

export interface AblationRow {
  readonly variant: AblationVariant;
  readonly steps: number;
  /** The schedule used (for stage 3, the task's distilled one, or uniform if the card has none). */
  readonly schedule: number[];
  /** Mean PSNR (dB) of the output and of the degraded input y against the ground truth. */
  readonly psnr: number;
  readonly inputPsnr: number;
  /** Mean milliseconds per sample for the whole trajectory. */
  readonly ms: number;
  readonly samples: number;
}

export interface AblationOptions {
  /** The teacher's fine grid (default 16), run for stages 1 and 2 besides the budgets. */
  readonly teacherSteps?: number;
  /** Budgets of the distilled stage 3 (default 1, 2, 4). */
  readonly distilledBudgets?: readonly number[];
}

/**
 * The ablation of docs/method.md §4 on held-out samples, per task: (a) stage 1 with uniform
 * Euler at N and at each budget K, (b) stage 2 likewise, (c) stage 3 on its distilled schedules with
 * d = t_k - t_{k+1} at the distilled budgets. Deterministic trajectories from y (eps = 0), one sample
 * at a time; PSNR by tensorPsnr (images in [-1, 1] clipped, on a 0..255 scale, no border crop).
 */
export function measureTrajectories(
  networks: AblationNetworks,
  tasks: readonly TaskSpec[],
  samples: readonly TrainingSample[],
  budgets: readonly number[],
  options: AblationOptions = {},
): Record<string, AblationRow[]> {
  const n = options.teacherSteps ?? TEACHER_STEPS;
  const distilledBudgets = options.distilledBudgets ?? [1, 2, 4];
  const uniformBudgets = [...new Set([n, ...budgets])].sort((a, b) => a - b);
  const rows: Record<string, AblationRow[]> = Object.fromEntries(tasks.map((t) => [t.id, []]));
  const add = (variant: AblationVariant, steps: number, target: AblationNetwork, plan: SchedulePlan) => {
    const bags = promptBags(tasks, target.network.config.promptBuckets);
    const scores = scoreTrajectories(target.network, samples, tasks, bags, plan);
    for (const [id, s] of Object.entries(scores)) {
      rows[id].push({ variant, steps, schedule: [...plan(id).schedule], psnr: s.output, inputPsnr: s.input, ms: s.ms, samples: s.samples });
    }
  };
  for (const [variant, target] of [['stage1-uniform', networks.stage1], ['stage2-uniform', networks.stage2]] as const) {
    for (const k of uniformBudgets) {
      const schedule = uniformSchedule(k);
      add(variant, k, target, () => ({ schedule, stepSizes: stepSizes(schedule, false) }));
    }
  }
  for (const k of distilledBudgets) add('stage3-distilled', k, networks.stage3, (id) => plannedSchedule(networks.stage3.card, id, k));
  return rows;
}

/** Per variant and step count, the mean over tasks (each task weighted equally). */
export function ablationMeans(rows: Record<string, AblationRow[]>): Array<Omit<AblationRow, 'schedule'>> {
  const groups = new Map<string, AblationRow[]>();
  for (const list of Object.values(rows)) for (const r of list) groups.set(`${r.variant}@${r.steps}`, [...(groups.get(`${r.variant}@${r.steps}`) ?? []), r]);
  return [...groups.values()].map((g) => {
    const mean = (f: (r: AblationRow) => number) => g.reduce((s, r) => s + f(r), 0) / g.length;
    return { variant: g[0].variant, steps: g[0].steps, psnr: mean((r) => r.psnr), inputPsnr: mean((r) => r.inputPsnr), ms: mean((r) => r.ms), samples: g.reduce((s, r) => s + r.samples, 0) };
  });
}
