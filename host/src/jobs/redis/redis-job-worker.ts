import { Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobExecutor, JobOutput, JobRequest } from '../job-queue.interface';
import type { Logger } from '../../logging/logger.interface';
import type { ServerLimits } from '../../config/server-config.interface';
import { serverErrors, ServerError, toProtocolError } from '../../errors/server-error';
import { RedisEventLog, type RecordedEvent } from './redis-event-log';
import type { RedisJobData } from './redis-job-queue';
import { openRedis, REDIS_QUEUE_NAME, redisKeys } from './redis-keys';

export interface RedisWorkerOptions {
  readonly redisUrl: string;
  /** Jobs run at the same time in this process. */
  readonly concurrency: number;
  /** A job whose worker has not renewed its lock for this long is given to another worker. */
  readonly lockMs: number;
  /** How many times a job may lose its worker before it fails. */
  readonly maxStalls: number;
}

/**
 * `fluxir worker`: takes jobs from BullMQ and runs them with the executor, sending their events and
 * results back through Redis. A job whose worker dies is taken up by another once its lock expires.
 */
export class RedisJobWorker {
  private readonly redis: Redis;
  private readonly subscriber: Redis;
  private readonly log: RedisEventLog;
  private readonly running = new Map<string, AbortController>();
  private worker?: Worker<RedisJobData>;

  constructor(
    private readonly executor: JobExecutor,
    private readonly limits: ServerLimits,
    private readonly logger: Logger,
    private readonly options: RedisWorkerOptions,
  ) {
    this.redis = openRedis(options.redisUrl, 'fluxir-worker');
    this.subscriber = openRedis(options.redisUrl, 'fluxir-worker-cancels');
    this.log = new RedisEventLog(this.redis, limits.resultTtlMs);
  }

  async start(): Promise<void> {
    this.subscriber.on('message', (_channel: string, jobId: string) => this.running.get(jobId)?.abort());
    await this.subscriber.subscribe(redisKeys.cancels);
    const { concurrency, lockMs, maxStalls } = this.options;
    this.worker = new Worker<RedisJobData>(REDIS_QUEUE_NAME, (job) => this.process(job), {
      connection: openRedis(this.options.redisUrl, 'fluxir-worker-queue'),
      concurrency,
      lockDuration: lockMs,
      // Renewed four times per lock period rather than BullMQ's two, so a lock outlives a brief stall
      // of this process; decoding and prepare run on a worker thread, so stalls stay brief.
      lockRenewTime: Math.max(1, Math.floor(lockMs / 4)),
      stalledInterval: lockMs,
      maxStalledCount: maxStalls,
    });
    this.worker.on('error', (error) => this.logger.warn({ err: error }, 'worker connection to Redis failed; retrying'));
    await this.worker.waitUntilReady();
  }

  /** Finishes the jobs in hand (new ones are left to other workers), then lets go of Redis. */
  async stop(): Promise<void> {
    await this.worker?.close();
    this.subscriber.disconnect();
    this.redis.disconnect();
  }

  private async process(job: Job<RedisJobData>): Promise<void> {
    const jobId = job.id!;
    const keys = redisKeys.job(jobId);
    const [cancelled, image, mask] = await Promise.all([this.redis.exists(keys.cancel), this.redis.getBuffer(keys.image), this.redis.getBuffer(keys.mask)]);
    if (cancelled) return void (await this.record(jobId, { name: 'job:cancelled', payload: {} }));
    if (!image || (job.data.hasMask && !mask)) {
      return void (await this.record(jobId, { name: 'job:error', payload: { error: toProtocolError(serverErrors.notFound(jobId)) } }));
    }
    const { hasMask: _hasMask, ...rest } = job.data;
    const request: JobRequest = { ...rest, image, mask: mask ?? undefined };
    const controller = new AbortController();
    this.running.set(jobId, controller);
    const timer = setTimeout(() => controller.abort(serverErrors.timeout(this.limits.jobTimeoutMs)), this.limits.jobTimeoutMs);
    this.logger.info({ jobId, plugin: request.plugin, attempt: job.attemptsStarted }, 'job started');
    try {
      const output = await this.executor.execute(request, {
        jobId,
        signal: controller.signal,
        emit: (event) => {
          const sent = event.name === 'job:preview' ? this.log.publishPreview(jobId, event.payload) : this.log.record(jobId, event);
          sent.catch((error: unknown) => this.logger.warn({ jobId, err: error }, `${event.name} could not be sent`));
        },
      });
      await (controller.signal.aborted ? this.recordAborted(jobId, controller.signal) : this.recordResult(jobId, output));
    } catch (error) {
      if (controller.signal.aborted) await this.recordAborted(jobId, controller.signal);
      else await this.record(jobId, { name: 'job:error', payload: { error: toProtocolError(error) } });
    } finally {
      clearTimeout(timer);
      this.running.delete(jobId);
    }
  }

  private async recordResult(jobId: string, output: JobOutput): Promise<void> {
    const { data, ...rest } = output;
    await this.log.storeResult(jobId, data);
    await this.record(jobId, { name: 'job:result', payload: rest });
  }

  private recordAborted(jobId: string, signal: AbortSignal): Promise<void> {
    const reason: unknown = signal.reason;
    if (reason instanceof ServerError) return this.record(jobId, { name: 'job:error', payload: { error: toProtocolError(reason) } });
    return this.record(jobId, { name: 'job:cancelled', payload: {} });
  }

  private async record(jobId: string, event: RecordedEvent): Promise<void> {
    await this.log.record(jobId, event);
    if (event.name === 'job:result' || event.name === 'job:error' || event.name === 'job:cancelled') {
      this.logger.info({ jobId, status: event.name.slice(4) }, 'job finished');
    }
  }
}
