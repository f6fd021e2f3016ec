import type { JobStatus, ProtocolError } from '@fluxir/sdk/protocol';
import type { StepProgress } from '@fluxir/core';
import type { JobEvent, JobListener, JobOutput, JobSnapshot } from '../job-queue.interface';
import type { PreviewPayload, RecordedEvent } from './redis-event-log';

/** What every host node knows of a job from its creation, stored with it in Redis. */
export interface RedisJobMeta {
  readonly owner: string;
  readonly plugin: string;
  readonly version: string;
  readonly createdAt: number;
}

/**
 * A host node's copy of one job, built from the job's history in Redis: events are applied in the
 * order of their seq (shared by every node), so a client that moves to another node resumes where it was.
 */
export class RedisJobView {
  status: JobStatus = 'queued';
  lastSeq = 0;
  private position?: number;
  private progress?: StepProgress;
  private error?: ProtocolError;
  private output?: JobOutput;
  private startedAt?: number;
  private finishedAt?: number;
  expiresAt?: number;
  private readonly history: JobEvent[] = [];
  private readonly listeners = new Set<JobListener>();
  private readonly settledWaiters: (() => void)[] = [];

  constructor(
    readonly id: string,
    readonly meta: RedisJobMeta,
  ) {}

  get open(): boolean {
    return this.status === 'queued' || this.status === 'running';
  }

  /** Applies a recorded event once (a seq already seen is ignored); `data` is the result image. */
  apply(seq: number, event: RecordedEvent, at: number, resultTtlMs: number, data?: Buffer): void {
    if (seq <= this.lastSeq || !this.open) return;
    this.lastSeq = seq;
    const payload = { ...event.payload, jobId: this.id, seq };
    if (event.name === 'job:queued') this.position = event.payload.position;
    if (event.name === 'job:started') [this.status, this.startedAt, this.position] = ['running', at, undefined];
    if (event.name === 'job:progress') this.progress = event.payload;
    if (event.name === 'job:error') [this.status, this.error] = ['failed', event.payload.error];
    if (event.name === 'job:cancelled') this.status = 'cancelled';
    if (event.name === 'job:result') {
      this.status = data ? 'done' : 'failed';
      if (data) this.output = { ...event.payload, data };
      else this.error = { code: 'E_NOT_FOUND', message: `the result of job ${this.id} has expired` };
    }
    // A result is sent with its image, as the embedded queue sends it.
    const full = (event.name === 'job:result' ? { name: event.name, payload: { ...payload, data } } : { name: event.name, payload }) as JobEvent;
    this.remember(full);
    for (const listener of this.listeners) listener(full);
    if (!this.open) this.settle(at, resultTtlMs);
  }

  /** Previews are passed on, never kept; they carry the seq of the last recorded event. */
  preview(preview: PreviewPayload): void {
    if (this.status !== 'running') return;
    const event = { name: 'job:preview', payload: { ...preview, jobId: this.id, seq: this.lastSeq } } as JobEvent;
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: JobListener, afterSeq = 0): () => void {
    for (const event of this.history) if (event.payload.seq > afterSeq) listener(event);
    if (this.open) this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  settled(): Promise<void> {
    return this.open ? new Promise((resolve) => this.settledWaiters.push(resolve)) : Promise.resolve();
  }

  result(): JobOutput | undefined {
    return this.output;
  }

  snapshot(): JobSnapshot {
    const { id, status, position, progress, error, startedAt, finishedAt } = this;
    const { owner, plugin, version, createdAt } = this.meta;
    const result = this.output && withoutData(this.output);
    return { id, owner, plugin, version, status, position, progress, error, createdAt, startedAt, finishedAt, result };
  }

  private remember(event: JobEvent): void {
    const last = this.history[this.history.length - 1];
    const replaces = event.name === 'job:progress' || event.name === 'job:queued';
    if (replaces && last?.name === event.name) this.history.pop();
    this.history.push(event);
  }

  private settle(at: number, resultTtlMs: number): void {
    this.position = undefined;
    this.finishedAt = at;
    this.expiresAt = at + resultTtlMs;
    this.listeners.clear();
    for (const resolve of this.settledWaiters.splice(0)) resolve();
  }
}

function withoutData(output: JobOutput): Omit<JobOutput, 'data'> {
  const { data: _data, ...rest } = output;
  return rest;
}
