import type { Container } from 'inversify';
import { JobExecutor } from '../job-queue.interface';
import { Logger } from '../../logging/logger.interface';
import { ServerConfig } from '../../config/server-config.interface';
import { disposeHostContainer } from '../../host-container';
import { RedisJobWorker, type RedisWorkerOptions } from './redis-job-worker';

/** A worker built from a server container (its engine, plugins and limits), stopped on SIGTERM or SIGINT. */
export async function runRedisWorker(container: Container, options: Omit<RedisWorkerOptions, 'redisUrl' | 'concurrency'> & Partial<RedisWorkerOptions>): Promise<RedisJobWorker> {
  const config = container.get<ServerConfig>(ServerConfig);
  const logger = container.get<Logger>(Logger);
  const redisUrl = options.redisUrl ?? config.redisUrl;
  if (!redisUrl) throw new Error('no Redis URL: set redisUrl in fluxir.config.json or FLUXIR_REDIS_URL');
  const executor = container.get<JobExecutor>(JobExecutor);
  const worker = new RedisJobWorker(executor, config.limits, logger, { ...options, redisUrl, concurrency: options.concurrency ?? config.limits.concurrency });
  await worker.start();
  const stop = (signal: string) => {
    logger.info({ signal }, 'worker stopping after the jobs in hand');
    process.off('SIGTERM', onTerm);
    process.off('SIGINT', onInt);
    void worker
      .stop()
      .then(() => disposeHostContainer(container))
      .finally(() => process.exit(0));
  };
  const onTerm = () => stop('SIGTERM');
  const onInt = () => stop('SIGINT');
  process.on('SIGTERM', onTerm);
  process.on('SIGINT', onInt);
  return worker;
}
