import * as tf from '@tensorflow/tfjs-core';
import type { NetworkInputs } from '../model/velocity-network';
import { eulerStep } from './euler-step';

/** Anything that maps the network inputs to a velocity (the VelocityNetwork, or a toy in tests). */
export interface VelocityModel {
  apply(inputs: NetworkInputs): tf.Tensor4D;
}

/** The condition of a batch (images NHWC in [-1, 1]); training batches satisfy it. */
export interface TrajectoryCondition {
  readonly y: tf.Tensor4D;
  /** Where the path starts (y, or the task's classical estimate; see PreparedInput.start). */
  readonly start: tf.Tensor4D;
  readonly mask: tf.Tensor4D;
  readonly prompt: tf.Tensor2D;
}

/**
 * The step-size input `d` per step of a schedule. A network conditioned on the step size (stage 3,
 * card.stage 'distill') gets d = t_k - t_{k+1} on the schedules it was distilled for; the teacher
 * (stages 1 and 2, and any schedule not distilled, e.g. uniform N = 16) gets d = 0.
 */
export function stepSizes(schedule: readonly number[], conditioned: boolean): number[] {
  return schedule.slice(1).map((tNext, k) => (conditioned ? schedule[k] - tNext : 0));
}

/** The velocity at state x and time t for a whole batch (same t and d for every sample). */
export function velocityAt(model: VelocityModel, cond: TrajectoryCondition, x: tf.Tensor4D, t: number, d = 0): tf.Tensor4D {
  return tf.tidy(() => {
    const n = x.shape[0];
    return model.apply({
      xt: x,
      y: cond.y,
      mask: cond.mask,
      t: tf.fill([n], t) as tf.Tensor1D,
      d: tf.fill([n], d) as tf.Tensor1D,
      prompt: cond.prompt,
    });
  });
}

export interface TrajectoryOptions {
  /** d per step (default: zeros, the teacher). */
  readonly stepSizes?: readonly number[];
  /** Start state (default: cond.start, i.e. eps = 0). */
  readonly start?: tf.Tensor4D;
  /** Keep every state X_0..X_K and the velocity at every state X_0..X_{K-1}. */
  readonly keepStates?: boolean;
}

export interface Trajectory {
  readonly final: tf.Tensor4D;
  /** X_0..X_K when keepStates (X_K is `final`, not a copy). */
  readonly states?: tf.Tensor4D[];
  /** v(X_k, t_k) for k < K when keepStates. */
  readonly velocities?: tf.Tensor4D[];
}

/** Euler steps over a schedule 1 = t_0 > ... > t_K = 0, without gradients kept. The caller disposes the result. */
export function runTrajectory(
  model: VelocityModel,
  cond: TrajectoryCondition,
  schedule: readonly number[],
  options: TrajectoryOptions = {},
): Trajectory {
  const d = options.stepSizes ?? stepSizes(schedule, false);
  if (d.length !== schedule.length - 1) throw new RangeError(`${d.length} step sizes for ${schedule.length - 1} steps`);
  let x = tf.clone(options.start ?? cond.start);
  const states: tf.Tensor4D[] = [];
  const velocities: tf.Tensor4D[] = [];
  for (let k = 0; k + 1 < schedule.length; k++) {
    const v = velocityAt(model, cond, x, schedule[k], d[k]);
    const next = eulerStep(x, v, schedule[k], schedule[k + 1]);
    if (options.keepStates) {
      states.push(x);
      velocities.push(v);
    } else {
      x.dispose();
      v.dispose();
    }
    x = next;
  }
  if (options.keepStates) {
    states.push(x);
    return { final: x, states, velocities };
  }
  return { final: x };
}

/** Disposes every tensor of a trajectory. */
export function disposeTrajectory(trajectory: Trajectory): void {
  if (trajectory.states) trajectory.states.forEach((s) => s.dispose());
  else trajectory.final.dispose();
  trajectory.velocities?.forEach((v) => v.dispose());
}
