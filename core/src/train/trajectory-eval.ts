import * as tf from '@tensorflow/tfjs-core';
import type { TaskSpec } from '../common/task';
import type { VelocityNetwork } from '../model/velocity-network';
import { disposeTrajectory, runTrajectory } from '../sampler/trajectory';
import { toBatchTensors, type TrainingSample } from './training-batch';
import { tensorPsnr } from './validation';

export interface ScheduleScore {
  /** Mean PSNR (dB) of y against x0. */
  readonly input: number;
  /** Mean PSNR (dB) of the trajectory's final state against x0. */
  readonly output: number;
  /** Mean milliseconds per sample for the whole trajectory. */
  readonly ms: number;
  readonly samples: number;
}

/** How a network is run on one task: the schedule and the d input per step. */
export type SchedulePlan = (taskId: string) => { schedule: readonly number[]; stepSizes: readonly number[] };

/**
 * Per task, the mean PSNR of y and of the deterministic trajectory (eps = 0) on held-out samples,
 * one sample at a time (as the engine runs), with the time it took.
 */
export function scoreTrajectories(
  network: VelocityNetwork,
  samples: readonly TrainingSample[],
  tasks: readonly TaskSpec[],
  bags: readonly Float32Array[],
  plan: SchedulePlan,
): Record<string, ScheduleScore> {
  const sums: Record<string, { input: number; output: number; ms: number; n: number }> = {};
  for (const sample of samples) {
    const id = tasks[sample.task].id;
    const { schedule, stepSizes } = plan(id);
    const batch = toBatchTensors([sample], bags);
    const started = performance.now();
    const trajectory = runTrajectory(network, batch, schedule, { stepSizes });
    trajectory.final.dataSync();
    const ms = performance.now() - started;
    const entry = (sums[id] ??= { input: 0, output: 0, ms: 0, n: 0 });
    entry.input += tensorPsnr(batch.y, batch.x0);
    entry.output += tensorPsnr(trajectory.final, batch.x0);
    entry.ms += ms;
    entry.n++;
    disposeTrajectory(trajectory);
    Object.values(batch).forEach((t: tf.Tensor) => t.dispose());
  }
  return Object.fromEntries(
    Object.entries(sums).map(([id, s]) => [id, { input: s.input / s.n, output: s.output / s.n, ms: s.ms / s.n, samples: s.n }]),
  );
}

/** The mean over tasks of one field. */
export function meanOverTasks(scores: Record<string, ScheduleScore>, field: 'input' | 'output' | 'ms'): number {
  const values = Object.values(scores).map((s) => s[field]);
  return values.reduce((a, b) => a + b, 0) / Math.max(1, values.length);
}
