import * as tf from '@tensorflow/tfjs-core';
import type { VelocityNetwork } from '../model/velocity-network';
import { eulerStep } from '../sampler/euler-step';
import type { BatchTensors } from './training-batch';

/** Runs the deterministic trajectory (eps = 0: the path starts at its start, usually y) over a schedule on a batch. */
export function sampleBatch(network: VelocityNetwork, batch: BatchTensors, schedule: readonly number[]): tf.Tensor4D {
  const n = batch.y.shape[0];
  let x = tf.clone(batch.start);
  for (let k = 0; k + 1 < schedule.length; k++) {
    const next = tf.tidy(() => {
      const t = tf.fill([n], schedule[k]) as tf.Tensor1D;
      const v = network.apply({ xt: x, y: batch.y, mask: batch.mask, t, d: tf.zerosLike(t), prompt: batch.prompt });
      return eulerStep(x, v, schedule[k], schedule[k + 1]);
    });
    x.dispose();
    x = next;
  }
  return x;
}

/** PSNR in dB of images in [-1, 1] (clipped), as if on a 0..255 scale. */
export function tensorPsnr(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => {
    const diff = tf.sub(tf.clipByValue(a, -1, 1), tf.clipByValue(b, -1, 1));
    const mse = tf.mean(tf.square(diff)).dataSync()[0] / 4;
    return 10 * Math.log10(1 / Math.max(mse, 1e-12));
  });
}
