import type { StepPreview } from '@fluxir/core';
import type { JobExecution, PreviewSettings } from './job-queue.interface';
import type { Logger } from '../logging/logger.interface';
import { encodePreview } from './preview-encoder';

/**
 * Turns the engine's per-step previews into encoded frames without ever holding the engine up: one
 * frame is encoded at a time, and a step that ends while one is being encoded replaces any frame still
 * waiting (the newest wins), so a frame per step goes out whenever encoding keeps up with the steps.
 */
export class PreviewStream {
  private encoding: Promise<void> = Promise.resolve();
  private busy = false;
  private waiting?: StepPreview;

  constructor(
    private readonly settings: PreviewSettings | undefined,
    private readonly execution: JobExecution,
    private readonly logger: Logger,
  ) {}

  readonly onPreview = (preview: StepPreview): void => {
    if (!this.settings || this.execution.signal.aborted) return;
    // The engine's image is copied synchronously by the encoder; a waiting frame is kept by reference only
    // until the next step, which replaces it.
    if (this.busy) this.waiting = { ...preview, image: { ...preview.image, data: preview.image.data.slice() } };
    else this.encoding = this.encode(preview, this.settings);
  };

  /** Waits for the frame being encoded and the one waiting, so previews never arrive after the result. */
  async flush(): Promise<void> {
    await this.encoding;
  }

  private async encode(preview: StepPreview, settings: PreviewSettings): Promise<void> {
    this.busy = true;
    try {
      for (let next: StepPreview | undefined = preview; next; next = this.takeWaiting()) {
        const frame = encodePreview(next.image, settings);
        const { step, steps, t, tile, tiles } = next;
        const { data, width, height } = await frame;
        if (this.execution.signal.aborted) return;
        const part = tile !== undefined && tiles !== undefined ? { tile, tiles } : {};
        this.execution.emit({ name: 'job:preview', payload: { step, steps, t, ...part, mime: settings.mime, width, height, data } });
      }
    } catch (error) {
      this.logger.warn({ jobId: this.execution.jobId, err: error }, 'a preview frame could not be encoded');
    } finally {
      this.busy = false;
    }
  }

  private takeWaiting(): StepPreview | undefined {
    const next = this.waiting;
    this.waiting = undefined;
    return next;
  }
}
