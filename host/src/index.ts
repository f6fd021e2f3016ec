import 'reflect-metadata';

// The container and what every part of the host shares.
export * from './host-container';
export * from './host-options.interface';
export * from './logging/logger.interface';
export * from './logging/pino-logger';
export * from './errors/error-report';
export * from './errors/server-error';
// Plugins: discovery, checks, the registry and what clients see of it.
export * from './plugins/plugin-manifest';
export * from './plugins/plugin-registry.interface';
export * from './plugins/plugin-catalog.interface';
export * from './plugins/plugin-discovery';
export * from './plugins/node-plugin-loader';
export * from './plugins/default-plugin-registry';
export * from './plugins/plugins-module';
// Restoring: the shared engine, plans and the restore service.
export * from './restore/engine-provider.interface';
export * from './restore/image-channels';
export * from './restore/restore-planner.interface';
export * from './restore/restore-service.interface';
export * from './restore/default-restore-planner';
export * from './restore/default-restore-service';
export * from './restore/restore-module';
// Jobs and serving.
export * from './jobs/job-queue.interface';
export * from './jobs/job-module';
export * from './jobs/in-process/in-process-job-queue';
export * from './config/server-config.interface';
export * from './config/load-server-config';
export * from './server/http-route-contribution.interface';
export * from './server/job-intake.interface';
export * from './server/server-metrics.interface';
export * from './server/server-state.interface';
export * from './server/host-server';
export * from './server/http-app-factory';
export * from './server/server-container';
export * from './server/server-module';
// The command line.
export * from './cli/cli-context';
export { COMMANDS, createProgram, registerCommands, run } from './cli/main';
