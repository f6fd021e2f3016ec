import * as tf from '@tensorflow/tfjs-core';
// The cpu backend for these tests' tensors.
import '@tensorflow/tfjs-backend-cpu';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveBackend } from '../backend/resolve-backend';
import { isValidSchedule } from '../sampler/schedule';
import { readCard } from '../model/weights-store';
import { TINY_NETWORK } from '../testing/tiny-network';
import { distillStudent, type DistillEval, type DistillationOptions } from './cost-aware-distillation';
import { loadWeightsCopy, disposeNetwork } from './network-copy';
import { loadPhotos } from './photo-set';
import { calibrateSchedules, scheduleIndices, type TaskCalibration } from './schedule-calibration';
import { measureTrajectories, ablationMeans } from './trajectory-ablation';
import { promptBags, validationSamples } from './training-batch';
import { makeTrainingFixture, saveFixtureWeights, type TrainingFixture } from '../testing/training-fixture';

describe('cost-aware distillation', () => {
  let fixture: TrainingFixture;
  let initial: string;
  beforeAll(async () => {
    await resolveBackend('wasm');
    fixture = await makeTrainingFixture();
    initial = await saveFixtureWeights(fixture.dir, TINY_NETWORK, fixture.tasks, 2);
  });
  afterAll(() => rmSync(fixture.dir, { recursive: true, force: true }));

  const options = (over: Partial<DistillationOptions>): DistillationOptions => ({
    tasks: fixture.tasks,
    photosDir: fixture.photosDir,
    split: fixture.split,
    initialWeights: initial,
    outDir: join(fixture.dir, 'd-out'),
    checkpointDir: join(fixture.dir, 'd-ck'),
    resume: true,
    steps: 3,
    batchSize: 2,
    patchSize: 16,
    learningRate: 1e-3,
    teacherSteps: 8,
    budgets: [1, 2, 4],
    calibrationPerTask: 2,
    seed: 3,
    checkpointEvery: 2,
    evalEvery: 3,
    engineVersion: '0.0.0',
    backend: 'wasm',
    ...over,
  });

  it('calibrates a cost matrix and DP schedules per task', async () => {
    const { network } = loadWeightsCopy(initial);
    const photos = await loadPhotos(fixture.photosDir, ['p0.png', 'p1.png']);
    const bags = promptBags(fixture.tasks, TINY_NETWORK.promptBuckets);
    const samples = validationSamples(fixture.tasks, photos, 2, 16, 9);
    const calibration = calibrateSchedules(network, fixture.tasks, samples, bags, { teacherSteps: 8, budgets: [1, 2, 3, 4, 6, 8] });
    expect(Object.keys(calibration).sort()).toEqual(['denoise', 'lowlight']);
    for (const c of Object.values(calibration)) {
      expect(c.samples).toBe(2);
      expect(c.cost).toHaveLength(9);
      for (let i = 0; i < 8; i++) expect(c.cost[i][i + 1]).toBeLessThan(1e-8); // one teacher step costs nothing
      expect(Object.keys(c.schedules)).toEqual(['1', '2', '3', '4', '6', '8']);
      for (const [k, s] of Object.entries(c.schedules)) {
        expect(isValidSchedule(s)).toBe(true);
        expect(s).toHaveLength(Number(k) + 1);
        expect(scheduleIndices(s, 8)).toEqual(c.selections[k].indices);
        if (c.selections[k].uniformCost !== undefined) expect(c.selections[k].cost).toBeLessThanOrEqual(c.selections[k].uniformCost! + 1e-12);
      }
      expect(c.selections['8'].cost).toBeLessThan(1e-8);
    }
    disposeNetwork(network);
  });

  it('distils, checkpoints, resumes and writes a distill card with the selected schedules', async () => {
    const evals: DistillEval[] = [];
    let calibrated: Record<string, TaskCalibration> | undefined;
    const card = await distillStudent(options({ onEval: (e) => evals.push(e), onCalibrated: (c) => (calibrated = c) }));
    expect(card.stage).toBe('distill');
    expect(calibrated).toBeDefined();
    expect(card.schedules.denoise).toEqual(calibrated!.denoise.schedules);
    expect(Object.keys(card.schedules.lowlight)).toEqual(['1', '2', '4']);
    expect(evals).toHaveLength(1);
    expect(Object.keys(evals[0].budgets)).toEqual(['1', '2', '4']);
    expect(Number.isFinite(evals[0].budgets['2'].denoise.student)).toBe(true);
    const resumed: number[] = [];
    let recalibrated = false;
    await distillStudent(options({ steps: 4, onProgress: (p) => resumed.push(p.step), onCalibrated: () => (recalibrated = true) }));
    expect(resumed).toEqual([4]);
    expect(recalibrated).toBe(false);
    expect(readCard(join(fixture.dir, 'd-out')).schedules.denoise).toEqual(card.schedules.denoise);
  });

  it('measures the ablation of the three stages', async () => {
    const stage1 = loadWeightsCopy(initial);
    const stage2 = loadWeightsCopy(initial);
    const stage3 = loadWeightsCopy(join(fixture.dir, 'd-out'));
    const photos = await loadPhotos(fixture.photosDir, ['p2.png']);
    const samples = validationSamples(fixture.tasks, photos, 1, 16, 4);
    const rows = measureTrajectories({ stage1, stage2, stage3 }, fixture.tasks, samples, [1, 2], { teacherSteps: 8 });
    const denoise = rows.denoise.map((r) => `${r.variant}@${r.steps}`);
    expect(denoise).toEqual(['stage1-uniform@1', 'stage1-uniform@2', 'stage1-uniform@8', 'stage2-uniform@1', 'stage2-uniform@2', 'stage2-uniform@8', 'stage3-distilled@1', 'stage3-distilled@2', 'stage3-distilled@4']);
    // Same weights and schedules for stages 1 and 2 here: same numbers.
    expect(rows.denoise[0].psnr).toBeCloseTo(rows.denoise[3].psnr, 5);
    expect(rows.denoise[8].schedule).toEqual(stage3.card.schedules.denoise['4']);
    expect(rows.denoise.every((r) => Number.isFinite(r.psnr) && r.ms >= 0)).toBe(true);
    expect(ablationMeans(rows)).toHaveLength(9);
    [stage1, stage2, stage3].forEach((s) => disposeNetwork(s.network));
    expect(tf.memory().numTensors).toBeLessThan(2000);
  });
});
