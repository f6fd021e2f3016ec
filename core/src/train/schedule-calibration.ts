import type { TaskSpec } from '../common/task';
import type { VelocityNetwork } from '../model/velocity-network';
import {
  costMatrices,
  DISTILLED_BUDGETS,
  meanCostMatrix,
  scheduleFromIndices,
  selectSteps,
  teacherGrid,
  TEACHER_STEPS,
} from '../sampler/step-selection';
import { disposeTrajectory, runTrajectory } from '../sampler/trajectory';
import { toBatchTensors, type TrainingSample } from './training-batch';

export interface TaskCalibration {
  /** The (N+1)x(N+1) cost matrix averaged over the task's calibration samples (Infinity below the diagonal). */
  readonly cost: number[][];
  /** Per budget K (string key): the selected schedule (times from 1 to 0). */
  readonly schedules: Record<string, number[]>;
  /** Per budget: the boundaries on the teacher grid, the summed cost, and that of uniform steps when N % K = 0. */
  readonly selections: Record<string, { indices: number[]; cost: number; uniformCost?: number }>;
  readonly samples: number;
}

export interface CalibrationOptions {
  readonly teacherSteps?: number;
  readonly budgets?: readonly number[];
}

/**
 * Stage 3, part 1 (docs/method.md §4): per task, the teacher's N-step Euler trajectories from y (eps = 0,
 * d = 0) on the calibration samples, the mean cost matrix c(i, j), and the DP's schedule per budget.
 */
export function calibrateSchedules(
  teacher: VelocityNetwork,
  tasks: readonly TaskSpec[],
  samples: readonly TrainingSample[],
  bags: readonly Float32Array[],
  options: CalibrationOptions = {},
): Record<string, TaskCalibration> {
  const n = options.teacherSteps ?? TEACHER_STEPS;
  const budgets = (options.budgets ?? DISTILLED_BUDGETS).filter((k) => k <= n);
  const taus = teacherGrid(n);
  const out: Record<string, TaskCalibration> = {};
  tasks.forEach((task, index) => {
    const mine = samples.filter((s) => s.task === index);
    if (mine.length === 0) return;
    const matrices: number[][][] = [];
    for (const sample of mine) {
      const batch = toBatchTensors([sample], bags);
      const trajectory = runTrajectory(teacher, batch, taus, { keepStates: true });
      matrices.push(...costMatrices(trajectory.states!, trajectory.velocities!, taus));
      disposeTrajectory(trajectory);
      Object.values(batch).forEach((t) => t.dispose());
    }
    const cost = meanCostMatrix(matrices);
    const selections: TaskCalibration['selections'] = {};
    const schedules: Record<string, number[]> = {};
    for (const k of budgets) {
      const selected = selectSteps(cost, k);
      const uniform = n % k === 0 ? Array.from({ length: k + 1 }, (_, m) => (m * n) / k) : undefined;
      selections[String(k)] = {
        ...selected,
        uniformCost: uniform ? uniform.slice(1).reduce((s, j, m) => s + cost[uniform[m]][j], 0) : undefined,
      };
      schedules[String(k)] = scheduleFromIndices(selected.indices, n);
    }
    out[task.id] = { cost, schedules, selections, samples: mine.length };
  });
  return out;
}

/** Times on the teacher grid back to grid indices (t = 1 - i/N). */
export function scheduleIndices(schedule: readonly number[], n: number): number[] {
  return schedule.map((t) => Math.round((1 - t) * n));
}
