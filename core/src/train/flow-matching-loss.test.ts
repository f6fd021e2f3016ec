import * as tf from '@tensorflow/tfjs-core';
// The cpu backend for these tests' tensors.
import '@tensorflow/tfjs-backend-cpu';
import { RELATIVE_LOSS_FLOOR, relativeSquaredError } from './flow-matching-loss';

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
