import * as tf from '@tensorflow/tfjs-core';
import type { Rng } from '../common/rng';
import type { VelocityNetwork } from '../model/velocity-network';
import type { BatchTensors } from './training-batch';

/** The share of samples drawn at the path's start, t = 1, unless a trainer is told otherwise. */
export const DEFAULT_START_SHARE = 0.3;

/**
 * The stage-1 flow-matching loss (docs/method.md §2) as a regulariser for stages 2 and 3: random t, the
 * path x_t = (1 - t) x0 + t (start + s eps) (start: y unless the task gives one), the velocity error relative to each sample's residual
 * power (as stage 1 measures it), with d = 0 so that the teacher's behaviour is kept. Call it inside
 * the function given to tf.variableGrads; the random draws are made outside it by `flowMatchingDraws`.
 */
export interface FlowMatchingDraws {
  readonly t: tf.Tensor1D;
  readonly xt: tf.Tensor4D;
  readonly target: tf.Tensor4D;
}

/** Times: 1 (the path's start) with probability `share`, else uniform in [0, 1). */
export function drawTimes(n: number, rng: Rng, share: number): number[] {
  return Array.from({ length: n }, () => (rng.chance(share) ? 1 : rng.next()));
}

export function flowMatchingDraws(batch: BatchTensors, rng: Rng, startNoise: number, startShare = DEFAULT_START_SHARE): FlowMatchingDraws {
  const n = batch.x0.shape[0];
  const times = drawTimes(n, rng, startShare);
  return tf.tidy(() => {
    const t = tf.tensor1d(times);
    const t4 = tf.reshape(t, [n, 1, 1, 1]);
    const eps = tf.randomNormal(batch.y.shape, 0, 1, 'float32', rng.int(0, 2 ** 31));
    const z1 = tf.add(batch.start, tf.mul(eps, startNoise));
    const xt = tf.add(tf.mul(batch.x0, tf.sub(1, t4)), tf.mul(z1, t4)) as tf.Tensor4D;
    return { t, xt, target: tf.sub(z1, batch.x0) as tf.Tensor4D };
  });
}

export function flowMatchingLoss(
  network: VelocityNetwork,
  batch: BatchTensors,
  draws: FlowMatchingDraws,
  floor: number = RELATIVE_LOSS_FLOOR,
): tf.Scalar {
  return tf.tidy(() => {
    const v = network.apply({ xt: draws.xt, y: batch.y, mask: batch.mask, t: draws.t, d: tf.zerosLike(draws.t), prompt: batch.prompt });
    return relativeSquaredError(v, draws.target, draws.target, floor);
  });
}

/**
 * The floor added to each sample's residual power in relative losses: 1e-3 is an rms of about
 * 4/255 in [-1, 1]. Errors far below the floor on nearly clean samples (a flat photo's inpainting
 * hole, a smooth photo's super-resolution) barely count; a lower floor makes them count.
 */
export const RELATIVE_LOSS_FLOOR = 1e-3;

/**
 * mean_b [ mean ||a_b - b_b||^2 / (mean ||ref_b||^2 + floor) ]: each sample's squared error measured
 * against the size of its own residual, so that tasks with large corrections (low light, haze) do not
 * drown the fine ones (noise, blur); a log-PSNR-like weighting.
 */
export function relativeSquaredError(a: tf.Tensor4D, b: tf.Tensor4D, reference: tf.Tensor4D, floor: number = RELATIVE_LOSS_FLOOR): tf.Scalar {
  return tf.tidy(() => tf.mean(relativeErrors(a, b, reference, floor).error) as tf.Scalar);
}

/** Per sample: mean ||a_b - b_b||^2 and mean ||ref_b||^2, each over (mean ||ref_b||^2 + floor). */
function relativeErrors(a: tf.Tensor4D, b: tf.Tensor4D, reference: tf.Tensor4D, floor: number): { error: tf.Tensor1D; reference: tf.Tensor1D } {
  if (!(floor > 0)) throw new RangeError(`the relative-loss floor must be positive, got ${floor}`);
  return tf.tidy(() => {
    const power = tf.mean(tf.square(reference), [1, 2, 3]);
    const scale = tf.add(power, floor);
    return { error: tf.div(tf.mean(tf.square(tf.sub(a, b)), [1, 2, 3]), scale) as tf.Tensor1D, reference: tf.div(power, scale) as tf.Tensor1D };
  });
}

/**
 * mean_b max(0, e_b - s_b) with e_b the relative squared error of v against the target and s_b that of
 * the start itself (v = 0): a hinge that only acts on samples whose estimate x0_hat = x_t - t v lands
 * farther from the clean image than the path's start, so that a correction is learnt to be small where
 * it cannot be right rather than only right on average.
 */
export function worseThanStartPenalty(v: tf.Tensor4D, target: tf.Tensor4D, floor: number = RELATIVE_LOSS_FLOOR): tf.Scalar {
  return tf.tidy(() => {
    // The start's own error (v = 0) is the target's power, measured the same way.
    const { error, reference } = relativeErrors(v, target, target, floor);
    return tf.mean(tf.relu(tf.sub(error, reference))) as tf.Scalar;
  });
}

/**
 * The block side of `worseLowPassPenalty`: 16 px where the patch side allows it, else 8. */
export function lowPassBlock(side: number): number {
  if (side % 16 === 0) return 16;
  if (side % 8 === 0) return 8;
  throw new RangeError(`the low-pass penalty needs a patch side that is a multiple of 8, got ${side}`);
}

/** Each block x block cell of x replaced by its mean: [B, H/b, W/b, C]. */
function blockMeans(x: tf.Tensor4D, block: number): tf.Tensor4D {
  const [n, h, w, c] = x.shape;
  const cells = tf.reshape(x, [n, h / block, block, w / block, block * c]);
  const rows = tf.mean(cells, 2); // [n, h/b, w/b, b*c]
  return tf.mean(tf.reshape(rows, [n, h / block, w / block, block, c]), 3) as tf.Tensor4D;
}

/**
 * `worseThanStartPenalty` on the block means of the estimate (16 px cells): a hinge on samples whose
 * brightness and colour, once fine detail is averaged out, land farther from the clean image than the
 * start's did. A correction whose detail gain outweighs a wrong overall brightness still pays here,
 * where the whole-patch hinge lets it through; this is the error of haze and low-light corrections on
 * crops that do not show how bright they should be (a sky, a wall).
 */
export function worseLowPassPenalty(v: tf.Tensor4D, target: tf.Tensor4D, floor: number = RELATIVE_LOSS_FLOOR): tf.Scalar {
  return tf.tidy(() => {
    const block = lowPassBlock(v.shape[1]);
    if (v.shape[2] % block !== 0) throw new RangeError(`the low-pass penalty needs a patch width that is a multiple of ${block}, got ${v.shape[2]}`);
    return worseThanStartPenalty(blockMeans(v, block), blockMeans(target, block), floor);
  });
}

export function disposeDraws(draws: FlowMatchingDraws): void {
  draws.t.dispose();
  draws.xt.dispose();
  draws.target.dispose();
}
