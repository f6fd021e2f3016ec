import * as tf from '@tensorflow/tfjs-core';
// The cpu backend for these tests' tensors.
import '@tensorflow/tfjs-backend-cpu';
import { createImage, type Image } from '../common/image';
import { Rng } from '../common/rng';
import type { TaskSpec } from '../common/task';
import { makeSample, toBatchTensors, zoomedCrop } from './training-batch';

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

describe('zoomed-out crops', () => {
  // A horizontal ramp from 0 to 255: the span of a crop's values tells how much of the photo it covers.
  const side = 200;
  const rgb = new Uint8Array(side * side * 3);
  for (let i = 0; i < side * side; i++) rgb.fill(Math.round(((i % side) / (side - 1)) * 255), i * 3, i * 3 + 3);
  const ramp = { name: 'ramp', width: side, height: side, rgb };
  const span = (image: Image) => Math.max(...image.data) - Math.min(...image.data);

  it('covers up to zoomOut times the side, shrunk to the side, never more than the photo', () => {
    const spans = Array.from({ length: 40 }, (_, seed) => {
      const crop = zoomedCrop(ramp, 32, new Rng(seed), 4);
      expect([crop.width, crop.height]).toEqual([32, 32]);
      return span(crop);
    });
    const plain = 31 / 199;
    expect(Math.min(...spans)).toBeGreaterThan(plain * 0.9);
    expect(Math.max(...spans)).toBeLessThan(plain * 4.1);
    expect(Math.max(...spans)).toBeGreaterThan(plain * 2.5);
    expect(span(zoomedCrop(ramp, 150, new Rng(1), 4))).toBeCloseTo(1, 1); // the whole photo, shrunk
  });

  it('leaves samples as they were without a zoom, and zooms about half of them with one', () => {
    const tasks = [task('plain')];
    const plainSpan = (zoom?: number) => (seed: number) => span(makeSample(tasks, 0, ramp, 32, new Rng(seed), zoom).x0);
    const seeds = Array.from({ length: 40 }, (_, i) => i);
    expect(seeds.map(plainSpan())).toEqual(seeds.map(plainSpan(1)));
    expect(seeds.map(plainSpan()).every((v) => Math.abs(v - 31 / 199) < 1e-2)).toBe(true);
    const zoomed = seeds.map(plainSpan(4)).filter((v) => v > (31 / 199) * 1.1).length;
    expect(zoomed).toBeGreaterThan(10);
    expect(zoomed).toBeLessThan(30);
  });
});
