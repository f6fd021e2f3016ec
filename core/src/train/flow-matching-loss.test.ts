import * as tf from '@tensorflow/tfjs-core';
// The cpu backend for these tests' tensors.
import '@tensorflow/tfjs-backend-cpu';
import { lowPassBlock, RELATIVE_LOSS_FLOOR, relativeSquaredError, worseLowPassPenalty, worseThanStartPenalty } from './flow-matching-loss';

/** A batch of two 4 x 4 samples: the first with a large residual, the second nearly clean. */
function batch(values: [number, number]): tf.Tensor4D {
  return tf.concat([tf.fill([1, 4, 4, 3], values[0]), tf.fill([1, 4, 4, 3], values[1])], 0) as tf.Tensor4D;
}

function loss(error: [number, number], residual: [number, number], floor?: number): number {
  return tf.tidy(() => relativeSquaredError(batch(error), tf.zeros([2, 4, 4, 3]), batch(residual), floor).dataSync()[0]);
}

describe('relativeSquaredError', () => {
  it('is each sample’s squared error over its residual power plus the floor, averaged over the batch', () => {
    const expected = (0.01 / (0.25 + RELATIVE_LOSS_FLOOR) + 0.0001 / (0.0001 + RELATIVE_LOSS_FLOOR)) / 2;
    expect(loss([0.1, 0.01], [0.5, 0.01])).toBeCloseTo(expected, 6);
  });

  it('counts a small error on a nearly clean sample more when the floor is lower', () => {
    // An error of 1/255 (2/255 in [-1, 1]) on a sample whose residual is as small.
    const small = 2 / 255;
    const atDefault = loss([0, small], [0.5, small]);
    const atLowFloor = loss([0, small], [0.5, small], 1e-5);
    expect(atLowFloor / atDefault).toBeGreaterThan(10);
    // A large residual is barely affected by the floor.
    expect(loss([0.1, 0], [0.5, 0.01], 1e-5) / loss([0.1, 0], [0.5, 0.01])).toBeCloseTo(1, 2);
  });

  it('refuses a floor that is not positive', () => {
    expect(() => loss([0, 0], [0, 0], 0)).toThrow('must be positive');
  });
});

describe('worseThanStartPenalty', () => {
  const penalty = (v: [number, number], target: [number, number]) =>
    tf.tidy(() => worseThanStartPenalty(batch(v), batch(target)).dataSync()[0]);

  it('is zero while every estimate is at least as close to the clean image as the start', () => {
    expect(penalty([0.5, 0.01], [0.5, 0.01])).toBe(0); // exact
    expect(penalty([0.3, 0], [0.5, 0.01])).toBe(0); // partial corrections, and none at all
  });

  it('charges only the samples that land farther than their start, relative to their residual', () => {
    // The first sample overshoots to an error of 0.6 where the start's was 0.5; the second is exact.
    const scale = 0.25 + RELATIVE_LOSS_FLOOR;
    expect(penalty([1.1, 0.01], [0.5, 0.01])).toBeCloseTo((0.36 / scale - 0.25 / scale) / 2, 6);
    // The wrong direction costs more than the same size of correction in the right one.
    expect(penalty([-0.5, 0.01], [0.5, 0.01])).toBeGreaterThan(penalty([1.1, 0.01], [0.5, 0.01]));
  });
});

describe('worseLowPassPenalty', () => {
  /** A 16 x 16 sample: a flat offset plus a +-amplitude checkerboard of 1 px cells (fine detail only). */
  const sample = (offset: number, amplitude: number): tf.Tensor4D =>
    tf.tidy(() => {
      const checker = Array.from({ length: 16 * 16 * 3 }, (_, i) => ((Math.floor(i / 3) % 16) + Math.floor(i / 48)) % 2 ? 1 : -1);
      return tf.add(tf.mul(tf.tensor4d(checker, [1, 16, 16, 3]), amplitude), offset) as tf.Tensor4D;
    });
  const penalty = (v: tf.Tensor4D, target: tf.Tensor4D) => tf.tidy(() => worseLowPassPenalty(v, target).dataSync()[0]);
  const whole = (v: tf.Tensor4D, target: tf.Tensor4D) => tf.tidy(() => worseThanStartPenalty(v, target).dataSync()[0]);

  it('charges a wrong overall brightness that a detail gain hides from the whole-patch hinge', () => {
    // Target: the start is 0.1 too bright and carries 0.3 of detail noise. The estimate removes the
    // noise but shifts the brightness by 0.2 the wrong way: closer overall, farther once averaged.
    const target = sample(0.1, 0.3);
    const v = sample(-0.1, 0.3);
    expect(whole(v, target)).toBe(0);
    expect(penalty(v, target)).toBeGreaterThan(1);
  });

  it('is zero for corrections that move the block means toward the clean image, whatever the detail does', () => {
    expect(penalty(sample(0.05, 0), sample(0.1, 0.3))).toBe(0);
    expect(penalty(sample(0.1, -0.3), sample(0.1, 0.3))).toBe(0); // detail made worse, means exact
  });

  it('averages 16 px cells where the patch allows it, 8 px otherwise, and refuses other sides', () => {
    expect(lowPassBlock(96)).toBe(16);
    expect(lowPassBlock(72)).toBe(8);
    expect(() => lowPassBlock(90)).toThrow('multiple of 8');
  });
});
