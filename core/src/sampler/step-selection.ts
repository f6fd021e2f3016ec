import * as tf from '@tensorflow/tfjs-core';
import type { WeightsCard } from '../model/weights-card';
import { isValidSchedule, scheduleEndingAt, uniformSchedule } from './schedule';
import { stepSizes } from './trajectory';

/**
 * Cost-aware step selection (docs/method.md §4). On a fine teacher grid tau_i = 1 - i/N with states
 * X_0..X_N and slopes V_i = v(X_i, tau_i), the cost of jumping from i to j in one Euler step is
 *
 *   c(i, j) = mean over values of ((X_i - X_j) / (tau_i - tau_j) - V_i)^2,
 *
 * and a budget of K steps takes the boundaries 0 = i_0 < ... < i_K = N minimising sum_k c(i_k, i_{k+1}).
 */

/** The card stage whose network is conditioned on the step size d. */
export const DISTILLED_STAGE = 'distill';
/** The step budgets stage 3 selects and distils schedules for. */
export const DISTILLED_BUDGETS: readonly number[] = [1, 2, 3, 4, 6, 8];
/** The fine teacher grid. */
export const TEACHER_STEPS = 16;

/** tau_i = 1 - i/N, i = 0..N. */
export function teacherGrid(n: number): number[] {
  return Array.from({ length: n + 1 }, (_, i) => 1 - i / n);
}

/**
 * Per sample of the batch, the (N+1)x(N+1) cost matrix: c[i][j] for i < j, Infinity elsewhere.
 * `states` are X_0..X_N, `velocities` V_0..V_{N-1}, `taus` tau_0..tau_N (decreasing).
 */
export function costMatrices(states: readonly tf.Tensor4D[], velocities: readonly tf.Tensor4D[], taus: readonly number[]): number[][][] {
  const n = taus.length - 1;
  if (states.length !== n + 1 || velocities.length < n) throw new RangeError(`need ${n + 1} states and ${n} velocities`);
  const batch = states[0].shape[0];
  const out = Array.from({ length: batch }, () => Array.from({ length: n + 1 }, () => new Array<number>(n + 1).fill(Infinity)));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j <= n; j++) {
      const costs = tf.tidy(() => {
        const chord = tf.div(tf.sub(states[i], states[j]), taus[i] - taus[j]);
        const sq = tf.square(tf.sub(chord, velocities[i]));
        return tf.mean(tf.reshape(sq, [batch, -1]), 1).dataSync();
      });
      for (let b = 0; b < batch; b++) out[b][i][j] = costs[b];
    }
  }
  return out;
}

/** The element-wise mean of cost matrices of the same size. */
export function meanCostMatrix(matrices: readonly number[][][]): number[][] {
  if (matrices.length === 0) throw new RangeError('no cost matrices to average');
  const size = matrices[0].length;
  return Array.from({ length: size }, (_, i) =>
    Array.from({ length: size }, (_, j) => matrices.reduce((s, m) => s + m[i][j], 0) / matrices.length),
  );
}

export interface StepSelection {
  /** 0 = i_0 < ... < i_K = N. */
  readonly indices: number[];
  readonly cost: number;
}

/** The dynamic programme: the K boundaries minimising the summed cost, in O(K N^2). */
export function selectSteps(cost: readonly (readonly number[])[], budget: number): StepSelection {
  const n = cost.length - 1;
  if (!Number.isInteger(budget) || budget < 1 || budget > n) throw new RangeError(`budget must be an integer from 1 to ${n}, got ${budget}`);
  // best[k][j]: the least cost of reaching j from 0 in exactly k jumps; from[k][j]: the previous boundary.
  const best = Array.from({ length: budget + 1 }, () => new Array<number>(n + 1).fill(Infinity));
  const from = Array.from({ length: budget + 1 }, () => new Array<number>(n + 1).fill(-1));
  best[0][0] = 0;
  for (let k = 1; k <= budget; k++) {
    for (let j = k; j <= n; j++) {
      for (let i = k - 1; i < j; i++) {
        const c = best[k - 1][i] + cost[i][j];
        if (c < best[k][j]) {
          best[k][j] = c;
          from[k][j] = i;
        }
      }
    }
  }
  const indices = [n];
  for (let k = budget, j = n; k > 0; k--) {
    j = from[k][j];
    indices.unshift(j);
  }
  return { indices, cost: best[budget][n] };
}

/** Boundaries on the teacher grid as sampling times: t = 1 - i/N (exactly 1 and 0 at the ends). */
export function scheduleFromIndices(indices: readonly number[], n: number): number[] {
  return indices.map((i) => (i === 0 ? 1 : i === n ? 0 : 1 - i / n));
}

/** Per budget (as a string key, like card.schedules[task]), the schedule the DP selects. */
export function selectSchedules(cost: readonly (readonly number[])[], budgets: readonly number[] = DISTILLED_BUDGETS): Record<string, number[]> {
  const n = cost.length - 1;
  return Object.fromEntries(budgets.filter((k) => k <= n).map((k) => [String(k), scheduleFromIndices(selectSteps(cost, k).indices, n)]));
}

export interface PlannedSchedule {
  readonly schedule: number[];
  /** The d input per step. */
  readonly stepSizes: number[];
  /** Whether the schedule came from the card (a distilled schedule) rather than uniform steps. */
  readonly distilled: boolean;
}

/**
 * What the engine runs for a task and a step budget: the card's schedule for that budget when it has
 * one, else K uniform steps (so K = 16 is the teacher). The network gets d = t_k - t_{k+1} on a
 * card schedule of a step-size-conditioned network (card.stage 'distill'), and d = 0 otherwise.
 */
export function plannedSchedule(card: Pick<WeightsCard, 'schedules' | 'stage'>, task: string, steps: number): PlannedSchedule {
  const fromCard = card.schedules[task]?.[String(steps)];
  const distilled = !!fromCard && isValidSchedule(fromCard) && fromCard.length === steps + 1;
  const schedule = distilled ? [...fromCard] : uniformSchedule(steps);
  return { schedule, stepSizes: stepSizes(schedule, distilled && card.stage === DISTILLED_STAGE), distilled };
}

/**
 * The plan with its last step ending at `end` instead of t = 0 (`scheduleEndingAt`). Step sizes d are
 * unchanged: the network is asked the same question, and only its answer is followed farther.
 */
export function endingAt(planned: PlannedSchedule, end: number): PlannedSchedule {
  return end === 0 ? planned : { ...planned, schedule: scheduleEndingAt(planned.schedule, end) };
}
