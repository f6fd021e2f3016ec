import * as path from 'node:path';
import type { Container } from 'inversify';
import { adminModule } from '../admin/admin-module';
import { ImageCodec } from '../restore/image-codec.interface';
import { PrepareRunner } from '../restore/prepare-runner.interface';
import { ServerConfig } from '../config/server-config.interface';
import { jobModule } from '../jobs/job-module';
import { redisJobModule } from '../jobs/redis/redis-job-module';
import { createHostContainer, type HostContainerOptions } from '../host-container';
import { createLogger } from '../logging/pino-logger';
import { OffThreadWorker } from '../restore/off-thread-worker';
import { serverModule } from './server-module';

/**
 * The host container with the serving layer on top: plugin folders and packages from the server
 * configuration, the embedded job queue, metrics and routes. `overrides` lets tests bind a fake engine.
 */
export function createServerContainer(
  config: ServerConfig,
  overrides: HostContainerOptions = {},
  createHost: (options: HostContainerOptions) => Container = createHostContainer,
): Container {
  const logger = overrides.logger ?? createLogger(config.logLevel, process.stderr);
  const packages = config.plugins.flatMap((name) => {
    const dir = packageDir(name);
    if (!dir) logger.warn({ plugin: name }, `plugin package ${name} is not installed; skipped`);
    return dir ? [dir] : [];
  });
  const container = createHost({
    weightsDir: config.weightsDir,
    backend: config.backend,
    ...overrides,
    pluginDirs: [...config.pluginDirs, ...packages, ...(overrides.pluginDirs ?? [])],
    logger,
  });
  container.bind<ServerConfig>(ServerConfig).toConstantValue(config);
  container.load(serverModule, jobModule, adminModule);
  // A serving process keeps its event loop free: decoding, prepare and encoding go to a worker thread.
  container.bind(OffThreadWorker).toSelf().inSingletonScope().onDeactivation((worker) => worker.dispose());
  container.rebind<PrepareRunner>(PrepareRunner).toDynamicValue(({ container: c }) => c.get(OffThreadWorker));
  container.rebind<ImageCodec>(ImageCodec).toDynamicValue(({ container: c }) => c.get(OffThreadWorker));
  if (config.redisUrl) container.load(redisJobModule);
  return container;
}

function packageDir(name: string): string | undefined {
  try {
    return path.dirname(require.resolve(`${name}/package.json`, { paths: [process.cwd()] }));
  } catch {
    return undefined;
  }
}
