import * as tf from '@tensorflow/tfjs-core';
// The cpu backend for these tests' tensors.
import '@tensorflow/tfjs-backend-cpu';
import { DEFAULT_NETWORK } from './network-config';
import { VelocityNetwork, type NetworkInputs } from './velocity-network';

function inputs(side: number, buckets: number): NetworkInputs {
  return {
    xt: tf.randomUniform([1, side, side, 3], -1, 1, 'float32', 1) as tf.Tensor4D,
    y: tf.randomUniform([1, side, side, 3], -1, 1, 'float32', 2) as tf.Tensor4D,
    mask: tf.zeros([1, side, side, 1]) as tf.Tensor4D,
    t: tf.tensor1d([0.7]),
    d: tf.tensor1d([0.2]),
    prompt: tf.cast(tf.oneHot([3], buckets), 'float32') as tf.Tensor2D,
  };
}

describe('VelocityNetwork.infer', () => {
  const network = VelocityNetwork.create(DEFAULT_NETWORK, 3);
  // Trained weights modulate every block and have an output layer; fresh ones start both at zero.
  for (const [name, param] of Object.entries(network.params)) {
    if (name.includes('.film.') || name.includes('tail')) param.assign(tf.randomNormal(param.shape, 0, 0.3, 'float32', name.length));
  }
  const x = inputs(128, DEFAULT_NETWORK.promptBuckets);
  afterAll(() => {
    Object.values(x).forEach((t) => t.dispose());
    Object.values(network.params).forEach((p) => p.dispose());
  });

  it('computes what apply computes, with the modulation folded into the convolutions', () => {
    const a = network.apply(x);
    const b = network.infer(x);
    const diff = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
    const size = tf.max(tf.abs(a)).dataSync()[0];
    expect(size).toBeGreaterThan(0.1);
    expect(diff).toBeLessThan(1e-4 * size);
    a.dispose();
    b.dispose();
  });

  it('takes its three image inputs already joined', () => {
    const joined = tf.concat([x.xt, x.y, x.mask], 3) as tf.Tensor4D;
    const a = network.infer(x);
    const b = network.infer({ joined, t: x.t, d: x.d, prompt: x.prompt });
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    [joined, a, b].forEach((t) => t.dispose());
  });

  it('frees its joined input when the caller releases it, and computes the same', () => {
    const joined = tf.concat([x.xt, x.y, x.mask], 3) as tf.Tensor4D;
    const kept = network.infer({ joined, t: x.t, d: x.d, prompt: x.prompt });
    const released = network.infer({ joined, t: x.t, d: x.d, prompt: x.prompt, release: true });
    expect(joined.isDisposed).toBe(true);
    expect(Array.from(released.dataSync())).toEqual(Array.from(kept.dataSync()));
    [kept, released].forEach((t) => t.dispose());
  });

  it('leaves only its output behind and needs far less memory at its peak', async () => {
    const before = tf.memory().numTensors;
    // tf.profile reuses its info object, so each peak is read before the next profile.
    const inferred = await tf.profile(() => network.infer(x));
    const inferredPeak = inferred.peakBytes;
    (inferred.result as tf.Tensor).dispose();
    const applied = await tf.profile(() => network.apply(x));
    const appliedPeak = applied.peakBytes;
    (applied.result as tf.Tensor).dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(inferredPeak).toBeLessThan(appliedPeak * 0.6);
  });
});
