import type { BackendChoice } from '@fluxir/core';

/** Limits that keep one host healthy under load; every one is configurable. */
export interface ServerLimits {
  /** Bytes of one uploaded image (and, separately, of its mask). */
  readonly maxUploadBytes: number;
  /** Pixels of one image, checked from its header before decoding. */
  readonly maxPixels: number;
  /** Jobs waiting in the queue (running ones not counted); more get E_QUEUE_FULL. */
  readonly maxQueued: number;
  /** Open (queued or running) jobs of one client; more get E_CLIENT_LIMIT. */
  readonly maxJobsPerClient: number;
  /** Jobs run at the same time on the shared engine. */
  readonly concurrency: number;
  /** A running job is stopped with E_TIMEOUT after this long. */
  readonly jobTimeoutMs: number;
  /** Finished jobs and their results are kept this long for the REST API and reconnecting clients. */
  readonly resultTtlMs: number;
  /** Bytes of images and masks held by queued jobs in this process, all clients together; more get E_QUEUE_FULL. */
  readonly maxQueuedBytes: number;
  /** At most this many finished jobs are kept (the oldest go first), whatever their age. */
  readonly maxRetainedJobs: number;
  /** Wrong or missing tokens one address may send per minute; then it gets E_RATE_LIMITED until the minute is over. */
  readonly authFailuresPerMinute: number;
  /** A connection must have sent a request's headers within this time (slow or half-open clients are dropped). */
  readonly headersTimeoutMs: number;
  /** A whole request, upload included, must have arrived within this time. */
  readonly requestTimeoutMs: number;
  /** On SIGTERM, running jobs may finish within this time; then they are cancelled. */
  readonly shutdownGraceMs: number;
}

export const ServerConfig = Symbol('ServerConfig');
/** How the host server is set up: fluxir.config.json, FLUXIR_* variables and command-line flags. */
export interface ServerConfig {
  readonly port: number;
  readonly host: string;
  /** Shared token for sockets and REST; none means open access. */
  readonly token?: string;
  /**
   * Token for admin operations (metrics, cancelling any job, installing and managing plugins); also
   * accepted wherever `token` is. Without it the plugin admin API is off.
   */
  readonly adminToken?: string;
  /** Folders the admin API may install plugin packages from (besides `pluginDirs`). */
  readonly installRoots?: readonly string[];
  /**
   * Signs resume keys (at least 16 characters). Default: a random secret per process, so keys last as
   * long as the process; in Redis mode without one the nodes share a secret kept in Redis.
   */
  readonly resumeSecret?: string;
  /**
   * Names the host answers to besides the listen address, localhost, 127.0.0.1 and [::1] (the Host
   * header, port ignored); other Host headers are refused, which stops DNS rebinding.
   */
  readonly allowedHosts: readonly string[];
  /** Browser origins allowed by CORS (exact, or "*"); empty allows same-origin only. */
  readonly corsOrigins: readonly string[];
  /** Plugin folders, as HostOptions.pluginDirs. */
  readonly pluginDirs: readonly string[];
  /** Plugin packages named by module name, resolved from the working folder. */
  readonly plugins: readonly string[];
  readonly weightsDir?: string;
  readonly backend?: BackendChoice;
  readonly logLevel: 'debug' | 'info' | 'warn' | 'error' | 'silent';
  /** Redis mode: jobs go through BullMQ on this Redis (redis://host:port/db) and run on `fluxir worker` processes. */
  readonly redisUrl?: string;
  readonly limits: ServerLimits;
}

export const DEFAULT_LIMITS: ServerLimits = {
  maxUploadBytes: 25e6,
  maxPixels: 16e6,
  maxQueued: 64,
  maxJobsPerClient: 4,
  concurrency: 1,
  jobTimeoutMs: 10 * 60_000,
  resultTtlMs: 10 * 60_000,
  maxQueuedBytes: 256e6,
  maxRetainedJobs: 256,
  authFailuresPerMinute: 30,
  headersTimeoutMs: 15_000,
  requestTimeoutMs: 120_000,
  shutdownGraceMs: 15_000,
};

export const DEFAULT_SERVER_CONFIG: ServerConfig = {
  port: 7860,
  host: '127.0.0.1',
  corsOrigins: [],
  allowedHosts: [],
  pluginDirs: [],
  plugins: [],
  logLevel: 'info',
  limits: DEFAULT_LIMITS,
};
