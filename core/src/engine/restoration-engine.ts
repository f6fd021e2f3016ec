import { AbortError, errors } from '../common/errors';
import { createImage, type Image } from '../common/image';
import { sizeMultiple, type NetworkConfig } from '../model/network-config';
import { promptBag } from '../model/prompt-encoder';
import type { WeightsCard } from '../model/weights-card';
import { plannedSchedule } from '../sampler/step-selection';
import type { Engine, RestoreRequest, RestoreResult } from './engine-protocol';
import { positionNoise } from './position-noise';
import { accumulatePreview, accumulateTile, gatherTile, roundUp } from './tile-buffers';
import type { TileStepResult, TileStepper } from './tile-stepper';
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
    private readonly stepper: TileStepper,
    private readonly network: NetworkConfig,
    readonly card: WeightsCard,
    readonly backend: string,
    readonly version: string,
    private readonly options: EngineOptions = DEFAULT_ENGINE_OPTIONS,
  ) {}

  schedule(task: string, steps: number): number[] {
    return this.plan(task, steps).schedule;
  }

  /** The task's distilled schedule for this budget when the card has one, else uniform steps. */
  private plan(task: string, steps: number) {
    if (!Number.isInteger(steps) || steps < 1 || steps > 32) {
      throw errors.invalidParameter('steps', 'an integer from 1 to 32', steps);
    }
    return plannedSchedule(this.card, task, steps);
  }

  async restore(request: RestoreRequest): Promise<RestoreResult> {
    const started = Date.now();
    const { y, mask } = request.input;
    if (y.channels !== 3) throw errors.invalidParameter('input.y.channels', '3 (RGB)', y.channels);
    if (mask && (mask.width !== y.width || mask.height !== y.height || mask.channels !== 1)) {
      throw errors.maskMismatch(request.task, mask, y);
    }
    const { schedule, stepSizes } = this.plan(request.task, request.steps);
    const { width, height } = y;
    const tiles = planTiles(width, height, this.options.tileSize, this.options.overlap);
    let x: Float32Array = this.startState(y, request.seed ?? 0);
    let next: Float32Array = new Float32Array(x.length);
    const preview = request.onPreview ? previewShape(width, height, this.options.previewMaxPixels) : undefined;
    const bag = promptBag(request.prompt, this.network.promptBuckets);
    const steps = schedule.length - 1;
    const total = steps * tiles.length;
    for (let k = 0; k < steps; k++) {
      const [t, tNext] = [schedule[k], schedule[k + 1]];
      next.fill(0);
      const previewData = preview ? new Float32Array(preview.width * preview.height * 3) : undefined;
      const current = x;
      const launch = (tile: Tile) => {
        throwIfAborted(request.signal);
        return this.stepTile(current, y, mask, tile, t, tNext, stepSizes[k], bag, !!previewData);
      };
      // A sliding window keeps `concurrency` tiles in flight and still adds results in tile order.
      const inFlight: Array<Promise<TileStepResult>> = [];
      for (let i = 0; i < Math.min(this.stepper.concurrency, tiles.length); i++) inFlight.push(launch(tiles[i]));
      for (let i = 0; i < tiles.length; i++) {
        const tile = tiles[i];
        const result = await inFlight[i];
        delete inFlight[i];
        if (i + this.stepper.concurrency < tiles.length) inFlight.push(launch(tiles[i + this.stepper.concurrency]));
        else inFlight.push(Promise.resolve({ stepped: new Float32Array(0) }));
        const pw = roundUp(tile.width, sizeMultiple(this.network));
        accumulateTile(next, width, 3, tile, result.stepped, pw);
        if (previewData && result.estimate && preview) {
          accumulatePreview(previewData, preview.width, preview.height, preview.factor, tile, result.estimate, pw);
        }
        const done = k * tiles.length + i + 1;
        const elapsed = Date.now() - started;
        request.onProgress?.({ step: k + 1, steps, tile: i + 1, tiles: tiles.length, fraction: done / total, etaMs: (elapsed / done) * (total - done) });
      }
      [x, next] = [next, x];
      if (previewData && preview && request.onPreview) {
        request.onPreview({ step: k + 1, steps, t: tNext, image: toImage(previewData, preview.width, preview.height) });
      }
    }
    return { image: toImage(x, width, height), steps, schedule, ms: Date.now() - started };
  }

  dispose(): void {
    this.stepper.dispose();
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

  private stepTile(
    x: Float32Array,
    y: Image,
    mask: Image | undefined,
    tile: Tile,
    t: number,
    tNext: number,
    d: number,
    bag: Float32Array,
    withEstimate: boolean,
  ): Promise<TileStepResult> {
    const { width, height } = y;
    const multiple = sizeMultiple(this.network);
    const pw = roundUp(tile.width, multiple);
    const ph = roundUp(tile.height, multiple);
    return this.stepper.step({
      xs: gatherTile(x, width, height, 3, tile, pw, ph),
      ys: gatherTile(y.data, width, height, 3, tile, pw, ph, toSigned),
      ms: mask ? gatherTile(mask.data, width, height, 1, tile, pw, ph) : new Float32Array(pw * ph),
      width: pw,
      height: ph,
      t,
      tNext,
      d,
      bag,
      withEstimate,
    });
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
