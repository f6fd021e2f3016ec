import * as tf from '@tensorflow/tfjs-core';
import { registerGradients } from '../backend/gradients';
import { trainingCard } from './training-card';
import { Rng } from '../common/rng';
import type { TaskSpec } from '../common/task';
import { DEFAULT_NETWORK, type NetworkConfig } from '../model/network-config';
import { VelocityNetwork } from '../model/velocity-network';
import type { WeightsCard } from '../model/weights-card';
import { saveWeights } from '../model/weights-store';
import { uniformSchedule } from '../sampler/schedule';
import { yieldToEventLoop } from './event-loop';
import { DEFAULT_START_SHARE, disposeDraws, flowMatchingDraws, RELATIVE_LOSS_FLOOR, relativeSquaredError, worseLowPassPenalty, worseThanStartPenalty } from './flow-matching-loss';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint, type TrainState } from './checkpoint';
import { listPhotos, loadPhotos, type PhotoSource, type PhotoSplit } from './photo-set';
import { makeSample, promptBags, toBatchTensors, validationSamples, type BatchTensors } from './training-batch';
import { sampleBatch, tensorPsnr } from './validation';

export interface FlowMatchingOptions {
  readonly tasks: readonly TaskSpec[];
  readonly photosDir: PhotoSource;
  readonly split: PhotoSplit;
  /** Where the finished weights go. */
  readonly outDir: string;
  readonly checkpointDir: string;
  readonly resume: boolean;
  readonly steps: number;
  readonly batchSize: number;
  readonly patchSize: number;
  readonly learningRate: number;
  /** Start-noise scale s: the path starts at y + s * eps. */
  readonly startNoise: number;
  /** Weight of the L1 term on x0_hat beside the velocity loss. */
  readonly endpointL1: number;
  /** Floor of the residual power in the relative velocity loss (default RELATIVE_LOSS_FLOOR). */
  readonly lossFloor?: number;
  /**
   * Share of samples drawn at the path's start, t = 1, where a one-step restore evaluates the network
   * (default DEFAULT_START_SHARE); the rest have t uniform in [0, 1).
   */
  readonly startShare?: number;
  /** Largest factor half the training crops are shrunk by (`makeSample`; default 1, none). */
  readonly zoomOut?: number;
  /** Weight of the hinge on samples whose estimate is worse than the start (`worseThanStartPenalty`; default 0). */
  readonly startGuard?: number;
  /** Weight of the same hinge on 16 px block means (`worseLowPassPenalty`; default 0). */
  readonly lowGuard?: number;
  readonly seed: number;
  readonly checkpointEvery: number;
  readonly evalEvery: number;
  readonly engineVersion: string;
  readonly backend: string;
  readonly network?: NetworkConfig;
  readonly onProgress?: (p: TrainProgress) => void;
  readonly onEval?: (e: TrainEval) => void;
  readonly signal?: AbortSignal;
}

export interface TrainProgress {
  readonly step: number;
  readonly totalSteps: number;
  readonly loss: number;
  readonly etaSeconds: number;
}

export interface TrainEval {
  readonly step: number;
  /** Per task: PSNR (dB) of y and of a 2-step uniform Euler sample, on held-out crops. */
  readonly tasks: Record<string, { input: number; output: number }>;
}

/** Tasks whose residuals are small and local; sampled twice as often as the global ones. */
const FINE_TASKS = new Set(['denoise', 'superres', 'deblur', 'inpaint']);
const CLIP_NORM = 1;

/** Stage 1 (docs/method.md §2): one multi-task model trained by flow matching on random degradations. */
export async function trainFlowMatching(options: FlowMatchingOptions): Promise<WeightsCard> {
  const { tasks, batchSize, patchSize, steps } = options;
  const share = startShare(options); // refuses a bad share before any photo is read
  if (options.zoomOut !== undefined && !(options.zoomOut >= 1)) throw new RangeError(`the zoom-out factor must be at least 1, got ${options.zoomOut}`);
  const names = listPhotos(options.photosDir, options.split);
  const trainPhotos = await loadPhotos(options.photosDir, names.train);
  const validationPhotos = names.validation.length
    ? await loadPhotos(options.photosDir, names.validation)
    : trainPhotos.slice(0, 1);
  const optimizer = tf.train.adam(options.learningRate);
  let network: VelocityNetwork;
  let state: TrainState;
  if (options.resume && hasCheckpoint(options.checkpointDir)) {
    ({ network, state } = await loadCheckpoint(options.checkpointDir, optimizer));
  } else {
    network = VelocityNetwork.create(options.network ?? DEFAULT_NETWORK, options.seed);
    state = { stage: 'flow-matching', step: 0, totalSteps: steps, seconds: 0, history: [] };
  }
  const bags = promptBags(tasks, network.config.promptBuckets);
  const rotation = tasks.flatMap((task, index) => (FINE_TASKS.has(task.id) ? [index, index] : [index]));
  const heldOut = validationSamples(tasks, validationPhotos, 2, 128, 4242);
  const variables = Object.values(network.params);
  const cardBase = (seconds: number, history: TrainState['history']): Omit<WeightsCard, 'files'> =>
    trainingCard(
      { tasks, photosDir: options.photosDir, names, batchSize, patchSize, engineVersion: options.engineVersion, backend: options.backend },
      'flow-matching',
      { step: state.step, seconds },
      { startNoise: options.startNoise, schedules: {}, results: { trainingCurve: history, lossFloor: options.lossFloor ?? RELATIVE_LOSS_FLOOR, startShare: share, startGuard: options.startGuard ?? 0, lowGuard: options.lowGuard ?? 0, zoomOut: options.zoomOut ?? 1 } },
    );

  const history = [...state.history];
  const started = Date.now() - state.seconds * 1000;
  let emaLoss = NaN;
  for (let step = state.step; step < steps; step++) {
    await yieldToEventLoop(); // lets progress output, signals and timers run between steps
    if (options.signal?.aborted) break;
    const rng = new Rng(options.seed * 100003 + step);
    // Tasks in rotation so that every task appears in every few batches; fine-detail tasks twice as often.
    const samples = Array.from({ length: batchSize }, (_, i) =>
      makeSample(tasks, rotation[(step * batchSize + i) % rotation.length], rng.pick(trainPhotos), patchSize, rng, options.zoomOut),
    );
    const batch = toBatchTensors(samples, bags);
    (optimizer as unknown as { learningRate: number }).learningRate = learningRate(options, step); // tfjs reads this field each step
    const loss = trainStep(network, optimizer, variables, batch, rng, options, share);
    Object.values(batch).forEach((t) => t.dispose());
    emaLoss = Number.isNaN(emaLoss) ? loss : 0.98 * emaLoss + 0.02 * loss;
    const done = step + 1;
    const elapsed = (Date.now() - started) / 1000;
    const perStep = (elapsed - state.seconds) / Math.max(1, done - state.step);
    options.onProgress?.({ step: done, totalSteps: steps, loss: emaLoss, etaSeconds: perStep * (steps - done) });
    if (done % options.evalEvery === 0 || done === steps) {
      const result = evaluate(network, heldOut, bags, tasks);
      options.onEval?.({ step: done, tasks: result });
      history.push({ step: done, loss: emaLoss, ...flatten(result) });
    }
    if (done % options.checkpointEvery === 0 || done === steps) {
      const s: TrainState = { stage: 'flow-matching', step: done, totalSteps: steps, seconds: elapsed, history };
      state = s;
      await saveCheckpoint(options.checkpointDir, network, optimizer, s, cardBase(elapsed, history));
    }
  }
  const elapsed = (Date.now() - started) / 1000;
  const card = await saveWeights(options.outDir, network, {
    ...cardBase(elapsed, history),
    schedules: Object.fromEntries(tasks.map((t) => [t.id, {}])),
  });
  Object.values(network.params).forEach((p) => p.dispose());
  return card;
}

function trainStep(
  network: VelocityNetwork,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  batch: BatchTensors,
  rng: Rng,
  options: FlowMatchingOptions,
  share: number,
): number {
  registerGradients();
  const draws = flowMatchingDraws(batch, rng, options.startNoise, share);
  const loss = tf.tidy(() => {
    const { t, xt, target } = draws;
    const t4 = tf.reshape(t, [-1, 1, 1, 1]);
    const targetSize = tf.mean(tf.abs(target), [1, 2, 3]);
    const { value, grads } = tf.variableGrads(() => {
      const v = network.apply({ xt, y: batch.y, mask: batch.mask, t, d: tf.zerosLike(t), prompt: batch.prompt });
      const error = tf.sub(v, target);
      // Relative losses: each sample's error is measured against the size of its own residual, so
      // that global corrections (low light, haze) do not drown fine ones (noise, blur) in one batch.
      const velocityLoss = relativeSquaredError(v, target, target, options.lossFloor);
      const endpointLoss = tf.mean(tf.div(tf.mean(tf.abs(tf.mul(error, t4)), [1, 2, 3]), tf.add(targetSize, 1e-2)));
      const loss = tf.add(velocityLoss, tf.mul(endpointLoss, options.endpointL1)) as tf.Scalar;
      const guard = options.startGuard ?? 0;
      const lowGuard = options.lowGuard ?? 0;
      const guarded = guard > 0 ? tf.add(loss, tf.mul(worseThanStartPenalty(v, target, options.lossFloor), guard)) : loss;
      return (lowGuard > 0 ? tf.add(guarded, tf.mul(worseLowPassPenalty(v, target, options.lossFloor), lowGuard)) : guarded) as tf.Scalar;
    }, variables);
    optimizer.applyGradients(clipByGlobalNorm(grads, CLIP_NORM));
    return value.dataSync()[0];
  });
  disposeDraws(draws);
  return loss;
}

function startShare(options: Pick<FlowMatchingOptions, 'startShare'>): number {
  const share = options.startShare ?? DEFAULT_START_SHARE;
  if (!(share >= 0 && share <= 1)) throw new RangeError(`the share of samples at t = 1 must be in [0, 1], got ${share}`);
  return share;
}

/** Scales the gradients so that their global L2 norm is at most maxNorm. */
export function clipByGlobalNorm(grads: tf.NamedTensorMap, maxNorm: number): tf.NamedTensorMap {
  const norm = Math.sqrt(tf.addN(Object.values(grads).map((g) => tf.sum(tf.square(g)))).dataSync()[0]);
  if (!(norm > maxNorm)) return grads;
  const scale = maxNorm / norm;
  return Object.fromEntries(Object.entries(grads).map(([k, g]) => [k, tf.mul(g, scale)]));
}

/** Linear warm-up then cosine decay to 2% of the base rate. */
export function learningRate(options: Pick<FlowMatchingOptions, 'learningRate' | 'steps'>, step: number): number {
  const warmup = Math.min(200, options.steps / 10);
  if (step < warmup) return (options.learningRate * (step + 1)) / warmup;
  const progress = (step - warmup) / Math.max(1, options.steps - warmup);
  return options.learningRate * (0.02 + 0.98 * 0.5 * (1 + Math.cos(Math.PI * progress)));
}

function evaluate(
  network: VelocityNetwork,
  samples: ReturnType<typeof validationSamples>,
  bags: Float32Array[],
  tasks: readonly TaskSpec[],
): TrainEval['tasks'] {
  const sums: Record<string, { input: number; output: number; n: number }> = {};
  const schedule = uniformSchedule(2);
  for (const sample of samples) {
    const batch = toBatchTensors([sample], bags);
    const out = sampleBatch(network, batch, schedule);
    const id = tasks[sample.task].id;
    const entry = (sums[id] ??= { input: 0, output: 0, n: 0 });
    entry.input += tensorPsnr(batch.y, batch.x0);
    entry.output += tensorPsnr(out, batch.x0);
    entry.n++;
    out.dispose();
    Object.values(batch).forEach((t) => t.dispose());
  }
  return Object.fromEntries(
    Object.entries(sums).map(([id, s]) => [id, { input: s.input / s.n, output: s.output / s.n }]),
  );
}

function flatten(result: TrainEval['tasks']): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [id, r] of Object.entries(result)) {
    out[`${id}.input`] = Math.round(r.input * 100) / 100;
    out[`${id}.output`] = Math.round(r.output * 100) / 100;
  }
  return out;
}
