import * as tf from '@tensorflow/tfjs-core';
import type { VelocityNetwork } from '../model/velocity-network';

/**
 * One network evaluation on one tile and the Euler step it gives; arrays are [-1, 1] NHWC with N = 1.
 * xs, ys and ms belong to this request alone: a stepper may take them over (move them to a worker).
 */
export interface TileStepRequest {
  readonly xs: Float32Array;
  readonly ys: Float32Array;
  readonly ms: Float32Array;
  readonly width: number;
  readonly height: number;
  readonly t: number;
  readonly tNext: number;
  /** Step-size input of the network (0 for the stage-1 teacher path). */
  readonly d: number;
  readonly bag: Float32Array;
  readonly withEstimate: boolean;
}

export interface TileStepResult {
  /** x_{t'} = x_t - (t - t') v. */
  readonly stepped: Float32Array;
  /** x0_hat = x_t - t v, when asked for. */
  readonly estimate?: Float32Array;
}

/** Runs tile steps: in this thread, or spread over worker threads (see worker-pool-stepper). */
export interface TileStepper {
  /** How many tile steps may usefully be in flight at once. */
  readonly concurrency: number;
  step(request: TileStepRequest): Promise<TileStepResult>;
  dispose(): void;
}

/** The network's velocity on one tile, [H*W*3] interleaved. */
export async function tileVelocity(network: VelocityNetwork, r: TileStepRequest): Promise<Float32Array> {
  const v = tf.tidy(() =>
    network.infer({
      joined: tf.tensor4d(joinChannels(r), [1, r.height, r.width, 7]),
      t: tf.tensor1d([r.t]),
      d: tf.tensor1d([r.d]),
      prompt: tf.tensor2d(r.bag, [1, r.bag.length]),
      release: true,
    }),
  );
  try {
    return (await v.data()) as Float32Array;
  } finally {
    v.dispose();
  }
}

/**
 * The Euler step `x_t - (t - t') v` and, when asked for, the preview `x0_hat = x_t - t v`, on the CPU.
 * The step is written over `r.xs`, which belongs to this request alone.
 */
export function eulerTileStep(r: TileStepRequest, v: Float32Array): TileStepResult {
  const { xs, t } = r;
  const d = t - r.tNext;
  let estimate: Float32Array | undefined;
  if (r.withEstimate) {
    estimate = new Float32Array(xs.length);
    for (let i = 0; i < xs.length; i++) estimate[i] = xs[i] - t * v[i];
  }
  for (let i = 0; i < xs.length; i++) xs[i] -= d * v[i];
  return { stepped: xs, estimate };
}

/** x_t, y and the mask interleaved per pixel: the network's 7-channel input. */
function joinChannels(r: TileStepRequest): Float32Array {
  const pixels = r.width * r.height;
  const joined = new Float32Array(pixels * 7);
  const { xs, ys, ms } = r;
  for (let i = 0, j = 0; i < pixels; i++, j += 7) {
    const k = i * 3;
    joined[j] = xs[k];
    joined[j + 1] = xs[k + 1];
    joined[j + 2] = xs[k + 2];
    joined[j + 3] = ys[k];
    joined[j + 4] = ys[k + 1];
    joined[j + 5] = ys[k + 2];
    joined[j + 6] = ms[i];
  }
  return joined;
}

/** Steps tiles on the current thread's backend. */
export class InProcessStepper implements TileStepper {
  readonly concurrency = 1;

  constructor(private readonly network: VelocityNetwork) {}

  async step(request: TileStepRequest): Promise<TileStepResult> {
    return eulerTileStep(request, await tileVelocity(this.network, request));
  }

  dispose(): void {
    Object.values(this.network.params).forEach((p) => p.dispose());
  }
}

/**
 * One step so that the backend compiles its kernels before the first real image. At the full tile
 * side it also grows the wasm heap to what the largest tile needs: done during the first image
 * instead, that growth cost about a second of a 1-megapixel restore.
 */
export async function warmUp(stepper: TileStepper, buckets: number, side = 64): Promise<void> {
  const plane = (channels: number) => new Float32Array(side * side * channels);
  await stepper.step({ xs: plane(3), ys: plane(3), ms: plane(1), width: side, height: side, t: 1, tNext: 0, d: 0, bag: new Float32Array(buckets), withEstimate: false });
}
