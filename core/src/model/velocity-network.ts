import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../common/rng';
import type { NetworkConfig } from './network-config';

/** The inputs of one evaluation of `v_theta(x_t, t, d, y, mask, prompt)`; images NHWC in [-1, 1]. */
export interface NetworkInputs {
  readonly xt: tf.Tensor4D;
  readonly y: tf.Tensor4D;
  /** 1 where the pixel is to be filled; zeros for tasks without a mask. */
  readonly mask: tf.Tensor4D;
  /** [B] times in [0, 1]. */
  readonly t: tf.Tensor1D;
  /** [B] step sizes (0 for the stage-1 teacher). */
  readonly d: tf.Tensor1D;
  /** [B, buckets] prompt bags (see prompt-encoder). */
  readonly prompt: tf.Tensor2D;
}

/**
 * The same evaluation with x_t, y and the mask already joined channel-last into one [B,H,W,7] tensor
 * (a caller that builds its input on the CPU joins it there far faster than a concat kernel).
 */
export interface JoinedNetworkInputs {
  readonly joined: tf.Tensor4D;
  readonly t: tf.Tensor1D;
  readonly d: tf.Tensor1D;
  readonly prompt: tf.Tensor2D;
  /** `infer` may free `joined` once its first convolution has read it (the caller needs it no more). */
  readonly release?: boolean;
}

export type NetworkParams = Record<string, tf.Variable>;

/**
 * A compact conditional U-Net: space-to-depth levels, residual blocks with per-block scale and shift
 * from the conditioning vector (sinusoidal time and step-size embeddings plus the prompt embedding).
 */
export class VelocityNetwork {
  constructor(
    readonly config: NetworkConfig,
    readonly params: NetworkParams,
  ) {}

  static create(config: NetworkConfig, seed = 1): VelocityNetwork {
    const rng = new Rng(seed);
    const params: NetworkParams = {};
    for (const [name, shape, init] of parameterShapes(config)) {
      const size = shape.reduce((a, b) => a * b, 1);
      const values = new Float32Array(size);
      if (init > 0) for (let i = 0; i < size; i++) values[i] = rng.normal() * init;
      params[name] = tf.variable(tf.tensor(values, shape), true);
    }
    return new VelocityNetwork(config, params);
  }

  parameterCount(): number {
    return Object.values(this.params).reduce((n, p) => n + p.size, 0);
  }

  /** Multiply-adds per output pixel of one evaluation (convolutions only). */
  macsPerPixel(): number {
    let macs = 0;
    for (const [name, shape] of parameterShapes(this.config)) {
      if (shape.length !== 4) continue;
      const level = Number(/^l(\d+)/.exec(name)?.[1] ?? 0);
      macs += shape.reduce((a, b) => a * b, 1) / 4 ** level;
    }
    return macs;
  }

  apply(inputs: NetworkInputs): tf.Tensor4D {
    return tf.tidy(() => this.forward(inputs, false));
  }

  /**
   * The same computation as `apply`, for inference only: each stage's intermediates are freed as soon
   * as the next stage has them (a skip connection lives until the decoder consumes it), so a tile's
   * peak memory is a few feature maps rather than every one. Gradients cannot flow through it.
   */
  infer(inputs: NetworkInputs | JoinedNetworkInputs): tf.Tensor4D {
    return this.forward(inputs, true);
  }

  /** The U-Net; `lean` runs each stage in its own scope and frees its input once it is consumed. */
  private forward(inputs: NetworkInputs | JoinedNetworkInputs, lean: boolean): tf.Tensor4D {
    const p = this.params;
    const { channels, encoderBlocks, decoderBlocks } = this.config;
    const deepest = channels.length - 1;
    const skips: tf.Tensor4D[] = [];
    const scoped = <T extends tf.Tensor>(f: () => T): T => (lean ? tf.tidy(f) : f());
    const cond = scoped(() => this.condition(inputs));
    const joined = () => ('joined' in inputs ? inputs.joined : tf.concat([inputs.xt, inputs.y, inputs.mask], 3));
    let h = scoped(() => conv(joined(), p['l0.head.w'], p['l0.head.b']));
    if (lean && 'joined' in inputs && inputs.release) inputs.joined.dispose();
    const advance = (stage: (x: tf.Tensor4D) => tf.Tensor4D) => {
      const previous = h;
      h = scoped(() => stage(previous));
      if (lean && !skips.includes(previous)) previous.dispose();
    };
    try {
      for (let level = 0; level <= deepest; level++) {
        if (level > 0) advance((x) => conv(spaceToDepth(x), p[`l${level}.down.w`], p[`l${level}.down.b`]));
        for (let b = 0; b < encoderBlocks[level]; b++) advance((x) => this.block(x, cond, `l${level}.enc${b}`, lean));
        skips.push(h);
      }
      for (let level = deepest - 1; level >= 0; level--) {
        const skip = skips[level];
        advance((x) => (lean ? this.leanUp(x, skip, level) : tf.add(depthToSpace(conv(x, p[`l${level + 1}.up.w`], p[`l${level + 1}.up.b`])), skip)));
        if (lean) skips[level + 1].dispose();
        for (let b = 0; b < decoderBlocks[level]; b++) advance((x) => this.block(x, cond, `l${level}.dec${b}`, lean));
      }
      advance((x) => conv(leaky(x), p['l0.tail.w'], p['l0.tail.b']));
      return h;
    } finally {
      if (lean) [...skips, cond].forEach((t) => t.dispose());
    }
  }

  /**
   * The way up to `level`, freeing each map as soon as the next is made: the stage's input once
   * convolved, the convolution once spread to the finer grid, the skip once added. At the finest
   * level these maps are the largest of a tile, and this is where its memory peaks.
   */
  private leanUp(x: tf.Tensor4D, skip: tf.Tensor4D, level: number): tf.Tensor4D {
    const p = this.params;
    const up = conv(x, p[`l${level + 1}.up.w`], p[`l${level + 1}.up.b`]);
    x.dispose();
    const spread = tf.tidy(() => depthToSpace(up));
    up.dispose();
    const sum = tf.add(spread, skip) as tf.Tensor4D;
    spread.dispose();
    skip.dispose();
    return sum;
  }

  private condition(inputs: Pick<NetworkInputs, 't' | 'd' | 'prompt'>): tf.Tensor2D {
    const p = this.params;
    const f = this.config.timeFrequencies;
    const freqs = tf.tensor2d(
      Array.from({ length: f }, (_, k) => Math.PI * (this.config.maxTimeFrequency ?? 1000) ** (k / Math.max(1, f - 1))),
      [1, f],
    );
    const embed = (v: tf.Tensor1D) => {
      const angles = tf.matMul(tf.reshape(v, [-1, 1]), freqs);
      return tf.concat([tf.sin(angles), tf.cos(angles)], 1);
    };
    const promptVec = tf.relu(dense(tf.matMul(inputs.prompt, p['prompt.table'] as tf.Tensor2D), p['prompt.w'], p['prompt.b']));
    const joined = tf.concat([embed(inputs.t), embed(inputs.d), promptVec], 1) as tf.Tensor2D;
    const hidden = tf.relu(dense(joined, p['cond.w1'], p['cond.b1']));
    return tf.relu(dense(hidden, p['cond.w2'], p['cond.b2']));
  }

  private block(h: tf.Tensor4D, cond: tf.Tensor2D, name: string, fold: boolean): tf.Tensor4D {
    const p = this.params;
    const c = h.shape[3];
    const film = dense(cond, p[`${name}.film.w`], p[`${name}.film.b`]);
    if (fold && h.shape[0] === 1) {
      // One image: its scale and shift are constants, folded into the first convolution, whose bias
      // and activation then run inside the convolution kernel instead of as three passes over the map:
      // conv(h, w) * (1 + s) + t = conv(h, w * (1 + s)) + (b * (1 + s) + t).
      const [scale, shift] = tf.split(film, 2, 1).map((t) => tf.reshape(t, [c]));
      const gain = tf.add(scale, 1);
      const filter = tf.mul(p[`${name}.w1`], gain) as tf.Tensor4D;
      const bias = tf.add(tf.mul(p[`${name}.b1`], gain), shift);
      const a = tf.fused.conv2d({ x: h, filter, strides: 1, pad: 'same', bias, activation: 'leakyrelu', leakyreluAlpha: LEAK });
      return tf.add(h, conv(a, p[`${name}.w2`], p[`${name}.b2`])) as tf.Tensor4D;
    }
    const [scale, shift] = tf.split(film, 2, 1).map((t) => tf.reshape(t, [-1, 1, 1, c]) as tf.Tensor4D);
    let a = conv(h, p[`${name}.w1`], p[`${name}.b1`]);
    a = leaky(tf.add(tf.mul(a, tf.add(scale, 1)), shift) as tf.Tensor4D);
    a = conv(a, p[`${name}.w2`], p[`${name}.b2`]);
    return tf.add(h, a) as tf.Tensor4D;
  }
}

function conv(x: tf.Tensor4D, w: tf.Tensor, b: tf.Tensor): tf.Tensor4D {
  return tf.fused.conv2d({ x, filter: w as tf.Tensor4D, strides: 1, pad: 'same', bias: b });
}

/**
 * Leaky rather than plain ReLU: with plain ReLU the large early gradients of global tasks (low light,
 * haze) switched off most full-resolution channels for good, and fine tasks fell back to identity.
 */
const LEAK = 0.1;

function leaky(x: tf.Tensor4D): tf.Tensor4D {
  return tf.leakyRelu(x, LEAK);
}

function dense(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor): tf.Tensor2D {
  return tf.add(tf.matMul(x, w as tf.Tensor2D), b);
}

/** [B,H,W,C] -> [B,H/2,W/2,4C], exact and differentiable through reshape and transpose. */
export function spaceToDepth(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const rows = tf.transpose(tf.reshape(x, [(b * h) / 2, 2, w / 2, 2 * c]), [0, 2, 1, 3]);
  return tf.reshape(rows, [b, h / 2, w / 2, 4 * c]);
}

/** The inverse of spaceToDepth. */
export function depthToSpace(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const rows = tf.transpose(tf.reshape(x, [b * h, w, 2, c / 2]), [0, 2, 1, 3]);
  return tf.reshape(rows, [b, h * 2, w * 2, c / 4]);
}

/** Every parameter: name, shape and initial standard deviation (0 = zeros). */
export function parameterShapes(config: NetworkConfig): Array<[string, number[], number]> {
  const { channels, encoderBlocks, decoderBlocks, condDim, timeFrequencies, promptBuckets, promptDim } = config;
  const he = (fanIn: number) => Math.sqrt(2 / fanIn);
  const out: Array<[string, number[], number]> = [
    ['prompt.table', [promptBuckets, promptDim], 1],
    ['prompt.w', [promptDim, promptDim], he(promptDim)],
    ['prompt.b', [promptDim], 0],
    ['cond.w1', [4 * timeFrequencies + promptDim, condDim], he(4 * timeFrequencies + promptDim)],
    ['cond.b1', [condDim], 0],
    ['cond.w2', [condDim, condDim], he(condDim)],
    ['cond.b2', [condDim], 0],
    ['l0.head.w', [3, 3, config.inChannels, channels[0]], he(9 * config.inChannels)],
    ['l0.head.b', [channels[0]], 0],
    ['l0.tail.w', [3, 3, channels[0], 3], 0],
    ['l0.tail.b', [3], 0],
  ];
  const block = (name: string, c: number) => {
    out.push(
      [`${name}.film.w`, [condDim, 2 * c], 0.01],
      [`${name}.film.b`, [2 * c], 0],
      [`${name}.w1`, [3, 3, c, c], he(9 * c)],
      [`${name}.b1`, [c], 0],
      [`${name}.w2`, [3, 3, c, c], 0.1 * he(9 * c)],
      [`${name}.b2`, [c], 0],
    );
  };
  channels.forEach((c, level) => {
    if (level > 0) {
      out.push([`l${level}.down.w`, [1, 1, 4 * channels[level - 1], c], he(4 * channels[level - 1])]);
      out.push([`l${level}.down.b`, [c], 0]);
      out.push([`l${level}.up.w`, [1, 1, c, 4 * channels[level - 1]], he(c)]);
      out.push([`l${level}.up.b`, [4 * channels[level - 1]], 0]);
    }
    for (let b = 0; b < encoderBlocks[level]; b++) block(`l${level}.enc${b}`, c);
    for (let b = 0; b < (decoderBlocks[level] ?? 0); b++) block(`l${level}.dec${b}`, c);
  });
  return out;
}
