import { BACKEND_CHOICES, oneOf, type BackendChoice } from '@fluxir/core';
import { z } from 'zod';

const positiveInt = z.number().int().positive();

/** fluxir.config.json: every field optional; unknown fields are refused so typos do not pass silently. */
export const serverConfigFileSchema = z.strictObject({
  port: z.number().int().min(0).max(65535).optional(),
  host: z.string().min(1).optional(),
  token: z.string().min(8, 'a token needs at least 8 characters').optional(),
  adminToken: z.string().min(8, 'a token needs at least 8 characters').optional(),
  resumeSecret: z.string().min(16, 'a resume secret needs at least 16 characters').optional(),
  allowedHosts: z.array(z.string().min(1)).optional(),
  corsOrigins: z.array(z.string().min(1)).optional(),
  pluginDirs: z.array(z.string().min(1)).optional(),
  installRoots: z.array(z.string().min(1)).optional(),
  plugins: z.array(z.string().min(1)).optional(),
  weightsDir: z.string().min(1).optional(),
  backend: z
    .custom<BackendChoice>((v) => BACKEND_CHOICES.includes(v as BackendChoice), { message: `expected ${oneOf(BACKEND_CHOICES)}` })
    .optional(),
  logLevel: z.enum(['debug', 'info', 'warn', 'error', 'silent']).optional(),
  redisUrl: z.string().regex(/^rediss?:\/\/\S+$/, 'expected a redis:// or rediss:// URL').optional(),
  limits: z
    .strictObject({
      maxUploadBytes: positiveInt.optional(),
      maxPixels: positiveInt.optional(),
      maxQueued: positiveInt.optional(),
      maxJobsPerClient: positiveInt.optional(),
      concurrency: positiveInt.max(64).optional(),
      jobTimeoutMs: positiveInt.optional(),
      resultTtlMs: positiveInt.optional(),
      maxQueuedBytes: positiveInt.optional(),
      maxRetainedJobs: positiveInt.optional(),
      authFailuresPerMinute: positiveInt.optional(),
      headersTimeoutMs: positiveInt.optional(),
      requestTimeoutMs: positiveInt.optional(),
      shutdownGraceMs: z.number().int().min(0).optional(),
    })
    .optional(),
});

export type ServerConfigFile = z.infer<typeof serverConfigFileSchema>;

type LimitKey = keyof NonNullable<ServerConfigFile['limits']>;
type TopKey = Exclude<keyof ServerConfigFile, 'limits'>;

/** FLUXIR_* variables and the field each sets. Lists are comma-separated. */
export const ENV_FIELDS: Readonly<Record<string, { readonly field: TopKey | `limits.${LimitKey}`; readonly kind: 'string' | 'int' | 'list' }>> = {
  FLUXIR_PORT: { field: 'port', kind: 'int' },
  FLUXIR_HOST: { field: 'host', kind: 'string' },
  FLUXIR_TOKEN: { field: 'token', kind: 'string' },
  FLUXIR_ADMIN_TOKEN: { field: 'adminToken', kind: 'string' },
  FLUXIR_RESUME_SECRET: { field: 'resumeSecret', kind: 'string' },
  FLUXIR_ALLOWED_HOSTS: { field: 'allowedHosts', kind: 'list' },
  FLUXIR_CORS_ORIGINS: { field: 'corsOrigins', kind: 'list' },
  FLUXIR_PLUGIN_DIRS: { field: 'pluginDirs', kind: 'list' },
  FLUXIR_PLUGINS: { field: 'plugins', kind: 'list' },
  FLUXIR_INSTALL_ROOTS: { field: 'installRoots', kind: 'list' },
  FLUXIR_WEIGHTS_DIR: { field: 'weightsDir', kind: 'string' },
  FLUXIR_BACKEND: { field: 'backend', kind: 'string' },
  FLUXIR_LOG_LEVEL: { field: 'logLevel', kind: 'string' },
  FLUXIR_REDIS_URL: { field: 'redisUrl', kind: 'string' },
  FLUXIR_MAX_UPLOAD_BYTES: { field: 'limits.maxUploadBytes', kind: 'int' },
  FLUXIR_MAX_PIXELS: { field: 'limits.maxPixels', kind: 'int' },
  FLUXIR_MAX_QUEUED: { field: 'limits.maxQueued', kind: 'int' },
  FLUXIR_MAX_JOBS_PER_CLIENT: { field: 'limits.maxJobsPerClient', kind: 'int' },
  FLUXIR_CONCURRENCY: { field: 'limits.concurrency', kind: 'int' },
  FLUXIR_JOB_TIMEOUT_MS: { field: 'limits.jobTimeoutMs', kind: 'int' },
  FLUXIR_RESULT_TTL_MS: { field: 'limits.resultTtlMs', kind: 'int' },
  FLUXIR_MAX_QUEUED_BYTES: { field: 'limits.maxQueuedBytes', kind: 'int' },
  FLUXIR_MAX_RETAINED_JOBS: { field: 'limits.maxRetainedJobs', kind: 'int' },
  FLUXIR_AUTH_FAILURES_PER_MINUTE: { field: 'limits.authFailuresPerMinute', kind: 'int' },
  FLUXIR_HEADERS_TIMEOUT_MS: { field: 'limits.headersTimeoutMs', kind: 'int' },
  FLUXIR_REQUEST_TIMEOUT_MS: { field: 'limits.requestTimeoutMs', kind: 'int' },
  FLUXIR_SHUTDOWN_GRACE_MS: { field: 'limits.shutdownGraceMs', kind: 'int' },
};
