import * as tf from '@tensorflow/tfjs-core';

/**
 * The marginal-preserving modulated SDE step of docs/method.md §3 on the path
 * x_t = (1 - t) x0 + t (y + s eps). With x0_hat = x_t - t v and
 * eps_hat = (x_t - (1 - t) x0_hat - t y) / (t s), a step from t to t' < t is
 *
 *   x_t' = (1 - t') x0_hat + t' y + t' s (sqrt(1 - eta^2) eps_hat + eta xi),   xi ~ N(0, I).
 *
 * eta = 0 is exactly the Euler step x_t - (t - t') v. The transition is Gaussian with mean the
 * eta-dependent drift and standard deviation t' s eta per sample.
 *
 * Note that s * eps_hat = x_t + (1 - t) v - y does not depend on s: the scale only sets the injected
 * noise t' s eta xi. Passing a scale larger than the training start noise therefore explores further
 * with the same drift (the "exploration noise" of stage 2).
 */
export interface SdeStepInputs {
  readonly xt: tf.Tensor4D;
  readonly v: tf.Tensor4D;
  readonly y: tf.Tensor4D;
  readonly t: number;
  readonly tNext: number;
  /** The noise scale s (the start-noise scale, or a larger exploration scale). */
  readonly scale: number;
  /** The modulation strength in [0, 1], one per sample or one for the batch. */
  readonly eta: number | readonly number[];
  /** The standard normal draw xi, same shape as xt; omitted means xi = 0 (the mean of the step). */
  readonly xi?: tf.Tensor4D;
}

export interface SdeStepResult {
  readonly next: tf.Tensor4D;
  /** The mean of the transition (the next state with xi = 0). */
  readonly mean: tf.Tensor4D;
  /** Per sample, the standard deviation t' s eta of the transition. */
  readonly std: number[];
  /**
   * Per sample, log N(next; mean, std^2 I) summed over the sample's values. A deterministic transition
   * (std = 0: eta = 0 or t' = 0) is a point mass and gets 0.
   */
  readonly logProb: number[];
}

export function sdeStep(inputs: SdeStepInputs): SdeStepResult {
  const { xt, v, y, t, tNext, scale } = inputs;
  if (!(tNext < t)) throw new RangeError(`the SDE step goes from t to tNext < t, got ${t} -> ${tNext}`);
  const n = xt.shape[0];
  const etas = typeof inputs.eta === 'number' ? new Array<number>(n).fill(inputs.eta) : [...inputs.eta];
  if (etas.length !== n) throw new RangeError(`eta has ${etas.length} values for a batch of ${n}`);
  if (etas.some((e) => !(e >= 0 && e <= 1))) throw new RangeError('eta must be in [0, 1]');
  const std = etas.map((e) => tNext * scale * e);
  const [next, mean] = tf.tidy(() => {
    const x0Hat = tf.sub(xt, tf.mul(v, t));
    // s * eps_hat, computed without dividing by t * s: x_t - (1 - t) x0_hat - t y = t (x_t + (1 - t) v - y).
    const sEpsHat = tf.sub(tf.add(xt, tf.mul(v, 1 - t)), y);
    const keep = tf.reshape(tf.tensor1d(etas.map((e) => tNext * Math.sqrt(1 - e * e))), [n, 1, 1, 1]);
    const m = tf.add(tf.add(tf.mul(x0Hat, 1 - tNext), tf.mul(y, tNext)), tf.mul(sEpsHat, keep)) as tf.Tensor4D;
    if (!inputs.xi || std.every((s) => s === 0)) return [tf.clone(m), m];
    const noise = tf.mul(inputs.xi, tf.reshape(tf.tensor1d(std), [n, 1, 1, 1]));
    return [tf.add(m, noise) as tf.Tensor4D, m];
  });
  return { next, mean, std, logProb: gaussianLogProb(next, mean, std) };
}

/**
 * Per sample, log N(x; mean, std_b^2 I) summed over every value of the sample; 0 where std_b = 0
 * (a point mass, as for the deterministic Euler step).
 */
export function gaussianLogProb(x: tf.Tensor4D, mean: tf.Tensor4D, std: readonly number[]): number[] {
  const n = x.shape[0];
  const dims = x.size / n;
  const sq = tf.tidy(() => tf.sum(tf.reshape(tf.square(tf.sub(x, mean)), [n, dims]), 1).dataSync());
  return std.map((s, b) => (s > 0 ? -0.5 * sq[b] / (s * s) - dims * (Math.log(s) + 0.5 * Math.log(2 * Math.PI)) : 0));
}
