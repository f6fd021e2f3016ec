import * as tf from '@tensorflow/tfjs';
import { DEFAULT_NETWORK } from './network-config';
import { VelocityNetwork, type NetworkInputs } from './velocity-network';

function inputs(side: number, buckets: number): NetworkInputs {
  return {
    xt: tf.randomUniform([1, side, side, 3], -1, 1, 'float32', 1) as tf.Tensor4D,
    y: tf.randomUniform([1, side, side, 3], -1, 1, 'float32', 2) as tf.Tensor4D,
    mask: tf.zeros([1, side, side, 1]) as tf.Tensor4D,
    t: tf.tensor1d([0.7]),
    d: tf.tensor1d([0.2]),
    prompt: tf.oneHot([3], buckets).toFloat() as tf.Tensor2D,
  };
}

describe('VelocityNetwork.infer', () => {
  const network = VelocityNetwork.create(DEFAULT_NETWORK, 3);
  const x = inputs(128, DEFAULT_NETWORK.promptBuckets);
  afterAll(() => {
    Object.values(x).forEach((t) => t.dispose());
    Object.values(network.params).forEach((p) => p.dispose());
  });

  it('computes exactly what apply computes', () => {
    const a = network.apply(x);
    const b = network.infer(x);
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    a.dispose();
    b.dispose();
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
