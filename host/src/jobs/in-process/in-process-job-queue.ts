import { randomUUID } from 'node:crypto';
import { inject, injectable } from 'inversify';
import {
  JobExecutor,
  type JobListener,
  type JobOutput,
  type JobQueue,
  type JobRequest,
  type JobSnapshot,
  type QueueStats,
} from '../job-queue.interface';
import { Logger } from '../../logging/logger.interface';
import { ServerConfig } from '../../config/server-config.interface';
import { serverErrors, ServerError, toProtocolError } from '../../errors/server-error';
import { ServerMetrics } from '../../server/server-metrics.interface';
import { FairQueue } from './fair-queue';
import { JobRecord } from './job-record';
import { JobTable } from './job-table';

/**
 * The embedded queue: bounded, round-robin between clients, `concurrency` jobs at a time on the shared
 * engine, each with a timeout; finished jobs are kept `resultTtlMs` for their results.
 */
@injectable()
export class InProcessJobQueue implements JobQueue {
  private readonly jobs: JobTable;
  private readonly waiting = new FairQueue<JobRecord>();
  private running = 0;
  private accepting = true;

  constructor(
    @inject(JobExecutor) private readonly executor: JobExecutor,
    @inject(ServerConfig) private readonly config: ServerConfig,
    @inject(ServerMetrics) private readonly metrics: ServerMetrics,
    @inject(Logger) private readonly logger: Logger,
  ) {
    this.jobs = new JobTable(config.limits.resultTtlMs, config.limits.maxRetainedJobs);
  }

  submit(request: JobRequest): JobSnapshot {
    const { maxQueued, maxJobsPerClient, maxQueuedBytes } = this.config.limits;
    if (!this.accepting) throw serverErrors.shuttingDown();
    const open = this.jobs.all().filter((job) => job.open && job.owner === request.owner).length;
    if (open >= maxJobsPerClient) throw serverErrors.clientLimit(maxJobsPerClient);
    if (this.waiting.size >= maxQueued) throw serverErrors.queueFull(maxQueued);
    // Resume keys are free to get, so per-client limits alone do not bound the memory uploads hold.
    if (this.heldBytes() + requestBytes(request) > maxQueuedBytes) throw serverErrors.queueBytesFull(maxQueuedBytes);
    const job = new JobRecord(randomUUID(), request);
    this.jobs.add(job);
    this.waiting.push(job);
    this.updatePositions();
    this.logger.info({ jobId: job.id, owner: job.owner, plugin: job.plugin }, 'job queued');
    // Started on the next turn of the event loop, so the submitter hears "queued" before "started".
    setImmediate(() => this.pump());
    return job.snapshot();
  }

  get(jobId: string): JobSnapshot | undefined {
    return this.jobs.get(jobId)?.snapshot();
  }

  list(owner?: string): readonly JobSnapshot[] {
    return this.jobs.all().filter((job) => owner === undefined || job.owner === owner).map((job) => job.snapshot());
  }

  async cancel(jobId: string): Promise<JobSnapshot> {
    const job = this.find(jobId);
    if (job.status === 'queued') {
      this.waiting.remove(job.id);
      this.finish(job, 'cancelled');
      this.updatePositions();
    } else if (job.status === 'running') {
      job.cancelRequested = true;
      job.controller.abort();
      await job.settled();
    }
    return job.snapshot();
  }

  result(jobId: string): JobOutput {
    const job = this.find(jobId);
    if (!job.output) throw serverErrors.notReady(jobId, job.status);
    return job.output;
  }

  subscribe(jobId: string, listener: JobListener, afterSeq = 0): () => void {
    return this.find(jobId).subscribe(listener, afterSeq);
  }

  stats(): QueueStats {
    const finished = this.jobs.all().filter((job) => !job.open).length;
    return { queued: this.waiting.size, running: this.running, finished, accepting: this.accepting };
  }

  async close(graceMs: number): Promise<void> {
    this.accepting = false;
    for (const job of this.waiting.drain()) this.finish(job, 'cancelled');
    await this.jobs.settleRunning(graceMs, (late) => {
      this.logger.warn({ jobs: late.length }, `cancelling running jobs after the ${graceMs} ms grace period`);
      for (const job of late) job.controller.abort();
    });
    this.jobs.dispose();
  }

  /** Bytes of the encoded inputs of open jobs (released once a job has run). */
  private heldBytes(): number {
    return this.jobs.all().reduce((sum, job) => sum + (job.request ? requestBytes(job.request) : 0), 0);
  }

  private find(jobId: string): JobRecord {
    const job = this.jobs.get(jobId);
    if (!job) throw serverErrors.notFound(jobId);
    return job;
  }

  private pump(): void {
    while (this.running < this.config.limits.concurrency && this.waiting.size) void this.run(this.waiting.next()!);
    this.updatePositions();
  }

  private async run(job: JobRecord): Promise<void> {
    this.running++;
    job.status = 'running';
    job.startedAt = Date.now();
    const { jobTimeoutMs } = this.config.limits;
    const timer = setTimeout(() => job.controller.abort(serverErrors.timeout(jobTimeoutMs)), jobTimeoutMs);
    try {
      job.output = await this.executor.execute(job.request!, {
        jobId: job.id,
        signal: job.controller.signal,
        emit: (event) => job.emit(event.name, event.payload),
      });
      if (job.controller.signal.aborted) this.finishAborted(job);
      else {
        job.emit('job:result', job.output);
        this.finish(job, 'done');
      }
    } catch (error) {
      if (job.controller.signal.aborted) this.finishAborted(job);
      else this.finish(job, 'failed', error);
    } finally {
      clearTimeout(timer);
      this.running--;
      this.pump();
    }
  }

  private finishAborted(job: JobRecord): void {
    const reason: unknown = job.controller.signal.reason;
    if (reason instanceof ServerError) this.finish(job, 'failed', reason);
    else this.finish(job, 'cancelled');
  }

  private finish(job: JobRecord, status: 'done' | 'failed' | 'cancelled', error?: unknown): void {
    if (status === 'failed') {
      job.error = toProtocolError(error);
      this.metrics.error(job.error.code);
      job.emit('job:error', { error: job.error });
      if (job.error.code === 'E_INTERNAL') this.logger.error({ jobId: job.id, err: error }, 'job failed');
    }
    if (status === 'cancelled') job.emit('job:cancelled', {});
    if (status !== 'done') job.output = undefined;
    const seconds = (Date.now() - (job.startedAt ?? job.createdAt)) / 1000;
    this.metrics.jobFinished(job.plugin, status, seconds);
    this.logger.info({ jobId: job.id, status, seconds, code: job.error?.code }, `job ${status}`);
    job.settle(status, this.config.limits.resultTtlMs);
    this.jobs.finished(job);
  }

  private updatePositions(): void {
    for (const [position, job] of this.waiting.order().entries()) {
      if (job.position === position) continue;
      job.position = position;
      job.emit('job:queued', { position });
    }
    this.metrics.queueChanged(this.waiting.size, this.running);
  }
}

function requestBytes(request: JobRequest): number {
  return request.image.byteLength + (request.mask?.byteLength ?? 0);
}
