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
  /** At most this many finished jobs are kept (the oldest go first), whatever their age. */
  readonly maxRetainedJobs: number;
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
  maxRetainedJobs: 256,
  shutdownGraceMs: 15_000,
};

export const DEFAULT_SERVER_CONFIG: ServerConfig = {
  port: 7860,
  host: '127.0.0.1',
  corsOrigins: [],
  pluginDirs: [],
  plugins: [],
  logLevel: 'info',
  limits: DEFAULT_LIMITS,
};
