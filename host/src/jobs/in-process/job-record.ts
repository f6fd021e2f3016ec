import type { StepProgress } from '@fluxir/core';
import type { JobStatus, ProtocolError } from '@fluxir/sdk/protocol';
import type { JobEvent, JobEventName, JobListener, JobOutput, JobRequest, JobSnapshot } from '../job-queue.interface';

type Payload<K extends JobEventName> = Omit<Extract<JobEvent, { name: K }>['payload'], 'jobId' | 'seq'>;

/**
 * One job's state and its event history. Events are numbered; all but previews are recorded (only the
 * latest queue position and progress are kept) so a client that reconnects can be replayed what it missed.
 */
export class JobRecord {
  status: JobStatus = 'queued';
  position?: number;
  progress?: StepProgress;
  error?: ProtocolError;
  output?: JobOutput;
  startedAt?: number;
  finishedAt?: number;
  expiresAt?: number;
  /** Set when a client cancels the running job: its outcome is decided, though the engine may finish its step. */
  cancelRequested = false;
  /** The encoded input, released once the job has run. */
  request?: JobRequest;
  readonly controller = new AbortController();
  readonly createdAt = Date.now();
  readonly owner: string;
  readonly plugin: string;
  readonly version: string;
  private seq = 0;
  private readonly history: JobEvent[] = [];
  private readonly listeners = new Set<JobListener>();
  private readonly settledWaiters: (() => void)[] = [];

  constructor(
    readonly id: string,
    request: JobRequest,
  ) {
    this.request = request;
    this.owner = request.owner;
    this.plugin = request.plugin;
    this.version = request.version;
  }

  get open(): boolean {
    return this.status === 'queued' || this.status === 'running';
  }

  emit<K extends JobEventName>(name: K, payload: Payload<K>): void {
    if (isProgress(name, payload)) this.progress = payload;
    // The union of names and payloads is correlated by K; TypeScript cannot follow it through the spread.
    const event = { name, payload: { ...payload, jobId: this.id, seq: ++this.seq } } as unknown as JobEvent;
    if (name !== 'job:preview') this.record(event);
    for (const listener of this.listeners) listener(event);
  }

  subscribe(listener: JobListener, afterSeq = 0): () => void {
    for (const event of this.history) if (event.payload.seq > afterSeq) listener(event);
    if (this.open) this.listeners.add(listener);
    return () => void this.listeners.delete(listener);
  }

  /** Marks the job finished; nothing further is emitted after its final event. */
  settle(status: 'done' | 'failed' | 'cancelled', ttlMs: number): void {
    this.status = status;
    this.position = undefined;
    this.finishedAt = Date.now();
    this.expiresAt = this.finishedAt + ttlMs;
    this.request = undefined;
    this.listeners.clear();
    for (const resolve of this.settledWaiters.splice(0)) resolve();
  }

  settled(): Promise<void> {
    return this.open ? new Promise((resolve) => this.settledWaiters.push(resolve)) : Promise.resolve();
  }

  snapshot(): JobSnapshot {
    const { id, owner, plugin, version, position, progress, error, createdAt, startedAt, finishedAt } = this;
    const status = this.cancelRequested && this.open ? 'cancelled' : this.status;
    const result = this.output && withoutData(this.output);
    return { id, owner, plugin, version, status, position, progress, error, createdAt, startedAt, finishedAt, result };
  }

  private record(event: JobEvent): void {
    const last = this.history[this.history.length - 1];
    const replaces = event.name === 'job:progress' || event.name === 'job:queued';
    if (replaces && last?.name === event.name) this.history.pop();
    this.history.push(event);
  }
}

/** A progress payload is the engine's StepProgress itself (ProgressEvent extends it). */
function isProgress(name: JobEventName, payload: Payload<JobEventName>): payload is Payload<'job:progress'> {
  return name === 'job:progress';
}

function withoutData(output: JobOutput): Omit<JobOutput, 'data'> {
  const { data: _data, ...rest } = output;
  return rest;
}
