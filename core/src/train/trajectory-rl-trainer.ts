import * as tf from '@tensorflow/tfjs-core';
import { registerGradients } from '../backend/gradients';
import { trainingCard } from './training-card';
import { Rng } from '../common/rng';
import type { TaskSpec } from '../common/task';
import type { NetworkInputs, VelocityNetwork } from '../model/velocity-network';
import type { WeightsCard } from '../model/weights-card';
import { loadWeights, saveWeights } from '../model/weights-store';
import { ssim } from '../metrics/ssim';
import { sdeStep } from '../sampler/sde-step';
import { uniformSchedule } from '../sampler/schedule';
import { disposeTrajectory, runTrajectory, velocityAt, type TrajectoryCondition } from '../sampler/trajectory';
import { yieldToEventLoop } from './event-loop';
import { hasCheckpoint, loadCheckpoint, saveCheckpoint, type TrainState } from './checkpoint';
import { clipByGlobalNorm, learningRate } from './flow-matching-trainer';
import { disposeDraws, flowMatchingDraws, flowMatchingLoss, relativeSquaredError, RELATIVE_LOSS_FLOOR } from './flow-matching-loss';
import { disposeNetwork, loadWeightsCopy } from './network-copy';
import { listPhotos, loadPhotos, type Photo, type PhotoSource, type PhotoSplit } from './photo-set';
import { scoreTrajectories, meanOverTasks } from './trajectory-eval';
import { makeSample, promptBags, toBatchTensors, validationSamples, type BatchTensors } from './training-batch';

/**
 * Stage 2 (docs/method.md §3): reinforcing the ODE trajectory with modulated SDEs.
 *
 * Per batch, G rollouts of the frozen reference model over K uniform steps, with the SDE step of
 * sde-step.ts and eta drawn per rollout and step from U(0, etaMax) (rollout 0 keeps eta = 0: it is
 * the reference ODE). The reward is the PSNR of the final state against the ground truth (plus
 * optionally ssimWeight * SSIM). The deterministic ODE policy is then moved toward the best rollout:
 * - state regression onto the best rollout's states: one-step (teacher-forced) for the early steps,
 *   and through the policy's own unrolled ODE for the last `truncate` steps;
 * - terminal fidelity ||x_K - x0||^2 back-propagated through those last `truncate` steps;
 * - the flow-matching loss as a regulariser.
 * All squared errors are relative to each sample's residual ||y - x0||^2 (see relativeSquaredError).
 *
 * Exploration: the paths start at y (eps = 0) and stage 1 used s = 0.02, so the SDE step injects at
 * most t' * s * eta <= 0.016 (about 2/255) of white noise per step. The SDE step takes its noise scale
 * from `explorationNoise` (default: the card's start noise s, i.e. the SDE of docs/method.md §3 as is); its
 * drift does not depend on the scale, only the injected noise t' * scale * eta * xi does. The last
 * step (t' = 0) is deterministic: it lands on the reference model's x0_hat from the explored state.
 * Measured on a 2700-step stage-1 checkpoint (7 tasks, 64 px crops, G = 4, K = 4, eta ~ U(0, 0.8)):
 * the rollouts' PSNR differ by 1.0 dB (max - min per sample) at scale 0.02, 4.3 dB at 0.1, 7.0 dB at
 * 0.2, but white noise mostly hurts: the best rollout beats the ODE in 24 % of samples by a mean
 * 0.023 dB at 0.02, 10 % / 0.012 dB at 0.1, never at 0.2. So the default stays at s, and most of this
 * stage's effect comes from the terminal-fidelity term through the unrolled ODE.
 */
export interface TrajectoryRlOptions {
  readonly tasks: readonly TaskSpec[];
  readonly photosDir: PhotoSource;
  readonly split: PhotoSplit;
  /** The stage-1 weights to start from (also the frozen reference). */
  readonly initialWeights: string;
  readonly outDir: string;
  readonly checkpointDir: string;
  readonly resume: boolean;
  readonly steps: number;
  readonly batchSize: number;
  readonly patchSize: number;
  readonly learningRate: number;
  /** G rollouts per sample (default 4; rollout 0 is the ODE). */
  readonly rollouts?: number;
  /** K uniform steps of the rollouts and of the policy, and of the held-out evaluation (default 4). */
  readonly rolloutSteps?: number;
  /**
   * Step counts drawn per batch (default: rolloutSteps only). Several counts make the policy land well
   * at every budget a user may pick, not only at one.
   */
  readonly rolloutStepChoices?: readonly number[];
  /** eta ~ U(0, etaMax) per rollout and step (default 0.8). */
  readonly etaMax?: number;
  /** The noise scale of the SDE step (default: the initial card's startNoise; see above). */
  readonly explorationNoise?: number;
  /** Steps at the end of the policy's ODE that are back-propagated through (default 2). */
  readonly truncate?: number;
  readonly stateWeight?: number;
  readonly terminalWeight?: number;
  readonly flowMatchingWeight?: number;
  /** Reward = PSNR + ssimWeight * SSIM (default 0: PSNR only). */
  readonly ssimWeight?: number;
  /** Floor of the residual power in every relative loss (default RELATIVE_LOSS_FLOOR). */
  readonly lossFloor?: number;
  readonly seed: number;
  readonly checkpointEvery: number;
  readonly evalEvery: number;
  readonly engineVersion: string;
  readonly backend: string;
  readonly onProgress?: (p: RlProgress) => void;
  readonly onEval?: (e: RlEval) => void;
  readonly signal?: AbortSignal;
}

export interface RlProgress {
  readonly step: number;
  readonly totalSteps: number;
  /** Running mean of the policy loss. */
  readonly loss: number;
  /** This batch's loss terms (unweighted, relative to each sample's residual): state regression, terminal fidelity, flow matching. */
  readonly terms: { readonly state: number; readonly terminal: number; readonly flowMatching: number };
  /** This batch: mean reward (dB) over all rollouts, of the ODE rollout, and mean best-minus-ODE gap. */
  readonly meanReward: number;
  readonly odeReward: number;
  readonly meanGap: number;
  /** Fraction of the batch whose best rollout is not the ODE one. */
  readonly explored: number;
  readonly secondsPerStep: number;
  readonly etaSeconds: number;
}

export interface RlEval {
  readonly step: number;
  readonly steps: number;
  /** Per task: PSNR of y, of the frozen reference and of the policy at the same K uniform steps. */
  readonly tasks: Record<string, { input: number; reference: number; policy: number }>;
}

const CLIP_NORM = 1;

/** Stage 2: see the file comment. Returns the card of the weights written to outDir (stage 'rl'). */
export async function trainTrajectoryRl(options: TrajectoryRlOptions): Promise<WeightsCard> {
  const { tasks, batchSize, patchSize, steps } = options;
  rlConfig(options, 0); // refuse bad settings before loading anything
  const names = listPhotos(options.photosDir, options.split);
  const trainPhotos = await loadPhotos(options.photosDir, names.train);
  const validationPhotos = names.validation.length ? await loadPhotos(options.photosDir, names.validation) : trainPhotos.slice(0, 1);
  const { network: reference, card: initialCard } = loadWeightsCopy(options.initialWeights);
  const config = rlConfig(options, initialCard.startNoise);
  const optimizer = tf.train.adam(options.learningRate);
  let policy: VelocityNetwork;
  let state: TrainState;
  if (options.resume && hasCheckpoint(options.checkpointDir)) {
    ({ network: policy, state } = await loadCheckpoint(options.checkpointDir, optimizer));
  } else {
    policy = loadWeights(options.initialWeights).network;
    state = { stage: 'rl', step: 0, totalSteps: steps, seconds: 0, history: [] };
  }
  const bags = promptBags(tasks, policy.config.promptBuckets);
  const heldOut = validationSamples(tasks, validationPhotos, 2, 128, 4242);
  const schedule = uniformSchedule(config.rolloutSteps);
  const plan = () => ({ schedule, stepSizes: schedule.slice(1).map(() => 0) });
  const referenceScores = scoreTrajectories(reference, heldOut, tasks, bags, plan);
  const variables = Object.values(policy.params);
  const cardBase = (seconds: number, history: TrainState['history']): Omit<WeightsCard, 'files'> =>
    trainingCard(
      { tasks, photosDir: options.photosDir, names, batchSize, patchSize, engineVersion: options.engineVersion, backend: options.backend },
      'rl',
      { step: state.step, seconds },
      { startNoise: initialCard.startNoise, schedules: Object.fromEntries(tasks.map((t) => [t.id, initialCard.schedules[t.id] ?? {}])), results: { ...initialCard.results, rlConfig: { ...config, initialWeights: options.initialWeights }, rlCurve: history } },
    );

  const history = [...state.history];
  const started = Date.now() - state.seconds * 1000;
  const firstStep = state.step;
  let emaLoss = NaN;
  try {
    for (let step = state.step; step < steps; step++) {
      await yieldToEventLoop(); // lets progress output, signals and timers run between steps
      if (options.signal?.aborted) break;
      const rng = new Rng(options.seed * 100003 + step);
      const batch = trainingBatch(tasks, trainPhotos, bags, batchSize, patchSize, step, rng);
      (optimizer as unknown as { learningRate: number }).learningRate = learningRate(options, step);
      const stepSchedule = uniformSchedule(rng.pick(config.rolloutStepChoices));
      const rollouts = rollOut(reference, batch, stepSchedule, config, rng);
      const { loss, terms } = policyStep(policy, optimizer, variables, batch, stepSchedule, rollouts.bestStates, config, rng, initialCard.startNoise);
      rollouts.bestStates.forEach((s) => s.dispose());
      Object.values(batch).forEach((t) => t.dispose());
      emaLoss = Number.isNaN(emaLoss) ? loss : 0.95 * emaLoss + 0.05 * loss;
      const done = step + 1;
      const elapsed = (Date.now() - started) / 1000;
      const perStep = (elapsed - state.seconds) / Math.max(1, done - firstStep);
      options.onProgress?.({
        step: done,
        totalSteps: steps,
        loss: emaLoss,
        terms,
        meanReward: rollouts.meanReward,
        odeReward: rollouts.odeReward,
        meanGap: rollouts.meanGap,
        explored: rollouts.explored,
        secondsPerStep: perStep,
        etaSeconds: perStep * (steps - done),
      });
      if (done % options.evalEvery === 0 || done === steps) {
        const policyScores = scoreTrajectories(policy, heldOut, tasks, bags, plan);
        const result = Object.fromEntries(
          Object.entries(policyScores).map(([id, s]) => [id, { input: s.input, reference: referenceScores[id].output, policy: s.output }]),
        );
        options.onEval?.({ step: done, steps: config.rolloutSteps, tasks: result });
        history.push({
          step: done,
          loss: round(emaLoss, 5),
          reward: round(rollouts.meanReward),
          gap: round(rollouts.meanGap),
          reference: round(meanOverTasks(referenceScores, 'output')),
          policy: round(meanOverTasks(policyScores, 'output')),
          ...Object.fromEntries(Object.entries(policyScores).map(([id, s]) => [`${id}.policy`, round(s.output)])),
        });
      }
      if (done % options.checkpointEvery === 0 || done === steps) {
        state = { stage: 'rl', step: done, totalSteps: steps, seconds: elapsed, history };
        await saveCheckpoint(options.checkpointDir, policy, optimizer, state, cardBase(elapsed, history));
      }
    }
    const elapsed = (Date.now() - started) / 1000;
    return await saveWeights(options.outDir, policy, cardBase(elapsed, history));
  } finally {
    disposeNetwork(reference);
    disposeNetwork(policy);
    optimizer.dispose();
  }
}

interface RlConfig {
  readonly rollouts: number;
  readonly rolloutSteps: number;
  readonly rolloutStepChoices: readonly number[];
  readonly etaMax: number;
  readonly explorationNoise: number;
  readonly truncate: number;
  readonly stateWeight: number;
  readonly terminalWeight: number;
  readonly flowMatchingWeight: number;
  readonly ssimWeight: number;
  readonly lossFloor: number;
}

function rlConfig(options: TrajectoryRlOptions, startNoise: number): RlConfig {
  const config: RlConfig = {
    rollouts: options.rollouts ?? 4,
    rolloutSteps: options.rolloutSteps ?? 4,
    rolloutStepChoices: options.rolloutStepChoices ?? [options.rolloutSteps ?? 4],
    etaMax: options.etaMax ?? 0.8,
    explorationNoise: options.explorationNoise ?? startNoise,
    truncate: Math.min(options.truncate ?? 2, options.rolloutSteps ?? 4),
    stateWeight: options.stateWeight ?? 1,
    terminalWeight: options.terminalWeight ?? 1,
    flowMatchingWeight: options.flowMatchingWeight ?? 0.5,
    ssimWeight: options.ssimWeight ?? 0,
    lossFloor: options.lossFloor ?? RELATIVE_LOSS_FLOOR,
  };
  if (!(config.lossFloor > 0)) throw new RangeError('lossFloor must be positive');
  if (!Number.isInteger(config.rollouts) || config.rollouts < 2) throw new RangeError('rollouts must be an integer >= 2');
  if (!Number.isInteger(config.rolloutSteps) || config.rolloutSteps < 1) throw new RangeError('rolloutSteps must be a positive integer');
  if (!config.rolloutStepChoices.length || config.rolloutStepChoices.some((k) => !Number.isInteger(k) || k < 1)) {
    throw new RangeError('rolloutStepChoices must be positive integers');
  }
  if (!(config.etaMax >= 0 && config.etaMax <= 1)) throw new RangeError('etaMax must be in [0, 1]');
  if (!Number.isInteger(config.truncate) || config.truncate < 1) throw new RangeError('truncate must be a positive integer');
  return config;
}

function trainingBatch(
  tasks: readonly TaskSpec[],
  photos: readonly Photo[],
  bags: readonly Float32Array[],
  batchSize: number,
  patchSize: number,
  step: number,
  rng: Rng,
): BatchTensors {
  // Tasks in rotation (as in stage 1) so that every task appears every few batches.
  const samples = Array.from({ length: batchSize }, (_, i) =>
    makeSample(tasks, (step * batchSize + i) % tasks.length, rng.pick(photos), patchSize, rng),
  );
  return toBatchTensors(samples, bags);
}

export interface RolloutResult {
  /** Per sample, the states X_1..X_K of its best rollout (X_0 = y), each [B, H, W, 3]. */
  readonly bestStates: tf.Tensor4D[];
  /** Rewards [G][B] (rollout 0 is the ODE). */
  readonly rewards: number[][];
  readonly best: number[];
  readonly meanReward: number;
  readonly odeReward: number;
  readonly meanGap: number;
  readonly explored: number;
}

/** G rollouts of the reference model with modulated SDE steps; the best rollout's states per sample. */
export function rollOut(
  reference: VelocityNetwork,
  batch: BatchTensors,
  schedule: readonly number[],
  config: Pick<RlConfig, 'rollouts' | 'etaMax' | 'explorationNoise' | 'ssimWeight'>,
  rng: Rng,
): RolloutResult {
  const g = config.rollouts;
  const n = batch.y.shape[0];
  const cond: TrajectoryCondition = {
    y: tf.tile(batch.y, [g, 1, 1, 1]),
    start: tf.tile(batch.start, [g, 1, 1, 1]),
    mask: tf.tile(batch.mask, [g, 1, 1, 1]),
    prompt: tf.tile(batch.prompt, [g, 1]),
  };
  const states: tf.Tensor4D[] = [];
  let x = tf.clone(cond.start);
  for (let k = 0; k + 1 < schedule.length; k++) {
    const eta = Array.from({ length: g * n }, (_, i) => (i < n ? 0 : rng.uniform(0, config.etaMax)));
    const v = velocityAt(reference, cond, x, schedule[k], 0);
    const xi = tf.randomNormal(x.shape, 0, 1, 'float32', rng.int(0, 2 ** 31)) as tf.Tensor4D;
    const step = sdeStep({ xt: x, v, y: cond.start, t: schedule[k], tNext: schedule[k + 1], scale: config.explorationNoise, eta, xi });
    [v, xi, step.mean].forEach((t) => t.dispose());
    if (k === 0) x.dispose(); // later states are kept in `states`
    x = step.next;
    states.push(x);
  }
  const rewards = rolloutRewards(x, batch.x0, g, config.ssimWeight);
  const best = Array.from({ length: n }, (_, b) => {
    let arg = 0;
    for (let r = 1; r < g; r++) if (rewards[r][b] > rewards[arg][b]) arg = r;
    return arg;
  });
  const rows = tf.tensor1d(best.map((r, b) => r * n + b), 'int32');
  const bestStates = states.map((s) => tf.gather(s, rows) as tf.Tensor4D);
  [rows, ...states, ...Object.values(cond)].forEach((t) => t.dispose());
  const all = rewards.flat();
  return {
    bestStates,
    rewards,
    best,
    meanReward: all.reduce((a, b) => a + b, 0) / all.length,
    odeReward: rewards[0].reduce((a, b) => a + b, 0) / n,
    meanGap: best.reduce((s, r, b) => s + rewards[r][b] - rewards[0][b], 0) / n,
    explored: best.filter((r) => r !== 0).length / n,
  };
}

/** Per rollout and sample: PSNR (dB, images in [-1, 1] clipped) of the final state, plus w * SSIM. */
function rolloutRewards(final: tf.Tensor4D, x0: tf.Tensor4D, g: number, ssimWeight: number): number[][] {
  const n = x0.shape[0];
  const mse = tf.tidy(() => {
    const diff = tf.sub(tf.clipByValue(final, -1, 1), tf.tile(tf.clipByValue(x0, -1, 1), [g, 1, 1, 1]));
    return tf.mean(tf.reshape(tf.square(diff), [g * n, -1]), 1).dataSync();
  });
  const ssims = ssimWeight ? tensorSsims(final, x0, g) : undefined;
  return Array.from({ length: g }, (_, r) =>
    Array.from({ length: n }, (_, b) => {
      const psnr = 10 * Math.log10(4 / Math.max(mse[r * n + b], 1e-12));
      return psnr + (ssims ? ssimWeight * ssims[r * n + b] : 0);
    }),
  );
}

function tensorSsims(final: tf.Tensor4D, x0: tf.Tensor4D, g: number): number[] {
  const [, h, w] = x0.shape;
  const toImages = (t: tf.Tensor4D) => {
    const data = tf.tidy(() => tf.div(tf.add(tf.clipByValue(t, -1, 1), 1), 2).dataSync() as Float32Array);
    return Array.from({ length: t.shape[0] }, (_, i) => ({ width: w, height: h, channels: 3, data: data.subarray(i * h * w * 3, (i + 1) * h * w * 3) }));
  };
  const outs = toImages(final);
  const truths = toImages(x0);
  return outs.map((img, i) => ssim(img, truths[i % x0.shape[0]]));
}

/** The network at per-sample times and step sizes. */
function applyAt(network: VelocityNetwork, cond: BatchTensors | TrajectoryCondition, xt: tf.Tensor4D, t: number[], d: number[]): tf.Tensor4D {
  const inputs: NetworkInputs = { xt, y: cond.y, mask: cond.mask, t: tf.tensor1d(t), d: tf.tensor1d(d), prompt: cond.prompt };
  return network.apply(inputs);
}

/** One update of the ODE policy toward the best rollouts (see the file comment). Returns the loss. */
function policyStep(
  policy: VelocityNetwork,
  optimizer: tf.Optimizer,
  variables: tf.Variable[],
  batch: BatchTensors,
  schedule: readonly number[],
  bestStates: readonly tf.Tensor4D[],
  config: RlConfig,
  rng: Rng,
  startNoise: number,
): { loss: number; terms: RlProgress['terms'] } {
  registerGradients();
  const n = batch.y.shape[0];
  const steps = schedule.length - 1;
  const free = Math.max(0, steps - config.truncate);
  // The policy's own ODE, without gradients, up to the truncated window.
  const prefix = runTrajectory(policy, batch, schedule.slice(0, free + 1));
  const draws = flowMatchingDraws(batch, rng, startNoise);
  const residual = tf.sub(batch.start, batch.x0) as tf.Tensor4D;
  // Teacher-forced one-step inputs for the steps before the window: from X^best_k to X^best_{k+1}.
  const forced = free > 0 ? forcedSteps(batch, bestStates, schedule, free) : undefined;
  const parts = { state: 0, terminal: 0, flowMatching: 0 };
  try {
    return tf.tidy(() => {
      const { value, grads } = tf.variableGrads(() => {
        const terms: tf.Scalar[] = [];
        let stateLoss = tf.scalar(0);
        if (forced) {
          const v = applyAt(policy, forced.cond, forced.from, forced.t, forced.t.map(() => 0));
          const landed = tf.sub(forced.from, tf.mul(v, forced.h)) as tf.Tensor4D;
          stateLoss = tf.add(stateLoss, tf.mul(relativeSquaredError(landed, forced.to, forced.residual, config.lossFloor), free));
        }
        let x = prefix.final;
        for (let k = free; k < steps; k++) {
          const v = applyAt(policy, batch, x, new Array(n).fill(schedule[k]), new Array(n).fill(0));
          x = tf.sub(x, tf.mul(v, schedule[k] - schedule[k + 1])) as tf.Tensor4D;
          stateLoss = tf.add(stateLoss, relativeSquaredError(x, bestStates[k], residual, config.lossFloor));
        }
        const state = tf.div(stateLoss, steps) as tf.Scalar;
        const terminal = relativeSquaredError(x, batch.x0, residual, config.lossFloor);
        const fm = config.flowMatchingWeight > 0 ? flowMatchingLoss(policy, batch, draws, config.lossFloor) : tf.scalar(0);
        parts.state = state.dataSync()[0];
        parts.terminal = terminal.dataSync()[0];
        parts.flowMatching = fm.dataSync()[0];
        terms.push(tf.mul(state, config.stateWeight), tf.mul(terminal, config.terminalWeight), tf.mul(fm, config.flowMatchingWeight));
        return tf.addN(terms) as tf.Scalar;
      }, variables);
      optimizer.applyGradients(clipByGlobalNorm(grads, CLIP_NORM));
      return { loss: value.dataSync()[0], terms: { ...parts } };
    });
  } finally {
    disposeTrajectory(prefix);
    disposeDraws(draws);
    residual.dispose();
    if (forced) [forced.from, forced.to, forced.residual, forced.h, ...Object.values(forced.cond)].forEach((t) => t.dispose());
  }
}

function forcedSteps(batch: BatchTensors, bestStates: readonly tf.Tensor4D[], schedule: readonly number[], count: number) {
  const n = batch.y.shape[0];
  return tf.tidy(() => {
    const from = tf.concat([batch.start, ...bestStates.slice(0, count - 1)], 0) as tf.Tensor4D;
    const to = tf.concat(bestStates.slice(0, count), 0) as tf.Tensor4D;
    const t = Array.from({ length: count * n }, (_, i) => schedule[Math.floor(i / n)]);
    const h = tf.reshape(tf.tensor1d(t.map((ti, i) => ti - schedule[Math.floor(i / n) + 1])), [count * n, 1, 1, 1]) as tf.Tensor4D;
    const cond = { y: tf.tile(batch.y, [count, 1, 1, 1]) as tf.Tensor4D, start: tf.tile(batch.start, [count, 1, 1, 1]) as tf.Tensor4D, mask: tf.tile(batch.mask, [count, 1, 1, 1]) as tf.Tensor4D, prompt: tf.tile(batch.prompt, [count, 1]) as tf.Tensor2D };
    const residual = tf.tile(tf.sub(batch.start, batch.x0), [count, 1, 1, 1]) as tf.Tensor4D;
    return { from, to, t, h, cond, residual };
  });
}

function round(v: number, digits = 2): number {
  const f = 10 ** digits;
  return Math.round(v * f) / f;
}
