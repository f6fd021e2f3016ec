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

  it("prepares a task's whole context before cutting the patch, the same cut from clean, y and start", () => {
    // A gradient photo, and a prepare whose y is the input minus the mean of the whole image it sees.
    const ramp = { name: 'ramp', width: 64, height: 64, rgb: Uint8Array.from({ length: 64 * 64 * 3 }, (_, i) => Math.floor(i / 3 / 64) * 4) };
    const seen: number[] = [];
    const global = {
      ...task('global'),
      context: 48,
      degrade: (clean: Image) => ({ input: clean }),
      prepare: (input: Image) => {
        seen.push(input.width);
        const mean = input.data.reduce((a, b) => a + b, 0) / input.data.length;
        return { y: createImage(input.width, input.height, 3, input.data.map((v) => v - mean)), start: createImage(input.width, input.height, 3, input.data.slice()) };
      },
    } as TaskSpec;
    const sample = makeSample([global], 0, ramp, 16, new Rng(4));
    expect(seen).toEqual([48]);
    expect([sample.x0.width, sample.y.width, sample.start?.width]).toEqual([16, 16, 16]);
    // start is the clean context untouched: the same pixels as x0; y is x0 shifted by the context's mean.
    expect(Array.from(sample.start?.data ?? [])).toEqual(Array.from(sample.x0.data));
    const shift = sample.x0.data[0] - sample.y.data[0];
    expect(sample.y.data.every((v, i) => Math.abs(sample.x0.data[i] - v - shift) < 1e-6)).toBe(true);
    // A context larger than the photo falls back to the photo's side.
    expect(makeSample([{ ...global, context: 4096 } as TaskSpec], 0, ramp, 16, new Rng(5)).x0.width).toBe(16);
    expect(seen[1]).toBe(64);
  });

  it('refuses a start of another size than the patch', () => {
    const bad = [task('bad', () => createImage(8, 8, 3))];
    expect(() => makeSample(bad, 0, photo, 16, new Rng(3))).toThrow(/start for a 16px crop/);
  });
});
