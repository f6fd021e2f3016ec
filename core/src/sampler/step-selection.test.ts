import * as tf from '@tensorflow/tfjs-core';
// The cpu backend for these tests' tensors.
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '../common/rng';
import type { NetworkInputs } from '../model/velocity-network';
import {
  costMatrices,
  endingAt,
  meanCostMatrix,
  plannedSchedule,
  scheduleFromIndices,
  selectSchedules,
  selectSteps,
  teacherGrid,
} from './step-selection';
import { scheduleEndingAt, uniformSchedule } from './schedule';
import { runTrajectory } from './trajectory';

function randomCost(n: number, rng: Rng): number[][] {
  return Array.from({ length: n + 1 }, (_, i) => Array.from({ length: n + 1 }, (_, j) => (i < j ? rng.next() * (j - i) ** rng.uniform(0.5, 2) : Infinity)));
}

/** Every choice of K - 1 interior boundaries out of 1..N-1. */
function bruteForce(cost: number[][], k: number): number {
  const n = cost.length - 1;
  let best = Infinity;
  const walk = (chosen: number[], next: number) => {
    if (chosen.length === k - 1) {
      const idx = [0, ...chosen, n];
      best = Math.min(best, idx.slice(1).reduce((s, j, m) => s + cost[idx[m]][j], 0));
      return;
    }
    for (let i = next; i < n; i++) walk([...chosen, i], i + 1);
  };
  walk([], 1);
  return best;
}

const cond = (x0: tf.Tensor4D, y: tf.Tensor4D) => ({ y, start: y, mask: tf.zeros([x0.shape[0], x0.shape[1], x0.shape[2], 1]) as tf.Tensor4D, prompt: tf.zeros([x0.shape[0], 4]) as tf.Tensor2D });

describe('step selection', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('finds the same least cost as brute force on small random matrices', () => {
    const rng = new Rng(3);
    for (let trial = 0; trial < 40; trial++) {
      const n = rng.int(1, 9);
      const cost = randomCost(n, rng);
      for (let k = 1; k <= n; k++) {
        const { indices, cost: c } = selectSteps(cost, k);
        expect(c).toBeCloseTo(bruteForce(cost, k), 10);
        expect(indices[0]).toBe(0);
        expect(indices[k]).toBe(n);
        expect(indices).toHaveLength(k + 1);
        indices.slice(1).forEach((j, m) => expect(j).toBeGreaterThan(indices[m]));
        expect(indices.slice(1).reduce((s, j, m) => s + cost[indices[m]][j], 0)).toBeCloseTo(c, 10);
      }
    }
  });

  it('turns boundaries into schedules from 1 to 0', () => {
    expect(scheduleFromIndices([0, 4, 12, 16], 16)).toEqual([1, 0.75, 0.25, 0]);
    expect(teacherGrid(4)).toEqual([1, 0.75, 0.5, 0.25, 0]);
    const cost = randomCost(16, new Rng(1));
    const schedules = selectSchedules(cost);
    expect(Object.keys(schedules)).toEqual(['1', '2', '3', '4', '6', '8']);
    expect(schedules['1']).toEqual([1, 0]);
    expect(schedules['8']).toHaveLength(9);
    expect(() => selectSteps(cost, 17)).toThrow(RangeError);
  });

  it('gives zero cost everywhere on a straight path', () => {
    const x0 = tf.randomUniform([2, 4, 4, 3], -1, 1, 'float32', 1) as tf.Tensor4D;
    const y = tf.randomUniform([2, 4, 4, 3], -1, 1, 'float32', 2) as tf.Tensor4D;
    const straight = { apply: (inputs: NetworkInputs) => tf.sub(inputs.y, x0) as tf.Tensor4D };
    const taus = teacherGrid(8);
    const { states, velocities, final } = runTrajectory(straight, cond(x0, y), taus, { keepStates: true });
    expect(tf.max(tf.abs(tf.sub(final, x0))).dataSync()[0]).toBeLessThan(1e-5);
    const matrices = costMatrices(states!, velocities!, taus);
    expect(matrices).toHaveLength(2);
    for (const m of matrices) for (let i = 0; i < 8; i++) for (let j = i + 1; j <= 8; j++) expect(m[i][j]).toBeLessThan(1e-9);
  });

  it('matches the closed form for a linear velocity field v = a x', () => {
    const a = 0.9;
    const x = tf.randomUniform([1, 3, 3, 3], -1, 1, 'float32', 5) as tf.Tensor4D;
    const linear = { apply: (inputs: NetworkInputs) => tf.mul(inputs.xt, a) as tf.Tensor4D };
    const n = 6;
    const h = 1 / n;
    const taus = teacherGrid(n);
    const { states, velocities } = runTrajectory(linear, cond(x, x), taus, { keepStates: true });
    const [m] = costMatrices(states!, velocities!, taus);
    const meanSq = tf.mean(tf.square(x)).dataSync()[0];
    const r = 1 - a * h; // X_i = r^i X_0
    for (let i = 0; i < n; i++) {
      for (let j = i + 1; j <= n; j++) {
        // (X_i - X_j)/((j-i)h) - a X_i = r^i X_0 ((1 - r^(j-i))/((j-i)h) - a)
        const factor = r ** i * ((1 - r ** (j - i)) / ((j - i) * h) - a);
        expect(m[i][j]).toBeCloseTo(factor * factor * meanSq, 5);
      }
      expect(m[i][i + 1]).toBeLessThan(1e-9);
    }
    // The cost grows towards the start (larger states there), so the DP spends its steps early.
    const two = selectSteps(m, 2).indices;
    expect(two[1]).toBeLessThan(n / 2 + 1);
    expect(meanCostMatrix([m, m])[0][3]).toBeCloseTo(m[0][3], 10);
  });

  it('plans the card schedule with its step sizes, or uniform steps with d = 0', () => {
    const card = { stage: 'distill', schedules: { denoise: { '2': [1, 0.25, 0], '3': [1, 0.5] } } };
    expect(plannedSchedule(card, 'denoise', 2)).toEqual({ schedule: [1, 0.25, 0], stepSizes: [0.75, 0.25], distilled: true });
    expect(plannedSchedule(card, 'denoise', 3)).toEqual({ schedule: uniformSchedule(3), stepSizes: [0, 0, 0], distilled: false });
    expect(plannedSchedule(card, 'deblur', 16).stepSizes).toEqual(new Array(16).fill(0));
    expect(plannedSchedule({ ...card, stage: 'rl' }, 'denoise', 2).stepSizes).toEqual([0, 0]);
  });

  it('ends the last step past t = 0 when asked, keeping the other times and the step sizes', () => {
    const card = { stage: 'distill', schedules: { denoise: { '2': [1, 0.25, 0] } } };
    const planned = plannedSchedule(card, 'denoise', 2);
    expect(endingAt(planned, -0.3)).toEqual({ schedule: [1, 0.25, -0.3], stepSizes: [0.75, 0.25], distilled: true });
    expect(endingAt(planned, 0)).toBe(planned);
    expect(() => endingAt(planned, -1.2)).toThrow('the path end must be in [-1, 0], got -1.2');
    expect(() => endingAt(planned, 0.1)).toThrow(RangeError);
    expect(scheduleEndingAt([1, 0.5, 0], 0)).toEqual([1, 0.5, 0]);
  });
});
