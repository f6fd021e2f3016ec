import { errors } from '@fluxir/core';
import { submitJobSchema, type SubmitJob } from '@fluxir/sdk/protocol';
import { inject, injectable } from 'inversify';
import type { JobIntake } from './job-intake.interface';
import { JobQueue, type JobSnapshot, type PreviewSettings } from '../jobs/job-queue.interface';
import { RestorePlanner } from '../restore/restore-planner.interface';
import { ServerConfig } from '../config/server-config.interface';
import { serverErrors } from '../errors/server-error';
import { readImageHeader } from './image-header';
import { parsePayload } from './payload-validation';

const PREVIEW_DEFAULTS: PreviewSettings = { mime: 'image/jpeg', maxSide: 512, quality: 75 };

/**
 * Submissions checked in this process, against the loaded plugins, before they are queued; each job
 * leaves with its plan (plugin version, parameters, steps, schedule), which nothing after this redoes.
 */
@injectable()
export class DefaultJobIntake implements JobIntake {
  constructor(
    @inject(RestorePlanner) private readonly planner: RestorePlanner,
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
    const choice = this.planner.choose({ task: job.plugin, version: job.version, params: job.params, steps: job.steps });
    if (choice.plugin.requiresMask && !mask) throw serverErrors.maskMissing(job.plugin);
    const header = await readImageHeader(image, 'the image', maxPixels);
    // Hand-made definitions may lack outputScale; those made with definePlugin always have it.
    const scale = choice.plugin.outputScale?.(choice.params) ?? 1;
    const outputPixels = Math.round(header.width * scale) * Math.round(header.height * scale);
    if (outputPixels > maxPixels) throw errors.tooLarge(`the result (${scale}x)`, outputPixels, maxPixels);
    if (mask) {
      const maskHeader = await readImageHeader(mask, 'the mask', maxPixels);
      if (maskHeader.width !== header.width || maskHeader.height !== header.height) {
        throw errors.maskMismatch('the image', maskHeader, header);
      }
    }
    const preview = job.preview?.enabled === false ? undefined : { ...PREVIEW_DEFAULTS, ...withoutEnabled(job.preview) };
    const plan = await this.planner.plan(choice);
    return this.queue.submit({
      owner,
      plugin: plan.plugin.id,
      version: plan.plugin.version,
      image,
      mask,
      params: plan.params,
      steps: plan.steps,
      schedule: plan.schedule,
      seed: job.seed,
      preview,
      resultMime: job.resultMime ?? 'image/png',
    });
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
