import * as tf from '@tensorflow/tfjs-core';
import { registerGradients } from '../backend/gradients';
import { trainingCard } from './training-card';
import { Rng } from '../common/rng';
import type { TaskSpec } from '../common/task';
import type { VelocityNetwork } from '../model/velocity-network';
import type { WeightsCard } from '../model/weights-card';
import { loadWeights, readCard, saveWeights } from '../model/weights-store';
import { uniformSchedule } from '../sampler/schedule';
import { DISTILLED_BUDGETS, DISTILLED_STAGE, teacherGrid, TEACHER_STEPS } from '../sampler/step-selection';
import { runTrajectory, stepSizes } from '../sampler/trajectory';
import { yieldToEventLoop } from './event-loop';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint, type TrainState } from './checkpoint';
import { clipByGlobalNorm, learningRate } from './flow-matching-trainer';
import { disposeDraws, flowMatchingDraws, flowMatchingLoss, relativeSquaredError, RELATIVE_LOSS_FLOOR } from './flow-matching-loss';
import { disposeNetwork, loadWeightsCopy } from './network-copy';
import { listPhotos, loadPhotos, type Photo, type PhotoSource, type PhotoSplit } from './photo-set';
import { calibrateSchedules, scheduleIndices, type TaskCalibration } from './schedule-calibration';
import { neutraliseStepSize } from './step-size-conditioning';
import { scoreTrajectories, type ScheduleScore } from './trajectory-eval';
import { makeSample, promptBags, toBatchTensors, validationSamples, type BatchTensors } from './training-batch';

/**
 * Stage 3 (docs/method.md §4): cost-aware trajectory distillation.
 *
 * 1. Calibration: per task, the teacher's (stage-2 weights, d = 0) N-step Euler trajectories on
 *    calibration crops from the training photos, the mean cost matrix c(i, j) and the DP's boundaries
 *    for every budget K (schedule-calibration.ts).
 * 2. Student: starts from the teacher's weights, made blind to d at first so that it starts as the
 *    teacher for every step size; one network conditioned on the step size d serves
 *    every budget. Per sample a random budget K and, from its schedule, a random jump k plus the final
 *    jump: the student's single Euler step from the teacher's state X_{i_k} at tau_{i_k} with
 *    d = tau_{i_k} - tau_{i_{k+1}} regresses onto the teacher's X_{i_{k+1}}, and the final jump's
 *    landing point also onto the ground truth (fidelity). The flow-matching loss at d = 0 keeps the
 *    teacher's behaviour for d = 0 (uniform schedules that were not distilled, e.g. N = 16).
 *
 * The engine must therefore pass d = t_k - t_{k+1} on the card's schedules and d = 0 on uniform
 * fallback schedules (plannedSchedule in sampler/step-selection.ts).
 */
export interface DistillationOptions {
  readonly tasks: readonly TaskSpec[];
  readonly photosDir: PhotoSource;
  readonly split: PhotoSplit;
  /** The stage-2 weights: the teacher and the student's starting point. */
  readonly initialWeights: string;
  readonly outDir: string;
  readonly checkpointDir: string;
  readonly resume: boolean;
  readonly steps: number;
  readonly batchSize: number;
  readonly patchSize: number;
  readonly learningRate: number;
  /** The fine teacher grid N (default 16). */
  readonly teacherSteps?: number;
  readonly budgets?: readonly number[];
  /** Calibration crops per task (default 4) and their size (default patchSize). */
  readonly calibrationPerTask?: number;
  readonly calibrationPatch?: number;
  readonly fidelityWeight?: number;
  readonly flowMatchingWeight?: number;
  /** Floor of the residual power in the relative losses (default RELATIVE_LOSS_FLOOR). */
  readonly lossFloor?: number;
  readonly seed: number;
  readonly checkpointEvery: number;
  readonly evalEvery: number;
  readonly engineVersion: string;
  readonly backend: string;
  readonly onCalibrated?: (calibration: Record<string, TaskCalibration>, seconds: number) => void;
  readonly onProgress?: (p: DistillProgress) => void;
  readonly onEval?: (e: DistillEval) => void;
  readonly signal?: AbortSignal;
}

export interface DistillProgress {
  readonly step: number;
  readonly totalSteps: number;
  readonly loss: number;
  readonly secondsPerStep: number;
  readonly etaSeconds: number;
}

export interface DistillEval {
  readonly step: number;
  /** Per budget K, per task: PSNR of the student on its distilled schedule, and of the teacher with K uniform steps. */
  readonly budgets: Record<string, Record<string, { student: number; teacherUniform: number }>>;
  /** Per task: PSNR of y and of the teacher's N uniform steps. */
  readonly teacher: Record<string, { input: number; output: number }>;
  /** Per task: the student on N uniform steps with d = 0 (should stay at the teacher's). */
  readonly studentTeacherMode: Record<string, number>;
}

const CLIP_NORM = 1;

export async function distillStudent(options: DistillationOptions): Promise<WeightsCard> {
  const { tasks, batchSize, patchSize, steps } = options;
  const n = options.teacherSteps ?? TEACHER_STEPS;
  const budgets = (options.budgets ?? DISTILLED_BUDGETS).filter((k) => k <= n);
  const fidelityWeight = options.fidelityWeight ?? 1;
  const flowMatchingWeight = options.flowMatchingWeight ?? 0.5;
  const lossFloor = options.lossFloor ?? RELATIVE_LOSS_FLOOR;
  const names = listPhotos(options.photosDir, options.split);
  const trainPhotos = await loadPhotos(options.photosDir, names.train);
  const validationPhotos = names.validation.length ? await loadPhotos(options.photosDir, names.validation) : trainPhotos.slice(0, 1);
  const { network: teacher, card: initialCard } = loadWeightsCopy(options.initialWeights);
  const bags = promptBags(tasks, teacher.config.promptBuckets);
  const optimizer = tf.train.adam(options.learningRate);
  let student: VelocityNetwork;
  let state: TrainState;
  let calibration: Record<string, TaskCalibration>;
  const resuming = options.resume && hasCheckpoint(options.checkpointDir);
  if (resuming) {
    ({ network: student, state } = await loadCheckpoint(options.checkpointDir, optimizer));
    calibration = readCard(options.checkpointDir).results.calibration as Record<string, TaskCalibration>;
  } else {
    const started = Date.now();
    const calibrationSamples = validationSamples(tasks, trainPhotos, options.calibrationPerTask ?? 4, options.calibrationPatch ?? patchSize, options.seed * 7919 + 17);
    calibration = calibrateSchedules(teacher, tasks, calibrationSamples, bags, { teacherSteps: n, budgets });
    options.onCalibrated?.(calibration, (Date.now() - started) / 1000);
    student = loadWeights(options.initialWeights).network;
    // A teacher that never saw d > 0 first becomes a student that ignores d (step-size-conditioning.ts).
    if (initialCard.stage !== DISTILLED_STAGE) neutraliseStepSize(student);
    state = { stage: DISTILLED_STAGE, step: 0, totalSteps: steps, seconds: 0, history: [] };
  }
  const schedules = Object.fromEntries(tasks.map((t) => [t.id, calibration[t.id]?.schedules ?? {}]));
  const heldOut = validationSamples(tasks, validationPhotos, 2, 128, 4242);
  const teacherScores = scoreTrajectories(teacher, heldOut, tasks, bags, () => teacherPlan(n));
  const teacherUniform = Object.fromEntries(budgets.map((k) => [String(k), scoreTrajectories(teacher, heldOut, tasks, bags, () => teacherPlan(k))]));
  const variables = Object.values(student.params);
  const cardBase = (seconds: number, history: TrainState['history'], evaluation?: DistillEval): Omit<WeightsCard, 'files'> =>
    trainingCard(
      { tasks, photosDir: options.photosDir, names, batchSize, patchSize, engineVersion: options.engineVersion, backend: options.backend },
      DISTILLED_STAGE,
      { step: state.step, seconds },
      {
        startNoise: initialCard.startNoise,
        schedules,
        results: {
          ...initialCard.results,
          calibration,
          distillConfig: { teacherSteps: n, budgets, fidelityWeight, flowMatchingWeight, lossFloor, initialWeights: options.initialWeights },
          distillCurve: history,
          ...(evaluation ? { distillEval: evaluation } : {}),
        },
      },
    );

  const history = [...state.history];
  const started = Date.now() - state.seconds * 1000;
  const firstStep = state.step;
  let emaLoss = NaN;
  let lastEval: DistillEval | undefined;
  try {
    for (let step = state.step; step < steps; step++) {
      await yieldToEventLoop(); // lets progress output, signals and timers run between steps
      if (options.signal?.aborted) break;
      const rng = new Rng(options.seed * 100003 + step);
      const { batch, taskOf } = trainingBatch(tasks, trainPhotos, bags, batchSize, patchSize, step, rng);
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate(options, step);
      const jumps = teacherJumps(teacher, batch, taskOf, tasks, schedules, budgets, n, rng);
      const loss = studentStep(student, optimizer, variables, batch, jumps, rng, initialCard.startNoise, fidelityWeight, flowMatchingWeight, lossFloor);
      disposeJumps(jumps);
      Object.values(batch).forEach((t) => t.dispose());
      emaLoss = Number.isNaN(emaLoss) ? loss : 0.95 * emaLoss + 0.05 * loss;
      const done = step + 1;
      const elapsed = (Date.now() - started) / 1000;
      const perStep = (elapsed - state.seconds) / Math.max(1, done - firstStep);
      options.onProgress?.({ step: done, totalSteps: steps, loss: emaLoss, secondsPerStep: perStep, etaSeconds: perStep * (steps - done) });
      if (done % options.evalEvery === 0 || done === steps) {
        lastEval = evaluateStudent(student, heldOut, tasks, bags, schedules, budgets, n, teacherScores, teacherUniform, done);
        options.onEval?.(lastEval);
        history.push({ step: done, loss: Math.round(emaLoss * 1e5) / 1e5, ...flattenEval(lastEval) });
      }
      if (done % options.checkpointEvery === 0 || done === steps) {
        state = { stage: DISTILLED_STAGE, step: done, totalSteps: steps, seconds: elapsed, history };
        await saveCheckpoint(options.checkpointDir, student, optimizer, state, cardBase(elapsed, history, lastEval));
      }
    }
    const elapsed = (Date.now() - started) / 1000;
    return await saveWeights(options.outDir, student, cardBase(elapsed, history, lastEval));
  } finally {
    disposeNetwork(teacher);
    disposeNetwork(student);
    optimizer.dispose();
  }
}

function teacherPlan(k: number) {
  const schedule = uniformSchedule(k);
  return { schedule, stepSizes: stepSizes(schedule, false) };
}

function trainingBatch(
  tasks: readonly TaskSpec[],
  photos: readonly Photo[],
  bags: readonly Float32Array[],
  batchSize: number,
  patchSize: number,
  step: number,
  rng: Rng,
): { batch: BatchTensors; taskOf: number[] } {
  const samples = Array.from({ length: batchSize }, (_, i) =>
    makeSample(tasks, (step * batchSize + i) % tasks.length, rng.pick(photos), patchSize, rng),
  );
  return { batch: toBatchTensors(samples, bags), taskOf: samples.map((s) => s.task) };
}

interface Jumps {
  /** 2B jumps: rows 0..B-1 a random jump of each sample's budget, rows B..2B-1 its final jump. */
  readonly from: tf.Tensor4D;
  readonly to: tf.Tensor4D;
  readonly t: number[];
  readonly d: number[];
}

/** The teacher's N-step trajectory on the batch and, per sample, a random jump and the final jump of a random budget. */
function teacherJumps(
  teacher: VelocityNetwork,
  batch: BatchTensors,
  taskOf: readonly number[],
  tasks: readonly TaskSpec[],
  schedules: Record<string, Record<string, number[]>>,
  budgets: readonly number[],
  n: number,
  rng: Rng,
): Jumps {
  const b = batch.y.shape[0];
  const taus = teacherGrid(n);
  const trajectory = runTrajectory(teacher, batch, taus, { keepStates: true });
  const chosen: Array<[number, number]> = [];
  const finals: Array<[number, number]> = [];
  for (let s = 0; s < b; s++) {
    const id = tasks[taskOf[s]].id;
    const k = rng.pick(budgets);
    const schedule = schedules[id]?.[String(k)] ?? uniformSchedule(k);
    const idx = scheduleIndices(schedule, n);
    const m = rng.int(0, k);
    chosen.push([idx[m], idx[m + 1]]);
    finals.push([idx[k - 1], idx[k]]);
  }
  const pairs = [...chosen, ...finals];
  const result = tf.tidy(() => {
    const all = tf.concat(trajectory.states!, 0); // row i * B + s is X_i of sample s
    const rows = (which: 0 | 1) => tf.tensor1d(pairs.map((p, r) => p[which] * b + (r % b)), 'int32');
    return { from: tf.gather(all, rows(0)) as tf.Tensor4D, to: tf.gather(all, rows(1)) as tf.Tensor4D };
  });
  trajectory.states!.forEach((x) => x.dispose());
  trajectory.velocities!.forEach((v) => v.dispose());
  return { ...result, t: pairs.map((p) => taus[p[0]]), d: pairs.map((p) => taus[p[0]] - taus[p[1]]) };
}

function disposeJumps(jumps: Jumps): void {
  jumps.from.dispose();
  jumps.to.dispose();
}

function studentStep(
  student: VelocityNetwork,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  batch: BatchTensors,
  jumps: Jumps,
  rng: Rng,
  startNoise: number,
  fidelityWeight: number,
  flowMatchingWeight: number,
  lossFloor: number,
): number {
  registerGradients();
  const b = batch.y.shape[0];
  const draws = flowMatchingDraws(batch, rng, startNoise);
  try {
    return tf.tidy(() => {
      const twice = (x: tf.Tensor4D) => tf.concat([x, x], 0) as tf.Tensor4D;
      const residual = tf.sub(batch.start, batch.x0) as tf.Tensor4D;
      const h = tf.reshape(tf.tensor1d(jumps.d), [2 * b, 1, 1, 1]);
      const { value, grads } = tf.variableGrads(() => {
        const v = student.apply({
          xt: jumps.from,
          y: twice(batch.y),
          mask: twice(batch.mask),
          t: tf.tensor1d(jumps.t),
          d: tf.tensor1d(jumps.d),
          prompt: tf.concat([batch.prompt, batch.prompt], 0) as tf.Tensor2D,
        });
        const landed = tf.sub(jumps.from, tf.mul(v, h)) as tf.Tensor4D;
        const terms: tf.Scalar[] = [relativeSquaredError(landed, jumps.to, twice(residual), lossFloor)];
        const final = tf.slice(landed, [b, 0, 0, 0], [b, -1, -1, -1]) as tf.Tensor4D;
        terms.push(tf.mul(relativeSquaredError(final, batch.x0, residual, lossFloor), fidelityWeight));
        if (flowMatchingWeight > 0) terms.push(tf.mul(flowMatchingLoss(student, batch, draws, lossFloor), flowMatchingWeight));
        return tf.addN(terms) as tf.Scalar;
      }, variables);
      optimizer.applyGradients(clipByGlobalNorm(grads, CLIP_NORM));
      return value.dataSync()[0];
    });
  } finally {
    disposeDraws(draws);
  }
}

function evaluateStudent(
  student: VelocityNetwork,
  heldOut: ReturnType<typeof validationSamples>,
  tasks: readonly TaskSpec[],
  bags: readonly Float32Array[],
  schedules: Record<string, Record<string, number[]>>,
  budgets: readonly number[],
  n: number,
  teacherScores: Record<string, ScheduleScore>,
  teacherUniform: Record<string, Record<string, ScheduleScore>>,
  step: number,
): DistillEval {
  const perBudget: DistillEval['budgets'] = {};
  for (const k of budgets) {
    const scores = scoreTrajectories(student, heldOut, tasks, bags, (id) => {
      const schedule = schedules[id]?.[String(k)] ?? uniformSchedule(k);
      return { schedule, stepSizes: stepSizes(schedule, true) };
    });
    perBudget[String(k)] = Object.fromEntries(
      Object.entries(scores).map(([id, s]) => [id, { student: s.output, teacherUniform: teacherUniform[String(k)][id].output }]),
    );
  }
  const teacherMode = scoreTrajectories(student, heldOut, tasks, bags, () => teacherPlan(n));
  return {
    step,
    budgets: perBudget,
    teacher: Object.fromEntries(Object.entries(teacherScores).map(([id, s]) => [id, { input: s.input, output: s.output }])),
    studentTeacherMode: Object.fromEntries(Object.entries(teacherMode).map(([id, s]) => [id, s.output])),
  };
}

function flattenEval(e: DistillEval): Record<string, number> {
  const out: Record<string, number> = {};
  const mean = (values: number[]) => Math.round((values.reduce((a, b) => a + b, 0) / values.length) * 100) / 100;
  out.teacher = mean(Object.values(e.teacher).map((t) => t.output));
  for (const [k, perTask] of Object.entries(e.budgets)) {
    out[`K${k}.student`] = mean(Object.values(perTask).map((t) => t.student));
    out[`K${k}.uniform`] = mean(Object.values(perTask).map((t) => t.teacherUniform));
  }
  out.studentTeacherMode = mean(Object.values(e.studentTeacherMode));
  return out;
}
