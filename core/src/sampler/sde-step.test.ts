import * as tf from '@tensorflow/tfjs-core';
// The cpu backend for these tests' tensors.
import '@tensorflow/tfjs-backend-cpu';
import { eulerStep } from './euler-step';
import { gaussianLogProb, sdeStep } from './sde-step';

const shape: [number, number, number, number] = [3, 5, 4, 3];
const rand = (seed: number) => tf.randomNormal(shape, 0, 0.5, 'float32', seed) as tf.Tensor4D;

describe('sdeStep', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('with eta = 0 equals the Euler step', () => {
    const [xt, v, y, xi] = [rand(1), rand(2), rand(3), rand(4)];
    for (const [t, tNext, scale] of [[1, 0.75, 0.02], [0.6, 0.1, 0.02], [0.3, 0, 0.5], [0.9, 0.89, 0.001]]) {
      const { next, std, logProb } = sdeStep({ xt, v, y, t, tNext, scale, eta: 0, xi });
      const euler = eulerStep(xt, v, t, tNext);
      expect(tf.max(tf.abs(tf.sub(next, euler))).dataSync()[0]).toBeLessThan(1e-5);
      expect(std).toEqual([0, 0, 0]);
      expect(logProb).toEqual([0, 0, 0]);
    }
  });

  it('follows the formula of docs/method.md §3 for eta > 0', () => {
    const [xt, v, y, xi] = [rand(5), rand(6), rand(7), rand(8)];
    const [t, tNext, s] = [0.8, 0.5, 0.1];
    const eta = [0, 0.3, 0.9];
    const { next, std } = sdeStep({ xt, v, y, t, tNext, scale: s, eta, xi });
    const x0Hat = tf.sub(xt, tf.mul(v, t));
    const epsHat = tf.div(tf.sub(tf.sub(xt, tf.mul(x0Hat, 1 - t)), tf.mul(y, t)), t * s);
    const e = tf.reshape(tf.tensor1d(eta), [3, 1, 1, 1]);
    const mix = tf.add(tf.mul(epsHat, tf.sqrt(tf.sub(1, tf.square(e)))), tf.mul(xi, e));
    const expected = tf.add(tf.add(tf.mul(x0Hat, 1 - tNext), tf.mul(y, tNext)), tf.mul(mix, tNext * s));
    expect(tf.max(tf.abs(tf.sub(next, expected))).dataSync()[0]).toBeLessThan(1e-4);
    expect(std[1]).toBeCloseTo(tNext * s * 0.3, 10);
  });

  it('gives the Gaussian log-probability of the transition', () => {
    const [xt, v, y, xi] = [rand(9), rand(10), rand(11), rand(12)];
    const { next, mean, std, logProb } = sdeStep({ xt, v, y, t: 0.7, tNext: 0.4, scale: 0.05, eta: [0.2, 0.5, 1], xi });
    const xiData = xi.arraySync().map((s) => s.flat(2));
    const dims = 5 * 4 * 3;
    std.forEach((sd, b) => {
      const expected = xiData[b].reduce((acc, z) => acc - 0.5 * z * z - Math.log(sd) - 0.5 * Math.log(2 * Math.PI), 0);
      expect(logProb[b]).toBeCloseTo(expected, 2);
      expect(dims).toBe(xiData[b].length);
    });
    // The mean itself is the most likely next state.
    const atMean = gaussianLogProb(mean, mean, std);
    atMean.forEach((lp, b) => expect(lp).toBeGreaterThan(logProb[b]));
    expect(tf.max(tf.abs(tf.sub(tf.sub(next, mean), tf.mul(xi, tf.reshape(tf.tensor1d(std), [3, 1, 1, 1]))))).dataSync()[0]).toBeLessThan(1e-5);
  });

  it('refuses a step that does not go down in time or an eta outside [0, 1]', () => {
    const x = rand(13);
    expect(() => sdeStep({ xt: x, v: x, y: x, t: 0.5, tNext: 0.5, scale: 0.1, eta: 0 })).toThrow(RangeError);
    expect(() => sdeStep({ xt: x, v: x, y: x, t: 0.5, tNext: 0.2, scale: 0.1, eta: 1.5 })).toThrow(RangeError);
  });
});
