import * as tf from '@tensorflow/tfjs-core';
// The cpu backend for these tests' tensors.
import '@tensorflow/tfjs-backend-cpu';
import { createImage, type Image } from '../common/image';
import { Rng } from '../common/rng';
import type { TaskSpec } from '../common/task';
import { makeSample, toBatchTensors } from './training-batch';

const photo = { name: 'flat', width: 32, height: 32, rgb: new Uint8Array(32 * 32 * 3).fill(128) };
const task = (id: string, start?: (y: Image) => Image): TaskSpec =>
  ({
    id,
    prompt: id,
    trainingParams: () => ({}),
    degrade: (clean: Image) => ({ input: createImage(clean.width, clean.height, 3, clean.data.map((v) => v * 0.5)) }),
    prepare: (input: Image) => ({ y: input, ...(start ? { start: start(input) } : {}) }),
    baseline: (input: Image) => input,
  }) as unknown as TaskSpec;

describe('training batches', () => {
  const tasks = [task('plain'), task('started', (y) => createImage(y.width, y.height, 3, y.data.map((v) => v + 0.25)))];

  it("start the path at the task's start when it gives one, else at y", () => {
    const samples = [makeSample(tasks, 0, photo, 16, new Rng(1)), makeSample(tasks, 1, photo, 16, new Rng(2))];
    expect(samples[0].start).toBeUndefined();
    expect(samples[1].start?.data[0]).toBeCloseTo(128 / 255 / 2 + 0.25);
    const batch = toBatchTensors(samples, [new Float32Array(4), new Float32Array(4)]);
    const y = batch.y.arraySync();
    const start = batch.start.arraySync();
    expect(start[0]).toEqual(y[0]);
    expect(start[1][0][0][0]).toBeCloseTo((128 / 255 / 2 + 0.25) * 2 - 1);
    expect(y[1][0][0][0]).toBeCloseTo(128 / 255 - 1);
    Object.values(batch).forEach((t: tf.Tensor) => t.dispose());
  });

  it('refuses a start of another size than the patch', () => {
    const bad = [task('bad', () => createImage(8, 8, 3))];
    expect(() => makeSample(bad, 0, photo, 16, new Rng(3))).toThrow(/start for a 16px patch/);
  });
});
