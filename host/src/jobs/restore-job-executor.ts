import type { StepProgress } from '@fluxir/core';
import type { ImageMime } from '@fluxir/sdk/protocol';
import { inject, injectable } from 'inversify';
import { ImageCodec } from '../restore/image-codec.interface';
import type { JobExecution, JobExecutor, JobOutput, JobRequest } from './job-queue.interface';
import { Logger } from '../logging/logger.interface';
import { PluginRegistry } from '../plugins/plugin-registry.interface';
import { pluginRetired, watchRetirement } from '../plugins/plugin-retirement';
import { RestoreService, type RestorePlan } from '../restore/restore-service.interface';
import { ServerConfig } from '../config/server-config.interface';
import { ServerMetrics } from '../server/server-metrics.interface';
import { PreviewStream } from './preview-stream';

const FORMATS: Record<ImageMime, string> = { 'image/png': 'png', 'image/jpeg': 'jpeg', 'image/webp': 'webp' };
/** Results go to an editor over a fast link: zlib level 1 halves the encode time of level 6 for 13% more bytes. */
const RESULT_PNG_COMPRESSION = 1;

/** Runs a job in this process by the plan it came with: decode, restore on the shared engine with previews, encode the result. */
@injectable()
export class RestoreJobExecutor implements JobExecutor {
  constructor(
    @inject(RestoreService) private readonly restore: RestoreService,
    @inject(ServerConfig) private readonly config: ServerConfig,
    @inject(ServerMetrics) private readonly metrics: ServerMetrics,
    @inject(Logger) private readonly logger: Logger,
    @inject(PluginRegistry) private readonly registry: PluginRegistry,
    @inject(ImageCodec) private readonly codec: ImageCodec,
  ) {}

  /** A job whose plugin version is disabled or removed before or while it runs ends with E_PLUGIN. */
  async execute(request: JobRequest, execution: JobExecution): Promise<JobOutput> {
    const retirement = watchRetirement(this.registry, request.plugin, request.version);
    try {
      const signal = AbortSignal.any([execution.signal, retirement.signal]);
      const plan = this.planOf(request);
      return await this.run(request, plan, { jobId: execution.jobId, signal, emit: (event) => execution.emit(event) });
    } catch (error) {
      if (retirement.signal.aborted && !execution.signal.aborted) throw retirement.signal.reason;
      throw error;
    } finally {
      retirement.stop();
    }
  }

  /** The job's plan with its plugin version, which watchRetirement has just found serving. */
  private planOf(request: JobRequest): RestorePlan {
    const loaded = this.registry.get(request.plugin, request.version);
    if (!loaded) throw pluginRetired(request.plugin, request.version, 'this version is not loaded (it was removed)');
    const { params, steps, schedule } = request;
    return { plugin: loaded.definition, params, steps, schedule };
  }

  private async run(request: JobRequest, plan: RestorePlan, execution: JobExecution): Promise<JobOutput> {
    const { image, mask } = await this.codec.decode(request.image, request.mask, this.config.limits.maxPixels);
    const { plugin, version } = request;
    const started = { plugin, version, steps: plan.steps, schedule: plan.schedule.schedule, width: image.width, height: image.height };
    execution.emit({ name: 'job:started', payload: started });
    const previews = new PreviewStream(request.preview, execution, this.logger);
    const options = { seed: request.seed, signal: execution.signal, onProgress: this.progressReporter(plugin, execution), onPreview: previews.onPreview };
    const outcome = await this.restore
      .restore(plan, { image, mask, name: 'the image', consume: true }, options)
      .finally(() => previews.flush());
    const { width, height } = outcome.image;
    const data = await this.codec.encode(outcome.image, FORMATS[request.resultMime], { pngCompression: RESULT_PNG_COMPRESSION });
    return { plugin, version, steps: outcome.steps, mime: request.resultMime, width, height, ms: outcome.ms, data };
  }

  private progressReporter(plugin: string, execution: JobExecution): (progress: StepProgress) => void {
    let stepStarted = performance.now();
    return (progress) => {
      const { step, steps, tile, tiles, fraction, etaMs } = progress;
      execution.emit({ name: 'job:progress', payload: { step, steps, tile, tiles, fraction, etaMs } });
      if (tile !== tiles) return;
      const now = performance.now();
      this.metrics.stepDone(plugin, (now - stepStarted) / 1000);
      stepStarted = now;
    };
  }
}
