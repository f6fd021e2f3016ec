import * as tf from '@tensorflow/tfjs-core';
// The cpu backend for these tests' tensors.
import '@tensorflow/tfjs-backend-cpu';
import { Rng } from '../common/rng';
import { VelocityNetwork } from '../model/velocity-network';
import { TINY_NETWORK } from '../testing/tiny-network';
import { InProcessStepper, type TileStepRequest } from './tile-stepper';

function request(side: number, rng: Rng, withEstimate: boolean): TileStepRequest {
  const plane = (channels: number) => Float32Array.from({ length: side * side * channels }, () => rng.uniform(-1, 1));
  const bag = new Float32Array(TINY_NETWORK.promptBuckets);
  bag[5] = 1;
  return { xs: plane(3), ys: plane(3), ms: plane(1), width: side, height: side, t: 0.75, tNext: 0.25, d: 0.5, bag, withEstimate };
}

describe('InProcessStepper', () => {
  const network = VelocityNetwork.create(TINY_NETWORK, 5);
  for (const [name, param] of Object.entries(network.params)) {
    if (name.includes('.film.') || name.includes('tail')) param.assign(tf.randomNormal(param.shape, 0, 0.3, 'float32', 9));
  }
  const stepper = new InProcessStepper(network);
  afterAll(() => stepper.dispose());

  it('takes the Euler step and the preview of the network velocity', async () => {
    const r = request(16, new Rng(3), true);
    const { xs, ys, ms } = { xs: r.xs.slice(), ys: r.ys, ms: r.ms };
    const v = tf.tidy(() =>
      network.apply({
        xt: tf.tensor4d(xs, [1, 16, 16, 3]),
        y: tf.tensor4d(ys, [1, 16, 16, 3]),
        mask: tf.tensor4d(ms, [1, 16, 16, 1]),
        t: tf.tensor1d([r.t]),
        d: tf.tensor1d([r.d]),
        prompt: tf.tensor2d(r.bag, [1, r.bag.length]),
      }),
    );
    const velocity = v.dataSync();
    v.dispose();
    const result = await stepper.step(r);
    let stepError = 0;
    let estimateError = 0;
    for (let i = 0; i < xs.length; i++) {
      stepError = Math.max(stepError, Math.abs(result.stepped[i] - (xs[i] - 0.5 * velocity[i])));
      estimateError = Math.max(estimateError, Math.abs((result.estimate as Float32Array)[i] - (xs[i] - 0.75 * velocity[i])));
    }
    expect(stepError).toBeLessThan(1e-5);
    expect(estimateError).toBeLessThan(1e-5);
  });

  it('leaves out the preview unless asked and frees every tensor it made', async () => {
    const before = tf.memory().numTensors;
    const result = await stepper.step(request(8, new Rng(4), false));
    expect(result.estimate).toBeUndefined();
    expect(result.stepped).toHaveLength(8 * 8 * 3);
    expect(tf.memory().numTensors).toBe(before);
  });
});
