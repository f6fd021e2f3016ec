import { errors } from '@fluxir/core';
import { submitJobSchema, type SubmitJob } from '@fluxir/sdk/protocol';
import { inject, injectable } from 'inversify';
import type { JobIntake } from '../common/job-intake-protocol';
import { JobQueue, type JobSnapshot, type PreviewSettings } from '../common/job-queue-protocol';
import { PluginRegistry } from '../common/plugin-registry-protocol';
import { RestoreService } from '../common/restore-service-protocol';
import { ServerConfig } from '../common/server-config-protocol';
import { serverErrors } from '../common/server-error';
import { readImageHeader } from './image-header';
import { parsePayload } from './payload-validation';

const PREVIEW_DEFAULTS: PreviewSettings = { mime: 'image/jpeg', maxSide: 512, quality: 75 };

/** Submissions checked in this process, against the loaded plugins, before they are queued. */
@injectable()
export class DefaultJobIntake implements JobIntake {
  constructor(
    @inject(PluginRegistry) private readonly registry: PluginRegistry,
    @inject(RestoreService) private readonly restore: RestoreService,
    @inject(ServerConfig) private readonly config: ServerConfig,
    @inject(JobQueue) private readonly queue: JobQueue,
  ) {}

  async submit(owner: string, payload: unknown): Promise<JobSnapshot> {
    const job: SubmitJob = parsePayload(submitJobSchema, payload);
    const { maxUploadBytes, maxPixels } = this.config.limits;
    const image = toBuffer(job.image);
    const mask = job.mask === undefined ? undefined : toBuffer(job.mask);
    if (image.length > maxUploadBytes) throw serverErrors.payloadTooLarge('the image', image.length, maxUploadBytes);
    if (mask && mask.length > maxUploadBytes) throw serverErrors.payloadTooLarge('the mask', mask.length, maxUploadBytes);
    const version = this.resolveVersion(job.plugin, job.version);
    const plan = this.restore.plan({ task: job.plugin, version, params: job.params, steps: job.steps });
    if (plan.plugin.requiresMask && !mask) throw serverErrors.maskMissing(job.plugin);
    const header = await readImageHeader(image, 'the image', maxPixels);
    // Hand-made definitions may lack outputScale; those made with definePlugin always have it.
    const scale = plan.plugin.outputScale?.(plan.params) ?? 1;
    const outputPixels = Math.round(header.width * scale) * Math.round(header.height * scale);
    if (outputPixels > maxPixels) throw errors.tooLarge(`the result (${scale}x)`, outputPixels, maxPixels);
    if (mask) {
      const maskHeader = await readImageHeader(mask, 'the mask', maxPixels);
      if (maskHeader.width !== header.width || maskHeader.height !== header.height) {
        throw errors.maskMismatch('the image', maskHeader, header);
      }
    }
    const preview = job.preview?.enabled === false ? undefined : { ...PREVIEW_DEFAULTS, ...withoutEnabled(job.preview) };
    return this.queue.submit({
      owner,
      plugin: job.plugin,
      version,
      image,
      mask,
      params: job.params ?? {},
      steps: job.steps,
      seed: job.seed,
      preview,
      resultMime: job.resultMime ?? 'image/png',
    });
  }

  /** The newest enabled version of the plugin satisfying the client's pin (E_UNKNOWN_TASK, E_UNKNOWN_VERSION). */
  private resolveVersion(pluginId: string, range: string | undefined): string {
    return this.registry.resolve(pluginId, range).version;
  }
}

function toBuffer(data: ArrayBuffer | Uint8Array): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (data instanceof Uint8Array) return Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  return Buffer.from(data);
}

function withoutEnabled(preview: SubmitJob['preview']): Partial<PreviewSettings> {
  if (!preview) return {};
  const { enabled: _enabled, ...rest } = preview;
  return Object.fromEntries(Object.entries(rest).filter(([, value]) => value !== undefined));
}
