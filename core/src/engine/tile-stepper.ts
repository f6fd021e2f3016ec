import * as tf from '@tensorflow/tfjs';
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

export function computeTileStep(network: VelocityNetwork, r: TileStepRequest): { stepped: tf.Tensor; estimate?: tf.Tensor } {
  return tf.tidy(() => {
    const xt = tf.tensor4d(r.xs, [1, r.height, r.width, 3]);
    const v = network.infer({
      xt,
      y: tf.tensor4d(r.ys, [1, r.height, r.width, 3]),
      mask: tf.tensor4d(r.ms, [1, r.height, r.width, 1]),
      t: tf.tensor1d([r.t]),
      d: tf.tensor1d([r.d]),
      prompt: tf.tensor2d(r.bag, [1, r.bag.length]),
    });
    const stepped = tf.sub(xt, tf.mul(v, r.t - r.tNext));
    return r.withEstimate ? { stepped, estimate: tf.sub(xt, tf.mul(v, r.t)) } : { stepped };
  });
}

/** Steps tiles on the current thread's backend. */
export class InProcessStepper implements TileStepper {
  readonly concurrency = 1;

  constructor(private readonly network: VelocityNetwork) {}

  async step(request: TileStepRequest): Promise<TileStepResult> {
    const { stepped, estimate } = computeTileStep(this.network, request);
    try {
      return {
        stepped: (await stepped.data()) as Float32Array,
        estimate: estimate ? ((await estimate.data()) as Float32Array) : undefined,
      };
    } finally {
      stepped.dispose();
      estimate?.dispose();
    }
  }

  dispose(): void {
    Object.values(this.network.params).forEach((p) => p.dispose());
  }
}

/** One small step so that the backend compiles its kernels before the first real image. */
export async function warmUp(stepper: TileStepper, buckets: number): Promise<void> {
  const side = 64;
  const plane = (channels: number) => new Float32Array(side * side * channels);
  await stepper.step({ xs: plane(3), ys: plane(3), ms: plane(1), width: side, height: side, t: 1, tNext: 0, d: 0, bag: new Float32Array(buckets), withEstimate: false });
}
