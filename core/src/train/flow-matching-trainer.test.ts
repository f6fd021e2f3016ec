import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { resolveBackend } from '../backend/resolve-backend';
import { TINY_NETWORK } from '../testing/tiny-network';
import { Rng } from '../common/rng';
import { drawTimes } from './flow-matching-loss';
import { trainFlowMatching, type FlowMatchingOptions } from './flow-matching-trainer';
import { listPhotos } from './photo-set';
import { makeTrainingFixture, type TrainingFixture } from '../testing/training-fixture';

describe('stage 1: flow matching', () => {
  let fixture: TrainingFixture;
  beforeAll(async () => {
    await resolveBackend('wasm');
    fixture = await makeTrainingFixture();
  });
  afterAll(() => rmSync(fixture.dir, { recursive: true, force: true }));

  const options = (steps: number, resume: boolean): FlowMatchingOptions => ({
    tasks: fixture.tasks,
    photosDir: fixture.photosDir,
    split: fixture.split,
    outDir: join(fixture.dir, 'out'),
    checkpointDir: join(fixture.dir, 'checkpoint'),
    resume,
    steps,
    batchSize: 2,
    patchSize: 16,
    learningRate: 1e-3,
    startNoise: 0.02,
    endpointL1: 0.5,
    seed: 3,
    checkpointEvery: 2,
    evalEvery: 3,
    engineVersion: '1.0.0',
    backend: 'wasm',
    network: TINY_NETWORK,
  });

  it('refuses an empty or missing photo folder with E_DATA', () => {
    const empty = join(fixture.dir, 'empty');
    mkdirSync(empty);
    expect(() => listPhotos(empty, { validation: [] })).toThrow(/^E_DATA: no training photos in .*empty: the folder has no PNG/);
    expect(() => listPhotos(join(fixture.dir, 'nowhere'), { validation: [] })).toThrow(/^E_DATA/);
  });

  it('holds the validation split out of training', () => {
    expect(listPhotos(fixture.photosDir, fixture.split)).toEqual({ train: ['p0.png', 'p1.png'], validation: ['p2.png'] });
  });

  it('trains, checkpoints, and resumes from the last checkpoint without starting over', async () => {
    const seen: number[] = [];
    const evals: number[] = [];
    const first = await trainFlowMatching({ ...options(3, false), onProgress: (p) => seen.push(p.step), onEval: (e) => evals.push(e.step) });
    expect(seen).toEqual([1, 2, 3]);
    expect(evals).toEqual([3]);
    expect(first.training.steps).toBe(3);
    const state = JSON.parse(readFileSync(join(fixture.dir, 'checkpoint', 'state.json'), 'utf8')) as { step: number };
    expect(state.step).toBe(3);

    const resumed: number[] = [];
    const card = await trainFlowMatching({ ...options(5, true), onProgress: (p) => resumed.push(p.step) });
    expect(resumed).toEqual([4, 5]);
    expect(card.training.steps).toBe(5);
    expect(card.training.validationPhotos).toEqual(['p2.png']);
    expect(existsSync(join(fixture.dir, 'out', 'weights.bin'))).toBe(true);
    expect(Object.keys(card.prompts)).toEqual(['denoise', 'lowlight']);
  });

  it('draws the share of times at t = 1 it is given, the rest uniform below 1', () => {
    const times = drawTimes(4000, new Rng(11), 0.7);
    const ones = times.filter((t) => t === 1).length / times.length;
    expect(ones).toBeGreaterThan(0.67);
    expect(ones).toBeLessThan(0.73);
    expect(times.every((t) => t >= 0 && t <= 1)).toBe(true);
    expect(drawTimes(100, new Rng(2), 0).some((t) => t === 1)).toBe(false);
    expect(drawTimes(100, new Rng(2), 1).every((t) => t === 1)).toBe(true);
  });

  it('refuses a share of times at t = 1 outside [0, 1]', async () => {
    await expect(trainFlowMatching({ ...options(1, false), startShare: 1.2 })).rejects.toThrow('must be in [0, 1], got 1.2');
  });
});
