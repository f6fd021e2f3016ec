import * as tf from '@tensorflow/tfjs-core';

/**
 * The deterministic step of the trajectory and the endpoint estimate, on the straight path
 * x_t = (1 - t) x0 + t z1 with velocity v = z1 - x0.
 */

/** x0_hat = x_t - t * v: the progressive preview at any state. */
export function endpointEstimate(xt: tf.Tensor4D, v: tf.Tensor4D, t: number): tf.Tensor4D {
  return tf.tidy(() => tf.sub(xt, tf.mul(v, t)));
}

/** One Euler step from t to tNext < t. */
export function eulerStep(xt: tf.Tensor4D, v: tf.Tensor4D, t: number, tNext: number): tf.Tensor4D {
  return tf.tidy(() => tf.sub(xt, tf.mul(v, t - tNext)));
}
