import { Redis } from 'ioredis';

/** Where Redis mode keeps its state; the database in the URL (redis://host:6379/2) separates deployments. */
export const REDIS_QUEUE_NAME = 'fluxir-jobs';
export const redisKeys = {
  /** Sorted set of job ids by creation time: what a host node loads when it starts. */
  index: 'fluxir:jobs',
  /** Stream of every recorded job event, tailed by every host node. */
  events: 'fluxir:events',
  /** Pub/sub channel of preview frames (binary, never stored). */
  previews: 'fluxir:previews',
  /** The secret host nodes sign resume keys with, when the configuration gives none. */
  resumeSecret: 'fluxir:resume-secret',
  /** Pub/sub channel of job ids whose cancellation was asked while they run. */
  cancels: 'fluxir:cancels',
  job: (jobId: string) => {
    const base = `fluxir:job:${jobId}`;
    return {
      meta: `${base}:meta`,
      image: `${base}:image`,
      mask: `${base}:mask`,
      events: `${base}:events`,
      final: `${base}:final`,
      result: `${base}:result`,
      cancel: `${base}:cancel`,
    };
  },
};

/** A job's keys live this long while it is open, so a job waiting for a worker outlives any host restart. */
export const OPEN_JOB_TTL_MS = 24 * 3600_000;
/** The event stream is trimmed to about this many entries; job histories themselves are kept per job. */
export const EVENT_STREAM_LENGTH = 20_000;

/**
 * A connection that waits through Redis restarts instead of failing commands: requests are queued
 * while it reconnects (BullMQ needs `maxRetriesPerRequest: null` for the same reason).
 */
export function openRedis(url: string, name: string): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableOfflineQueue: true,
    connectionName: name,
    retryStrategy: (times) => Math.min(50 * times, 1000),
  });
}
