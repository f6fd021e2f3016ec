import type { StepProgress } from '@fluxir/core';
import type { z } from 'zod';
import type { ProtocolError } from './error-codes';
import type {
  imageMimeSchema,
  jobProgressSchema,
  jobResultInfoSchema,
  jobStatusSchema,
  jobSummarySchema,
  pluginInfoSchema,
  previewMimeSchema,
  restJobSchema,
} from './job-schemas';
import type { attachSchema, handshakeAuthSchema, jobRefSchema, previewOptionsSchema, submitJobSchema } from './payload-schemas';

/**
 * The socket.io protocol between the host and editor front-ends (namespace `/`, path `/socket.io`).
 * Images, masks, previews and results travel as binary attachments (Buffer in Node, ArrayBuffer in
 * browsers), never as base64 inside JSON. Every client payload is validated at run time against
 * payload-schemas.ts; a payload that does not match gets E_BAD_REQUEST and changes nothing.
 *
 * Handshake `auth`: `{ token?: string, resumeKey?: string }`. The token is required when the host is
 * configured with one (E_UNAUTHORIZED otherwise); it is never read from the URL. Jobs belong to a
 * principal the host issues: right after the connection it sends `session { resumeKey }`, the key of
 * the principal this socket acts as. A client that connects again with that `resumeKey` is the same
 * principal: `jobs:list` and `job:attach` give it its jobs back, per-principal limits count them. A key
 * the host did not issue (or no longer accepts) is ignored and a fresh one is issued. Keep the key
 * secret: it is what makes a job yours. Other handshake fields (an older client's `clientId`) are ignored.
 * A refused handshake ends in the client's `connect_error`, whose `data` is a ProtocolError
 * (`{ code: 'E_UNAUTHORIZED', message }`).
 */
export const PROTOCOL_VERSION = 1;

/** Bytes as they arrive: Buffer (a Uint8Array) in Node, ArrayBuffer in browsers. */
export type Binary = ArrayBuffer | Uint8Array;

export type JobStatus = z.infer<typeof jobStatusSchema>;

export type ImageMime = z.infer<typeof imageMimeSchema>;

export type { StepBudgetInfo } from './step-budget';

/** One loaded plugin version, as the panel needs it to build its form. */
export type PluginInfo = Readonly<z.infer<typeof pluginInfoSchema>>;

export type PreviewOptions = Readonly<z.infer<typeof previewOptionsSchema>>;

/** A job as a client submits it (`job:submit`); see submitJobSchema for each field. */
export type SubmitJob = Readonly<z.infer<typeof submitJobSchema>>;

export type Ack<T> = (response: ({ readonly ok: true } & T) | { readonly ok: false; readonly error: ProtocolError }) => void;

export type JobRef = Readonly<z.infer<typeof jobRefSchema>>;

/** `job:attach`: the job, and the last event seq the client has. */
export type JobAttach = Readonly<z.infer<typeof attachSchema>>;

/** Handshake `auth`. */
export type HandshakeAuth = Readonly<z.infer<typeof handshakeAuthSchema>>;

/** Every job event carries a sequence number so a reconnecting client can ask for what it missed. */
export interface JobEventBase extends JobRef {
  readonly seq: number;
}

export interface QueuedEvent extends JobEventBase {
  /** 0 = next to run. */
  readonly position: number;
}

export interface StartedEvent extends JobEventBase {
  readonly plugin: string;
  readonly version: string;
  readonly steps: number;
  readonly schedule: readonly number[];
  readonly width: number;
  readonly height: number;
}

/** Where a running job is: the engine's own StepProgress, which jobProgressSchema describes on the wire. */
export type JobProgress = StepProgress;

export type ProgressEvent = JobEventBase & JobProgress;

/** One frame per sampling step: the whole-image estimate x0_hat after that step. */
export interface PreviewEvent extends JobEventBase {
  readonly step: number;
  readonly steps: number;
  readonly t: number;
  /** Only on a preview within a step: `tile` of its `tiles` tiles are restored, the rest is the input. */
  readonly tile?: number;
  readonly tiles?: number;
  readonly mime: z.infer<typeof previewMimeSchema>;
  readonly width: number;
  readonly height: number;
  readonly data: Binary;
}

/** The restored image, as described beside its bytes (see jobResultInfoSchema). */
export type JobResultInfo = Readonly<z.infer<typeof jobResultInfoSchema>>;

export interface ResultEvent extends JobEventBase, JobResultInfo {
  readonly data: Binary;
}

export interface JobErrorEvent extends JobEventBase {
  readonly error: ProtocolError;
}

export type JobSummary = Readonly<z.infer<typeof jobSummarySchema>>;

/** A job as the REST API shows it (see restJobSchema). */
export type RestJob = Readonly<z.infer<typeof restJobSchema>>;

export interface ServerToClientEvents {
  /** On submission, and again whenever the job's place in the queue changes. */
  'job:queued': (event: QueuedEvent) => void;
  'job:started': (event: StartedEvent) => void;
  'job:progress': (event: ProgressEvent) => void;
  /**
   * Sent volatile: dropped, not queued, when the client is slow. A step that ends while the previous
   * frame is still being encoded replaces any frame waiting, so the newest step is always the one sent.
   */
  'job:preview': (event: PreviewEvent) => void;
  'job:result': (event: ResultEvent) => void;
  'job:error': (event: JobErrorEvent) => void;
  'job:cancelled': (event: JobEventBase) => void;
  /** Sent once right after the connection: the resume key of the principal this socket acts as. */
  session: (event: SessionEvent) => void;
  /** The host is stopping: running jobs finish or are cancelled within graceMs. */
  'server:shutdown': (event: { readonly graceMs: number }) => void;
  /**
   * An administrator installed, enabled, disabled, reloaded or removed a plugin version (or the host
   * took it out of service): ask `plugins:list` again. Jobs of a version that stops serving end with E_PLUGIN.
   */
  'plugins:changed': (event: PluginsChangedEvent) => void;
}

/** Events of the host as a whole, not of one job. */
export type HostEventName = 'session' | 'server:shutdown' | 'plugins:changed';

export interface SessionEvent {
  /** Unguessable; send it back as handshake `auth.resumeKey` (sockets) or `X-Fluxir-Resume-Key` (REST). */
  readonly resumeKey: string;
}

export interface PluginsChangedEvent {
  readonly change: 'installed' | 'enabled' | 'disabled' | 'reloaded' | 'removed' | 'isolated';
  readonly id: string;
  readonly version: string;
}

export interface ClientToServerEvents {
  'plugins:list': (ack: Ack<{ readonly plugins: readonly PluginInfo[] }>) => void;
  'job:submit': (job: SubmitJob, ack: Ack<{ readonly jobId: string; readonly position: number }>) => void;
  'job:cancel': (ref: JobRef, ack: Ack<{ readonly status: JobStatus }>) => void;
  /**
   * After a reconnect: resend this job's events with seq > afterSeq (previews are not replayed),
   * including its result when it is done, and keep sending its events to this socket.
   */
  'job:attach': (ref: JobAttach, ack: Ack<{ readonly job: JobSummary }>) => void;
  /** The client's own open and recent jobs. */
  'jobs:list': (ack: Ack<{ readonly jobs: readonly JobSummary[] }>) => void;
}
