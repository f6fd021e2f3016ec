import * as tf from '@tensorflow/tfjs-core';
// The cpu backend for these tests' tensors.
import '@tensorflow/tfjs-backend-cpu';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveBackend } from '../backend/resolve-backend';
import { Rng } from '../common/rng';
import { loadWeights, readCard } from '../model/weights-store';
import { uniformSchedule } from '../sampler/schedule';
import { TINY_NETWORK } from '../testing/tiny-network';
import { disposeNetwork } from './network-copy';
import { makeTrainingFixture, saveFixtureWeights, type TrainingFixture } from '../testing/training-fixture';
import { rollOut, trainTrajectoryRl, type RlEval, type RlProgress, type TrajectoryRlOptions } from './trajectory-rl-trainer';
import { toBatchTensors, validationSamples, promptBags, makeSample } from './training-batch';
import { loadPhotos } from './photo-set';

describe('trainTrajectoryRl', () => {
  let fixture: TrainingFixture;
  let initial: string;
  beforeAll(async () => {
    await resolveBackend('wasm');
    fixture = await makeTrainingFixture();
    initial = await saveFixtureWeights(fixture.dir, TINY_NETWORK, fixture.tasks);
  });
  afterAll(() => rmSync(fixture.dir, { recursive: true, force: true }));

  const options = (over: Partial<TrajectoryRlOptions>): TrajectoryRlOptions => ({
    tasks: fixture.tasks,
    photosDir: fixture.photosDir,
    split: fixture.split,
    initialWeights: initial,
    outDir: join(fixture.dir, 'rl-out'),
    checkpointDir: join(fixture.dir, 'rl-ck'),
    resume: true,
    steps: 3,
    batchSize: 2,
    patchSize: 16,
    learningRate: 1e-3,
    rollouts: 3,
    rolloutSteps: 3,
    truncate: 2,
    seed: 5,
    checkpointEvery: 2,
    evalEvery: 3,
    engineVersion: '0.0.0',
    backend: 'wasm',
    ...over,
  });

  it('rolls out the ODE as rollout 0 and explores with the other rollouts', async () => {
    const { network } = loadWeights(initial);
    const photos = await loadPhotos(fixture.photosDir, ['p0.png']);
    const rng = new Rng(1);
    const bags = promptBags(fixture.tasks, TINY_NETWORK.promptBuckets);
    const batch = toBatchTensors([0, 1].map((t) => makeSample(fixture.tasks, t, photos[0], 16, rng)), bags);
    const schedule = uniformSchedule(3);
    const calm = rollOut(network, batch, schedule, { rollouts: 3, etaMax: 0, explorationNoise: 0.1, ssimWeight: 0 }, rng);
    expect(calm.meanGap).toBe(0);
    expect(calm.explored).toBe(0);
    calm.rewards.forEach((r) => r.forEach((v, b) => expect(v).toBeCloseTo(calm.rewards[0][b], 3)));
    const wild = rollOut(network, batch, schedule, { rollouts: 4, etaMax: 0.8, explorationNoise: 0.3, ssimWeight: 1 }, rng);
    expect(wild.bestStates).toHaveLength(3);
    expect(wild.bestStates[0].shape).toEqual([2, 16, 16, 3]);
    expect(wild.meanGap).toBeGreaterThanOrEqual(0);
    expect(new Set(wild.rewards.map((r) => r[0].toFixed(4))).size).toBeGreaterThan(1);
    // The ODE rollout is the deterministic trajectory whatever the others do: only the SSIM term differs.
    wild.rewards[0].forEach((v, b) => expect(Math.abs(v - calm.rewards[0][b])).toBeLessThanOrEqual(1));
    [...calm.bestStates, ...wild.bestStates].forEach((s) => s.dispose());
    Object.values(batch).forEach((t) => t.dispose());
    disposeNetwork(network);
  });

  it('trains, checkpoints, resumes and writes stage-rl weights', async () => {
    const progress: RlProgress[] = [];
    const evals: RlEval[] = [];
    const card = await trainTrajectoryRl(options({ onProgress: (p) => progress.push(p), onEval: (e) => evals.push(e) }));
    expect(progress.map((p) => p.step)).toEqual([1, 2, 3]);
    expect(progress.every((p) => Number.isFinite(p.loss) && Number.isFinite(p.meanReward) && p.meanGap >= 0)).toBe(true);
    expect(evals).toHaveLength(1);
    expect(Object.keys(evals[0].tasks).sort()).toEqual(['denoise', 'lowlight']);
    expect(card.stage).toBe('rl');
    expect(readCard(join(fixture.dir, 'rl-out')).stage).toBe('rl');
    // The policy moved away from the reference.
    const before = loadWeights(initial).network;
    const beforeTail = before.params['l0.tail.w'].dataSync().slice();
    disposeNetwork(before);
    const after = loadWeights(join(fixture.dir, 'rl-out')).network;
    const afterTail = after.params['l0.tail.w'].dataSync();
    expect(afterTail.some((v, i) => Math.abs(v - beforeTail[i]) > 1e-6)).toBe(true);
    disposeNetwork(after);
    // Resuming picks up at the last checkpoint (step 3) and runs the remaining step only.
    const resumed: number[] = [];
    await trainTrajectoryRl(options({ steps: 4, onProgress: (p) => resumed.push(p.step) }));
    expect(resumed).toEqual([4]);
    expect(tf.memory().numTensors).toBeLessThan(2000);
  });

  it('draws the step count per batch from the choices, down to a single step', async () => {
    const dir = join(fixture.dir, 'rl-choices');
    const progress: number[] = [];
    const card = await trainTrajectoryRl(
      options({ outDir: dir, checkpointDir: `${dir}-ck`, resume: false, steps: 3, rolloutStepChoices: [1, 2], lossFloor: 1e-4, onProgress: (p) => progress.push(p.step) }),
    );
    expect(progress).toEqual([1, 2, 3]);
    expect(card.stage).toBe('rl');
    expect((card.results.rlConfig as { lossFloor: number }).lossFloor).toBe(1e-4);
    await expect(trainTrajectoryRl(options({ lossFloor: 0 }))).rejects.toThrow('lossFloor must be positive');
    await expect(trainTrajectoryRl(options({ rolloutStepChoices: [0] }))).rejects.toThrow('rolloutStepChoices must be positive integers');
  });
});
