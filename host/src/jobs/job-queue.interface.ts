import type { PlannedSchedule } from '@fluxir/core';
import type { HostEventName, ImageMime, JobProgress, JobResultInfo, RestJob, ServerToClientEvents } from '@fluxir/sdk/protocol';
import { z } from 'zod';

export type { JobProgress };

/** Preview settings once defaults are applied; absent on a job when the client wants none. */
export interface PreviewSettings {
  readonly mime: 'image/jpeg' | 'image/webp';
  readonly maxSide: number;
  readonly quality: number;
}

/**
 * A job as accepted, with the plan made when it came in: its plugin version, parsed parameters, step
 * count and schedule, as plain data (it travels through Redis to a worker). Images stay encoded until it runs.
 */
export interface JobRequest {
  /** The principal that submitted it (from its resume key); never sent to a client. */
  readonly owner: string;
  readonly plugin: string;
  /** The exact plugin version that runs it. */
  readonly version: string;
  readonly image: Uint8Array;
  readonly mask?: Uint8Array;
  /** Parsed by the plugin's schema, defaults filled in. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly steps: number;
  readonly schedule: PlannedSchedule;
  readonly seed?: number;
  readonly preview?: PreviewSettings;
  readonly resultMime: ImageMime;
}

export type JobEventName = Exclude<keyof ServerToClientEvents, HostEventName>;
/** A job event as it goes out on the socket: the event name and its payload (with jobId and seq). */
export type JobEvent = {
  [K in JobEventName]: { readonly name: K; readonly payload: Parameters<ServerToClientEvents[K]>[0] };
}[JobEventName];

/** The restored image, encoded. */
export interface JobOutput extends JobResultInfo {
  readonly data: Buffer;
}

/** A job's state: what the REST API shows (restJobSchema) and the principal it belongs to, which clients never see (see `publicJob`). */
export interface JobSnapshot extends RestJob {
  readonly owner: string;
}

export const queueStatsSchema = z.object({
  queued: z.number().int(),
  running: z.number().int(),
  finished: z.number().int().meta({ description: 'finished jobs still held for their results' }),
  accepting: z.boolean(),
});

export type QueueStats = Readonly<z.infer<typeof queueStatsSchema>>;

export type JobListener = (event: JobEvent) => void;

export const JobQueue = Symbol('JobQueue');
/**
 * Where jobs wait and run. The embedded default is in-process; a Redis/BullMQ queue implements the
 * same contract. Refusals throw ServerError (E_QUEUE_FULL, E_CLIENT_LIMIT, E_SHUTTING_DOWN,
 * E_NOT_FOUND, E_NOT_READY).
 */
export interface JobQueue {
  /** Connects and loads the jobs it already holds (Redis mode); the host calls it before it listens. */
  open?(): Promise<void>;
  /** Resolves once the job is stored (in Redis mode, durably: it survives this node). */
  submit(request: JobRequest): JobSnapshot | Promise<JobSnapshot>;
  get(jobId: string): JobSnapshot | undefined;
  /** The owner's open and recent jobs, oldest first; every job without an owner (admin). */
  list(owner?: string): readonly JobSnapshot[];
  /** Cancels a queued job at once, a running one within one sampling step (resolves once it has stopped). Finished jobs are left as they are. */
  cancel(jobId: string): Promise<JobSnapshot>;
  result(jobId: string): JobOutput;
  /** Replays the job's recorded events with seq > afterSeq (previews are never recorded), then follows it. */
  subscribe(jobId: string, listener: JobListener, afterSeq?: number): () => void;
  stats(): QueueStats;
  /** Stops accepting, cancels queued jobs, lets running ones finish within graceMs, then cancels them. */
  close(graceMs: number): Promise<void>;
}

export interface JobExecution {
  readonly jobId: string;
  readonly signal: AbortSignal;
  /** Sends started, progress and preview events (the queue numbers them). */
  emit(event: ExecutionEvent): void;
}

type Unnumbered<E> = E extends { name: infer N; payload: infer P } ? { name: N; payload: Omit<P, 'seq' | 'jobId'> } : never;
export type ExecutionEvent = Unnumbered<Extract<JobEvent, { name: 'job:started' | 'job:progress' | 'job:preview' }>>;

export const JobExecutor = Symbol('JobExecutor');
/** Runs one job: decode, restore on the shared engine, encode. Throws on failure or abort. */
export interface JobExecutor {
  execute(request: JobRequest, execution: JobExecution): Promise<JobOutput>;
}
