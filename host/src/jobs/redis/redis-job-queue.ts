import { randomUUID } from 'node:crypto';
import { Queue, QueueEvents } from 'bullmq';
import { inject, injectable } from 'inversify';
import type { Redis } from 'ioredis';
import type { JobListener, JobOutput, JobQueue, JobRequest, JobSnapshot, QueueStats } from '../job-queue.interface';
import { Logger } from '../../logging/logger.interface';
import { ServerConfig } from '../../config/server-config.interface';
import { serverErrors } from '../../errors/server-error';
import { ServerMetrics } from '../../server/server-metrics.interface';
import { RedisEventLog } from './redis-event-log';
import { RedisJobMirror } from './redis-job-mirror';
import { RedisJobView, type RedisJobMeta } from './redis-job-view';
import { OPEN_JOB_TTL_MS, openRedis, REDIS_QUEUE_NAME, redisKeys } from './redis-keys';

/** What a worker takes from BullMQ: the request without its images, which wait in their own keys. */
export type RedisJobData = Omit<JobRequest, 'image' | 'mask'> & { readonly hasMask: boolean };

/**
 * The queue of a host node in Redis mode: jobs go to BullMQ and run on `fluxir worker` processes on
 * any machine; their events come back through Redis to whichever node the client is connected to.
 * Closing a node leaves the deployment's jobs alone: they keep their place and run.
 */
@injectable()
export class RedisJobQueue implements JobQueue {
  private readonly redis: Redis;
  private readonly mirror: RedisJobMirror;
  private readonly log: RedisEventLog;
  private readonly queue: Queue<RedisJobData>;
  private readonly events: QueueEvents;
  private readonly connections: Redis[];
  private accepting = true;

  constructor(
    @inject(ServerConfig) private readonly config: ServerConfig,
    @inject(ServerMetrics) private readonly metrics: ServerMetrics,
    @inject(Logger) private readonly logger: Logger,
  ) {
    const url = config.redisUrl!;
    this.redis = openRedis(url, 'fluxir-host');
    this.log = new RedisEventLog(this.redis, config.limits.resultTtlMs);
    const names = ['events', 'previews', 'queue', 'queue-events'];
    const [reader, subscriber, queue, events] = names.map((name) => openRedis(url, `fluxir-host-${name}`));
    this.connections = [this.redis, reader, subscriber, queue, events];
    this.mirror = new RedisJobMirror(this.redis, reader, subscriber, config.limits, logger, () => this.countChanged());
    this.queue = new Queue(REDIS_QUEUE_NAME, { connection: queue });
    this.events = new QueueEvents(REDIS_QUEUE_NAME, { connection: events });
    const reconnecting = (error: Error) => this.logger.debug({ err: error }, 'BullMQ lost its Redis connection; it reconnects');
    this.queue.on('error', reconnecting);
    this.events.on('error', reconnecting);
    // A job BullMQ gave up on (its workers kept dying) never reaches a worker's own error handling.
    this.events.on('failed', ({ jobId, failedReason }) => {
      const error = { code: 'E_INTERNAL' as const, message: `the job could not be run: ${failedReason}` };
      void this.log.record(jobId, { name: 'job:error', payload: { error } }).catch(() => undefined);
    });
  }

  async open(): Promise<void> {
    await this.mirror.start();
    this.logger.info({ jobs: this.mirror.views.size }, 'job queue on Redis');
  }

  async submit(request: JobRequest): Promise<JobSnapshot> {
    const { maxQueued, maxJobsPerClient } = this.config.limits;
    if (!this.accepting) throw serverErrors.shuttingDown();
    const views = [...this.mirror.views.values()];
    const open = views.filter((view) => view.open && view.meta.owner === request.owner).length;
    if (open >= maxJobsPerClient) throw serverErrors.clientLimit(maxJobsPerClient);
    const queued = views.filter((view) => view.status === 'queued').length;
    if (queued >= maxQueued) throw serverErrors.queueFull(maxQueued);
    const id = randomUUID();
    const keys = redisKeys.job(id);
    const meta: RedisJobMeta = { owner: request.owner, plugin: request.plugin, version: request.version, createdAt: Date.now() };
    const view = new RedisJobView(id, meta);
    this.mirror.views.set(id, view);
    const { image, mask, ...rest } = request;
    const write = this.redis.multi().set(keys.meta, JSON.stringify(meta), 'PX', OPEN_JOB_TTL_MS);
    write.set(keys.image, Buffer.from(image), 'PX', OPEN_JOB_TTL_MS).zadd(redisKeys.index, meta.createdAt, id);
    if (mask) write.set(keys.mask, Buffer.from(mask), 'PX', OPEN_JOB_TTL_MS);
    await write.exec();
    const queuedEvent = { name: 'job:queued' as const, payload: { position: queued } };
    const seq = await this.log.record(id, queuedEvent);
    view.apply(seq, queuedEvent, Date.now(), this.config.limits.resultTtlMs);
    await this.queue.add('restore', { ...rest, hasMask: mask !== undefined }, { jobId: id, removeOnComplete: true, removeOnFail: 1000 });
    this.logger.info({ jobId: id, owner: meta.owner, plugin: meta.plugin }, 'job queued');
    return view.snapshot();
  }

  get(jobId: string): JobSnapshot | undefined {
    return this.mirror.views.get(jobId)?.snapshot();
  }

  list(owner?: string): readonly JobSnapshot[] {
    const views = [...this.mirror.views.values()].filter((view) => owner === undefined || view.meta.owner === owner);
    return views.sort((a, b) => a.meta.createdAt - b.meta.createdAt).map((view) => view.snapshot());
  }

  async cancel(jobId: string): Promise<JobSnapshot> {
    const view = this.find(jobId);
    if (!view.open) return view.snapshot();
    const keys = redisKeys.job(jobId);
    // Marked first, so a worker taking the job from now on drops it; then removed if still waiting.
    await this.redis.set(keys.cancel, '1', 'PX', OPEN_JOB_TTL_MS);
    const removed = view.status === 'queued' && (await this.queue.remove(jobId)) === 1;
    if (removed) await this.log.record(jobId, { name: 'job:cancelled', payload: {} });
    else await this.redis.publish(redisKeys.cancels, jobId);
    await Promise.race([view.settled(), new Promise((resolve) => setTimeout(resolve, 30_000).unref())]);
    return view.snapshot();
  }

  result(jobId: string): JobOutput {
    const view = this.find(jobId);
    const output = view.result();
    if (!output) throw serverErrors.notReady(jobId, view.status);
    return output;
  }

  subscribe(jobId: string, listener: JobListener, afterSeq = 0): () => void {
    return this.find(jobId).subscribe(listener, afterSeq);
  }

  stats(): QueueStats {
    const views = [...this.mirror.views.values()];
    const count = (status: string) => views.filter((view) => view.status === status).length;
    const finished = views.filter((view) => !view.open).length;
    return { queued: count('queued'), running: count('running'), finished, accepting: this.accepting };
  }

  /** Stops this node taking jobs and lets go of Redis; queued and running jobs carry on elsewhere. */
  async close(_graceMs: number): Promise<void> {
    this.accepting = false;
    await this.mirror.stop();
    await Promise.allSettled([this.events.close(), this.queue.close()]);
    for (const connection of this.connections) connection.disconnect();
  }

  private find(jobId: string): RedisJobView {
    const view = this.mirror.views.get(jobId);
    if (!view) throw serverErrors.notFound(jobId);
    return view;
  }

  private countChanged(): void {
    const { queued, running } = this.stats();
    this.metrics.queueChanged(queued, running);
  }
}
