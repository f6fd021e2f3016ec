import * as path from 'node:path';
import type { Container } from 'inversify';
import { adminModule } from '../admin/admin-module';
import { ServerConfig } from '../config/server-config.interface';
import { jobModule } from '../jobs/job-module';
import { redisJobModule } from '../jobs/redis/redis-job-module';
import { createHostContainer, type HostContainerOptions } from '../host-container';
import { createLogger } from '../logging/pino-logger';
import { offThreadModule } from '../restore/off-thread-module';
import { panelServerModule } from '../panel-server/panel-server-module';
import { serverModule } from './server-module';

/**
 * The host container with the serving layer on top: plugin folders and packages from the server
 * configuration, the embedded job queue, metrics, routes and the panel. `overrides` lets tests bind a fake engine.
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
  container.load(panelServerModule, serverModule, jobModule, adminModule, offThreadModule);
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
