import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import sharp from 'sharp';
import { cloneImage } from '../common/image';
import type { TaskSpec } from '../common/task';
import type { NetworkConfig } from '../model/network-config';
import { VelocityNetwork } from '../model/velocity-network';
import { saveWeights } from '../model/weights-store';
import type { WeightsCard } from '../model/weights-card';
import type { PhotoSplit } from '../train/photo-set';

/** Test support for the training stages: a folder of small synthetic photos, two toy tasks, weights. */
export interface TrainingFixture {
  readonly dir: string;
  readonly photosDir: string;
  readonly split: PhotoSplit;
  readonly tasks: TaskSpec[];
}

export async function makeTrainingFixture(size = 48): Promise<TrainingFixture> {
  const dir = mkdtempSync(join(tmpdir(), 'fluxir-train-'));
  const photosDir = join(dir, 'photos');
  mkdirSync(photosDir);
  for (let p = 0; p < 3; p++) {
    const rgb = Buffer.alloc(size * size * 3);
    for (let y = 0; y < size; y++)
      for (let x = 0; x < size; x++)
        for (let c = 0; c < 3; c++) rgb[(y * size + x) * 3 + c] = Math.round(127 + 100 * Math.sin((x * (p + 1)) / 7 + c) * Math.cos(y / (5 + p)));
    await sharp(rgb, { raw: { width: size, height: size, channels: 3 } }).png().toFile(join(photosDir, `p${p}.png`));
  }
  const noise: TaskSpec = {
    id: 'denoise',
    prompt: 'remove noise',
    trainingParams: () => ({}),
    degrade: (clean, rng) => {
      const o = cloneImage(clean);
      for (let i = 0; i < o.data.length; i++) o.data[i] = Math.min(1, Math.max(0, o.data[i] + rng.normal() * 0.1));
      return { input: o };
    },
    prepare: (input) => ({ y: input }),
    baseline: (i) => i,
  };
  const dim: TaskSpec = {
    id: 'lowlight',
    prompt: 'brighten dark photo',
    trainingParams: () => ({}),
    degrade: (clean) => {
      const o = cloneImage(clean);
      for (let i = 0; i < o.data.length; i++) o.data[i] *= 0.5;
      return { input: o };
    },
    prepare: (input) => ({ y: input }),
    baseline: (i) => i,
  };
  return { dir, photosDir, split: { validation: ['p2.png'] }, tasks: [noise, dim] };
}

export function fixtureCard(stage: string, tasks: readonly TaskSpec[]): Omit<WeightsCard, 'files'> {
  return {
    engineVersion: '0.0.0',
    createdAt: '',
    stage,
    prompts: Object.fromEntries(tasks.map((t) => [t.id, t.prompt])),
    startNoise: 0.02,
    schedules: Object.fromEntries(tasks.map((t) => [t.id, {}])),
    training: { photos: '', trainPhotos: [], validationPhotos: [], steps: 0, batchSize: 0, patchSize: 0, seconds: 0, backend: '' },
    results: {},
  };
}

/** Saves a freshly initialised network (with a non-zero output layer) as stage-1 weights. */
export async function saveFixtureWeights(dir: string, config: NetworkConfig, tasks: readonly TaskSpec[], seed = 1): Promise<string> {
  const network = VelocityNetwork.create(config, seed);
  const tail = network.params['l0.tail.w'];
  tail.assign(tf.add(tail, 0.05));
  const out = join(dir, `weights-${seed}`);
  await saveWeights(out, network, fixtureCard('flow-matching', tasks));
  Object.values(network.params).forEach((p) => p.dispose());
  return out;
}
