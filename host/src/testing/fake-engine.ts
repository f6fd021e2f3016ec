import { AbortError, createImage, type Engine, type Image, type PlannedSchedule, type RestoreRequest, type RestoreResult } from '@fluxir/core';

/**
 * An Engine for tests that needs no weights: each step blends `y` a little towards its 3x3 box blur,
 * reports progress and a preview, and yields to the event loop so AbortSignal is honoured between
 * steps. It records every request it got.
 */
export class FakeEngine implements Engine {
  readonly version = '1.0.0';
  readonly backend = 'fake';
  readonly requests: RestoreRequest[] = [];
  disposed = false;

  plan(_task: string, steps: number): PlannedSchedule {
    const schedule = Array.from({ length: steps + 1 }, (_, i) => 1 - i / steps);
    return { schedule, stepSizes: new Array<number>(steps).fill(0), distilled: false };
  }

  schedule(task: string, steps: number): number[] {
    return this.plan(task, steps).schedule;
  }

  async restore(request: RestoreRequest): Promise<RestoreResult> {
    this.requests.push(request);
    const started = performance.now();
    const { y } = request.input;
    if (y.channels !== 3) throw new RangeError(`the engine restores RGB, got ${y.channels} channels`);
    const { schedule } = request.planned ?? this.plan(request.task, request.steps);
    let x = y;
    for (let step = 1; step <= request.steps; step++) {
      if (request.signal?.aborted) throw new AbortError();
      await new Promise((resolve) => setImmediate(resolve));
      x = blend(x, boxBlur(x), 0.5 / request.steps);
      const fraction = step / request.steps;
      request.onProgress?.({ step, steps: request.steps, tile: 1, tiles: 1, fraction, etaMs: 0 });
      request.onPreview?.({ step, steps: request.steps, t: schedule[step], image: x });
    }
    return { image: x, steps: request.steps, schedule, ms: performance.now() - started };
  }

  dispose(): void {
    this.disposed = true;
  }
}

function boxBlur(image: Image): Image {
  const { width, height, channels } = image;
  const out = createImage(width, height, channels);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let sum = 0;
        let count = 0;
        for (let dy = -1; dy <= 1; dy++) {
          for (let dx = -1; dx <= 1; dx++) {
            const yy = y + dy;
            const xx = x + dx;
            if (yy < 0 || yy >= height || xx < 0 || xx >= width) continue;
            sum += image.data[(yy * width + xx) * channels + c];
            count++;
          }
        }
        out.data[(y * width + x) * channels + c] = sum / count;
      }
    }
  }
  return out;
}

function blend(a: Image, b: Image, amount: number): Image {
  const out = createImage(a.width, a.height, a.channels);
  for (let i = 0; i < out.data.length; i++) out.data[i] = a.data[i] + (b.data[i] - a.data[i]) * amount;
  return out;
}
