import { createImage, type StepPreview } from '@fluxir/core';
import sharp from 'sharp';
import type { ExecutionEvent, JobExecution } from './job-queue.interface';
import { captureLogger } from '../testing/capture-logger';
import { PreviewStream } from './preview-stream';

function execution(events: ExecutionEvent[], controller = new AbortController()): JobExecution {
  return { jobId: 'job-1', signal: controller.signal, emit: (event) => void events.push(event) };
}

function preview(step: number, width = 300, height = 200): StepPreview {
  const image = createImage(width, height, 3);
  image.data.fill(step / 10);
  return { step, steps: 10, t: 1 - step / 10, image };
}

const settings = { mime: 'image/jpeg' as const, maxSide: 64, quality: 70 };

describe('PreviewStream', () => {
  it('encodes a frame per step when encoding keeps up, shrunk to the asked size', async () => {
    const events: ExecutionEvent[] = [];
    const stream = new PreviewStream(settings, execution(events), captureLogger().logger);
    for (let step = 1; step <= 3; step++) {
      stream.onPreview(preview(step));
      await stream.flush();
    }
    expect(events.map((e) => e.name === 'job:preview' && e.payload.step)).toEqual([1, 2, 3]);
    const first = events[0].payload as unknown as { data: Buffer; width: number; height: number };
    expect([first.width, first.height]).toEqual([64, 43]);
    expect((await sharp(first.data).metadata()).format).toBe('jpeg');
  });

  it('never holds the engine up: steps that end during an encode are coalesced, the newest wins', async () => {
    const events: ExecutionEvent[] = [];
    const stream = new PreviewStream(settings, execution(events), captureLogger().logger);
    for (let step = 1; step <= 10; step++) stream.onPreview(preview(step));
    await stream.flush();
    const steps = events.map((e) => (e.payload as { step: number }).step);
    expect(steps[0]).toBe(1);
    expect(steps.at(-1)).toBe(10);
    expect(steps.length).toBeLessThan(10);
  });

  it('sends nothing when previews are off or the job was cancelled', async () => {
    const events: ExecutionEvent[] = [];
    new PreviewStream(undefined, execution(events), captureLogger().logger).onPreview(preview(1));
    const controller = new AbortController();
    const stream = new PreviewStream(settings, execution(events, controller), captureLogger().logger);
    stream.onPreview(preview(1));
    controller.abort();
    await stream.flush();
    expect(events).toEqual([]);
  });
});
