import { AbortError, errors } from '../common/errors';
import { createImage, type Image } from '../common/image';
import { fillsPixel } from '../image/mask';
import { sizeMultiple, type NetworkConfig } from '../model/network-config';
import { promptBag } from '../model/prompt-encoder';
import { MAX_STEPS, STEPS_EXPECTED } from '../step-limit';
import type { WeightsCard } from '../model/weights-card';
import { plannedSchedule, type PlannedSchedule } from '../sampler/step-selection';
import type { Engine, RestoreRequest, RestoreResult } from './engine-protocol';
import { etaByRounds, PartialPreview } from './partial-preview';
import { startJob, type SamplingJob } from './sampling-job';
import { StepAccumulator } from './step-accumulator';
import { accumulatePreview, gatherTile, roundUp } from './tile-buffers';
import type { TileStepResult, TileStepper } from './tile-stepper';
import { planTiles, type Tile } from './tiling';

export interface EngineOptions {
  /** Largest tile side in pixels (memory per tile is bounded by it). */
  readonly tileSize: number;
  readonly overlap: number;
  /** Scale of the sampled start noise: 0 starts exactly at y (measured best; docs/training.md). */
  readonly sampleNoise: number;
  /** Previews of larger images are box-downscaled to about this many pixels. */
  readonly previewMaxPixels: number;
}

export const DEFAULT_ENGINE_OPTIONS: EngineOptions = {
  // 576 rather than 512: a megapixel then cuts into 2 x 2 tiles, one round per worker pair, not 3 x 3.
  tileSize: 576,
  overlap: 32,
  sampleNoise: 0,
  previewMaxPixels: 4_000_000,
};

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

  plan(task: string, steps: number): PlannedSchedule {
    if (!Number.isInteger(steps) || steps < 1 || steps > MAX_STEPS) {
      throw errors.invalidParameter('steps', STEPS_EXPECTED, steps);
    }
    return plannedSchedule(this.card, task, steps);
  }

  /**
   * Not an async function on purpose: an async function keeps its arguments alive until it returns,
   * and the request holds the caller's float copy of y (hundreds of MB for a large photo). Once the
   * job is started, the sampler only needs the compact form.
   */
  restore(request: RestoreRequest): Promise<RestoreResult> {
    const started = Date.now();
    try {
      const { schedule, stepSizes } = request.planned ?? this.plan(request.task, request.steps);
      if (schedule.length !== request.steps + 1 || stepSizes.length !== request.steps) {
        throw errors.invalidParameter('planned', `the schedule of ${request.steps} steps`, `${schedule.length - 1} steps`);
      }
      const { signal, onProgress, onPreview } = request;
      const input = { ...request.input, seed: request.seed ?? 0, sampleNoise: this.options.sampleNoise, consume: request.consumeInput === true };
      const job = startJob(request.task, input, { signal, onProgress, onPreview });
      const bag = promptBag(request.prompt, this.network.promptBuckets);
      return this.sample(job, schedule, stepSizes, bag, started);
    } catch (error) {
      return Promise.reject(error);
    }
  }

  dispose(): void {
    this.stepper.dispose();
  }

  private async sample(job: SamplingJob, schedule: number[], stepSizes: number[], bag: Float32Array, started: number): Promise<RestoreResult> {
    const { width, height, x } = job;
    const tiles = planTiles(width, height, this.options.tileSize, this.options.overlap);
    const accumulator = new StepAccumulator(x, width, height, 3, Math.max(...tiles.map((tile) => tile.height)));
    const preview = job.onPreview ? previewShape(width, height, this.options.previewMaxPixels) : undefined;
    const steps = schedule.length - 1;
    const total = steps * tiles.length;
    const concurrency = this.stepper.concurrency;
    const partial = preview && tiles.length > 1 ? new PartialPreview(job.y, width, height, preview) : undefined;
    for (let k = 0; k < steps; k++) {
      const [t, tNext] = [schedule[k], schedule[k + 1]];
      accumulator.begin();
      const previewData = preview ? new Float32Array(preview.width * preview.height * 3) : undefined;
      const launch = (tile: Tile) => {
        throwIfAborted(job.signal);
        return this.stepTile(job, tile, t, tNext, stepSizes[k], bag, !!previewData);
      };
      // A sliding window keeps `concurrency` tiles in flight and still adds results in tile order.
      const inFlight: Array<Promise<TileStepResult>> = [];
      for (let i = 0; i < Math.min(concurrency, tiles.length); i++) inFlight.push(launch(tiles[i]));
      for (let i = 0; i < tiles.length; i++) {
        const tile = tiles[i];
        const result = await inFlight[i];
        delete inFlight[i];
        const pw = roundUp(tile.width, sizeMultiple(this.network));
        accumulator.add(tile, result.stepped, pw);
        // Tiles come row by row: rows above the next tile are final, and every later gather starts below them.
        if (i + 1 < tiles.length) accumulator.settleAbove(tiles[i + 1].y);
        if (previewData && result.estimate && preview) {
          accumulatePreview(previewData, preview.width, preview.height, preview.factor, tile, result.estimate, pw);
          if (partial && k === 0 && i + 1 < tiles.length && job.onPreview) {
            partial.add(tile);
            if (partial.due) job.onPreview({ step: 1, steps, t: tNext, image: partial.image(previewData), tile: i + 1, tiles: tiles.length });
          }
        }
        if (i + concurrency < tiles.length) inFlight.push(launch(tiles[i + concurrency]));
        else inFlight.push(Promise.resolve({ stepped: new Float32Array(0) }));
        const done = k * tiles.length + i + 1;
        const etaMs = etaByRounds(Date.now() - started, k, i + 1, tiles.length, steps, concurrency);
        job.onProgress?.({ step: k + 1, steps, tile: i + 1, tiles: tiles.length, fraction: done / total, etaMs });
      }
      accumulator.finish();
      if (previewData && preview && job.onPreview) {
        job.onPreview({ step: k + 1, steps, t: tNext, image: toImage(previewData, preview.width, preview.height) });
      }
    }
    if (job.mask) keepUnmasked(job);
    return { image: toImage(x, width, height), steps, schedule, ms: Date.now() - started };
  }

  private stepTile(job: SamplingJob, tile: Tile, t: number, tNext: number, d: number, bag: Float32Array, withEstimate: boolean): Promise<TileStepResult> {
    const { width, height, y, mask } = job;
    const multiple = sizeMultiple(this.network);
    const pw = roundUp(tile.width, multiple);
    const ph = roundUp(tile.height, multiple);
    return this.stepper.step({
      xs: gatherTile(job.x, width, height, 3, tile, pw, ph),
      ys: gatherTile(y.codes, width, height, 3, tile, pw, ph, y.read),
      ms: mask ? gatherTile(mask.codes, width, height, 1, tile, pw, ph, mask.read) : new Float32Array(pw * ph),
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

/** A masked task fills only the mask (white = fill): every other pixel is the condition's, exactly. */
function keepUnmasked({ x, y, mask }: SamplingJob): void {
  if (!mask) return;
  for (let i = 0; i < mask.codes.length; i++) {
    if (fillsPixel(mask.read(mask.codes[i]))) continue;
    for (let c = i * 3; c < i * 3 + 3; c++) x[c] = y.read(y.codes[c]);
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
