import * as tf from '@tensorflow/tfjs-core';
import { cropImage, type Image } from '../common/image';
import { resize } from '../image/resize';
import { Rng } from '../common/rng';
import type { TaskSpec } from '../common/task';
import { promptBag } from '../model/prompt-encoder';
import { randomCrop, type Photo } from './photo-set';

/** One clean patch, its degraded condition at the same size, and which task made it. */
export interface TrainingSample {
  readonly x0: Image;
  readonly y: Image;
  readonly mask?: Image;
  /** The path's start when it is not y (PreparedInput.start). */
  readonly start?: Image;
  readonly task: number;
}

/**
 * One training sample from a photo. `zoomOut` > 1: half the samples see the photo shrunk by a factor
 * drawn log-uniformly from 1 to `zoomOut` (area filter), as if taken from farther away or with a
 * smaller sensor: the same photos then show their textures and edges at several scales, and the
 * shrinking also takes out the photo's own slight blur and noise.
 */
export function makeSample(tasks: readonly TaskSpec[], task: number, photo: Photo, patch: number, rng: Rng, zoomOut = 1): TrainingSample {
  const spec = tasks[task];
  // The task's context (when it has one) is degraded and prepared whole, then the patch is cut from it.
  const side = Math.max(patch, Math.min(spec.context ?? patch, photo.width, photo.height));
  const clean = zoomOut > 1 && rng.chance(0.5) ? zoomedCrop(photo, side, rng, zoomOut) : randomCrop(photo, side, rng);
  const params = spec.trainingParams(rng);
  const degraded = spec.degrade(clean, rng, params);
  const prepared = spec.prepare(degraded.input, params, degraded.mask);
  if (prepared.y.width !== side || prepared.y.height !== side || prepared.y.channels !== 3) {
    throw new Error(`task ${spec.id} prepared a ${prepared.y.width}x${prepared.y.height}x${prepared.y.channels} y for a ${side}px crop`);
  }
  const { start } = prepared;
  if (start && (start.width !== side || start.height !== side || start.channels !== 3)) {
    throw new Error(`task ${spec.id} prepared a ${start.width}x${start.height}x${start.channels} start for a ${side}px crop`);
  }
  if (side === patch) return { x0: clean, y: prepared.y, mask: prepared.mask, start, task };
  const x = rng.int(0, side - patch + 1);
  const y = rng.int(0, side - patch + 1);
  const cut = (image: Image) => cropImage(image, x, y, patch, patch);
  return { x0: cut(clean), y: cut(prepared.y), mask: prepared.mask && cut(prepared.mask), start: start && cut(start), task };
}

/** A crop of up to `zoomOut` times `side` (as much as the photo has), shrunk to `side` by area averaging. */
export function zoomedCrop(photo: Photo, side: number, rng: Rng, zoomOut: number): Image {
  const region = Math.min(Math.round(side * rng.logUniform(1, zoomOut)), photo.width, photo.height);
  const crop = randomCrop(photo, region, rng);
  return region === side ? crop : resize(crop, side, side, 'area');
}

/** The tensors of a batch, images in [-1, 1]. */
export interface BatchTensors {
  readonly x0: tf.Tensor4D;
  readonly y: tf.Tensor4D;
  readonly mask: tf.Tensor4D;
  readonly prompt: tf.Tensor2D;
  /** The path's start: y, or the task's classical estimate (PreparedInput.start). */
  readonly start: tf.Tensor4D;
}

export function toBatchTensors(samples: readonly TrainingSample[], bags: readonly Float32Array[]): BatchTensors {
  const n = samples.length;
  const { width, height } = samples[0].x0;
  const pixels = width * height;
  const x0 = new Float32Array(n * pixels * 3);
  const y = new Float32Array(n * pixels * 3);
  const start = new Float32Array(n * pixels * 3);
  const mask = new Float32Array(n * pixels);
  const prompt = new Float32Array(n * bags[0].length);
  samples.forEach((s, i) => {
    for (let j = 0; j < pixels * 3; j++) {
      x0[i * pixels * 3 + j] = s.x0.data[j] * 2 - 1;
      y[i * pixels * 3 + j] = s.y.data[j] * 2 - 1;
      start[i * pixels * 3 + j] = (s.start ?? s.y).data[j] * 2 - 1;
    }
    if (s.mask) mask.set(s.mask.data, i * pixels);
    prompt.set(bags[s.task], i * bags[0].length);
  });
  return {
    x0: tf.tensor4d(x0, [n, height, width, 3]),
    y: tf.tensor4d(y, [n, height, width, 3]),
    mask: tf.tensor4d(mask, [n, height, width, 1]),
    prompt: tf.tensor2d(prompt, [n, bags[0].length]),
    start: tf.tensor4d(start, [n, height, width, 3]),
  };
}

export function promptBags(tasks: readonly TaskSpec[], buckets: number): Float32Array[] {
  return tasks.map((t) => promptBag(t.prompt, buckets));
}

/** A fixed set of held-out samples (same seed every time) to watch PSNR while training. */
export function validationSamples(
  tasks: readonly TaskSpec[],
  photos: readonly Photo[],
  perTask: number,
  patch: number,
  seed: number,
): TrainingSample[] {
  const samples: TrainingSample[] = [];
  tasks.forEach((_, task) => {
    for (let i = 0; i < perTask; i++) {
      const rng = new Rng(seed + task * 1000 + i);
      samples.push(makeSample(tasks, task, photos[(task + i * tasks.length) % photos.length], patch, rng));
    }
  });
  return samples;
}
