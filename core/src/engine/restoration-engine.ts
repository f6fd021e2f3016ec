import * as tf from '@tensorflow/tfjs';
import { AbortError, errors } from '../common/errors';
import { createImage, type Image } from '../common/image';
import { sizeMultiple } from '../model/network-config';
import { promptBag } from '../model/prompt-encoder';
import type { VelocityNetwork } from '../model/velocity-network';
import type { WeightsCard } from '../model/weights-card';
import { isValidSchedule, uniformSchedule } from '../sampler/schedule';
import type { Engine, RestoreRequest, RestoreResult } from './engine-protocol';
import { positionNoise } from './position-noise';
import { accumulatePreview, accumulateTile, gatherTile, roundUp } from './tile-buffers';
import { planTiles, type Tile } from './tiling';

export interface EngineOptions {
  /** Largest tile side in pixels (memory per tile is bounded by it). */
  readonly tileSize: number;
  readonly overlap: number;
  /** Scale of the sampled start noise: 0 starts exactly at y (measured best; see the README). */
  readonly sampleNoise: number;
  /** Previews of larger images are box-downscaled to about this many pixels. */
  readonly previewMaxPixels: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  tileSize: 512,
  overlap: 32,
  sampleNoise: 0,
  previewMaxPixels: 4_000_000,
};

const toSigned = (v: number) => v * 2 - 1;

/**
 * The trajectory sampler over a tiled image: x starts at the (optionally noised) condition y, and
 * each Euler step of the schedule runs over every tile before the next step starts (step-major), so
 * every step yields a whole-image preview x0_hat.
 */
export class RestorationEngine implements Engine {
  constructor(
    private readonly network: VelocityNetwork,
    readonly card: WeightsCard,
    readonly backend: string,
    readonly version: string,
    private readonly options: EngineOptions = DEFAULT_ENGINE_OPTIONS,
  ) {}

  schedule(task: string, steps: number): number[] {
    if (!Number.isInteger(steps) || steps < 1 || steps > 32) {
      throw errors.invalidParameter('steps', 'an integer from 1 to 32', steps);
    }
    const distilled = this.card.schedules[task]?.[String(steps)];
    return distilled && isValidSchedule(distilled) ? [...distilled] : uniformSchedule(steps);
  }

  async restore(request: RestoreRequest): Promise<RestoreResult> {
    const started = Date.now();
    const { y, mask } = request.input;
    if (y.channels !== 3) throw errors.invalidParameter('input.y.channels', '3 (RGB)', y.channels);
    if (mask && (mask.width !== y.width || mask.height !== y.height || mask.channels !== 1)) {
      throw errors.maskMismatch(request.task, mask, y);
    }
    const schedule = this.schedule(request.task, request.steps);
    const { width, height } = y;
    const tiles = planTiles(width, height, this.options.tileSize, this.options.overlap);
    const multiple = sizeMultiple(this.network.config);
    let x: Float32Array = this.startState(y, request.seed ?? 0);
    let next: Float32Array = new Float32Array(x.length);
    const preview = request.onPreview ? previewShape(width, height, this.options.previewMaxPixels) : undefined;
    const bag = tf.tensor2d(promptBag(request.prompt, this.network.config.promptBuckets), [1, this.network.config.promptBuckets]);
    const steps = schedule.length - 1;
    const total = steps * tiles.length;
    try {
      for (let k = 0; k < steps; k++) {
        const [t, tNext] = [schedule[k], schedule[k + 1]];
        next.fill(0);
        const previewData = preview ? new Float32Array(preview.width * preview.height * 3) : undefined;
        for (let i = 0; i < tiles.length; i++) {
          throwIfAborted(request.signal);
          const tile = tiles[i];
          const pw = roundUp(tile.width, multiple);
          const ph = roundUp(tile.height, multiple);
          const { stepped, estimate } = await this.stepTile(x, y, mask, tile, pw, ph, t, tNext, bag, !!previewData);
          accumulateTile(next, width, 3, tile, stepped, pw);
          if (previewData && estimate && preview) {
            accumulatePreview(previewData, preview.width, preview.height, preview.factor, tile, estimate, pw);
          }
          const done = k * tiles.length + i + 1;
          const elapsed = Date.now() - started;
          request.onProgress?.({
            step: k + 1,
            steps,
            tile: i + 1,
            tiles: tiles.length,
            fraction: done / total,
            etaMs: (elapsed / done) * (total - done),
          });
        }
        [x, next] = [next, x];
        if (previewData && preview && request.onPreview) {
          request.onPreview({ step: k + 1, steps, t: tNext, image: toImage(previewData, preview.width, preview.height) });
        }
      }
    } finally {
      bag.dispose();
    }
    return { image: toImage(x, width, height), steps, schedule, ms: Date.now() - started };
  }

  dispose(): void {
    Object.values(this.network.params).forEach((p) => p.dispose());
  }

  private startState(y: Image, seed: number): Float32Array {
    const s = this.options.sampleNoise;
    const x = new Float32Array(y.data.length);
    for (let i = 0; i < x.length; i++) x[i] = toSigned(y.data[i]);
    if (s > 0) {
      for (let row = 0; row < y.height; row++) {
        for (let col = 0; col < y.width; col++) {
          const o = (row * y.width + col) * 3;
          for (let c = 0; c < 3; c++) x[o + c] += s * positionNoise(seed, col, row, c);
        }
      }
    }
    return x;
  }

  private async stepTile(
    x: Float32Array,
    y: Image,
    mask: Image | undefined,
    tile: Tile,
    pw: number,
    ph: number,
    t: number,
    tNext: number,
    bag: tf.Tensor2D,
    withEstimate: boolean,
  ): Promise<{ stepped: Float32Array; estimate?: Float32Array }> {
    const { width, height } = y;
    const xs = gatherTile(x, width, height, 3, tile, pw, ph);
    const ys = gatherTile(y.data, width, height, 3, tile, pw, ph, toSigned);
    const ms = mask ? gatherTile(mask.data, width, height, 1, tile, pw, ph) : new Float32Array(pw * ph);
    const [stepped, estimate] = tf.tidy(() => {
      const xt = tf.tensor4d(xs, [1, ph, pw, 3]);
      const v = this.network.apply({
        xt,
        y: tf.tensor4d(ys, [1, ph, pw, 3]),
        mask: tf.tensor4d(ms, [1, ph, pw, 1]),
        t: tf.tensor1d([t]),
        d: tf.tensor1d([0]),
        prompt: bag,
      });
      return [tf.sub(xt, tf.mul(v, t - tNext)), withEstimate ? tf.sub(xt, tf.mul(v, t)) : undefined];
    });
    const result = { stepped: (await stepped.data()) as Float32Array, estimate: (await estimate?.data()) as Float32Array | undefined };
    stepped.dispose();
    estimate?.dispose();
    return result;
  }
}

function throwIfAborted(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AbortError();
}

function previewShape(width: number, height: number, maxPixels: number) {
  const factor = Math.max(1, Math.ceil(Math.sqrt((width * height) / maxPixels)));
  return { factor, width: Math.ceil(width / factor), height: Math.ceil(height / factor) };
}

/** [-1, 1] interleaved RGB to an image in [0, 1], in place. */
function toImage(data: Float32Array, width: number, height: number): Image {
  for (let i = 0; i < data.length; i++) {
    const v = (data[i] + 1) / 2;
    data[i] = v < 0 ? 0 : v > 1 ? 1 : v;
  }
  return createImage(width, height, 3, data);
}
