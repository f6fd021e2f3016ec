import * as tf from '@tensorflow/tfjs-core';
import type { VelocityNetwork } from '../model/velocity-network';

/**
 * Makes a network that was trained with d = 0 (stages 1 and 2) ignore the step size d, without
 * changing what it computes at d = 0.
 *
 * The conditioning MLP reads [embed(t), embed(d), prompt], embed(v) = [sin(pi f v), cos(pi f v)].
 * A teacher never saw d > 0, so a student that starts from it with step sizes as input starts from
 * an untrained regime: its first outputs for d > 0 are arbitrary and distillation spends its steps
 * repairing them (measured: -0.33 dB against the teacher after 300 steps). Here the rows of the first
 * layer that read embed(d) are zeroed and their contribution at d = 0 (the cos rows, cos 0 = 1) is
 * moved into the bias. The student then starts as the teacher for every d and learns how d should
 * change its jumps from the gradients that reach those rows.
 */
export function neutraliseStepSize(network: VelocityNetwork): void {
  const f = network.config.timeFrequencies;
  const w1 = network.params['cond.w1'];
  const b1 = network.params['cond.b1'];
  tf.tidy(() => {
    const [timeRows, sinRows, cosRows, promptRows] = tf.split(w1, [2 * f, f, f, w1.shape[0] - 4 * f], 0);
    b1.assign(tf.add(b1, tf.sum(cosRows, 0)));
    w1.assign(tf.concat([timeRows, tf.zerosLike(sinRows), tf.zerosLike(cosRows), promptRows], 0));
  });
}
