import * as tf from '@tensorflow/tfjs-core';
// The cpu backend for these tests' tensors.
import '@tensorflow/tfjs-backend-cpu';
import { DEFAULT_NETWORK } from '../model/network-config';
import { VelocityNetwork, type NetworkInputs } from '../model/velocity-network';
import { neutraliseStepSize } from './step-size-conditioning';

function inputs(d: number): NetworkInputs {
  return {
    xt: tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 1) as tf.Tensor4D,
    y: tf.randomUniform([1, 32, 32, 3], -1, 1, 'float32', 2) as tf.Tensor4D,
    mask: tf.zeros([1, 32, 32, 1]) as tf.Tensor4D,
    t: tf.tensor1d([0.6]),
    d: tf.tensor1d([d]),
    prompt: tf.cast(tf.oneHot([5], DEFAULT_NETWORK.promptBuckets), 'float32') as tf.Tensor2D,
  };
}

function maxDifference(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
}

describe('neutraliseStepSize', () => {
  const network = VelocityNetwork.create(DEFAULT_NETWORK, 5);
  // Fresh FiLM and output layers are (near) zero; give them values so that d would matter.
  for (const [name, param] of Object.entries(network.params)) {
    if (name.includes('.film.') || name.includes('tail') || name.startsWith('cond.b')) {
      param.assign(tf.randomNormal(param.shape, 0, 0.3, 'float32', name.length));
    }
  }
  afterAll(() => Object.values(network.params).forEach((p) => p.dispose()));

  it('keeps the output at d = 0 and makes it the same for every d', () => {
    const atZero = inputs(0);
    const atHalf = inputs(0.5);
    const before0 = network.apply(atZero);
    const before5 = network.apply(atHalf);
    expect(maxDifference(before0, before5)).toBeGreaterThan(1e-3);
    neutraliseStepSize(network);
    const after0 = network.apply(atZero);
    const after5 = network.apply(atHalf);
    const scale = tf.tidy(() => tf.max(tf.abs(before0)).dataSync()[0]);
    expect(maxDifference(after0, before0)).toBeLessThan(1e-5 * Math.max(1, scale));
    expect(maxDifference(after5, after0)).toBe(0);
    [...Object.values(atZero), ...Object.values(atHalf), before0, before5, after0, after5].forEach((t) => t.dispose());
  });
});
