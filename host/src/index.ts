import 'reflect-metadata';

export * from './common/engine-provider-protocol';
export * from './common/error-report';
export * from './common/host-options-protocol';
export * from './common/image-channels';
export * from './common/logger-protocol';
export * from './common/plugin-manifest';
export * from './common/plugin-registry-protocol';
export * from './common/restore-service-protocol';
export * from './node/default-plugin-registry';
export * from './node/default-restore-service';
export * from './node/host-container';
export * from './node/host-module';
export * from './node/node-plugin-loader';
export * from './node/pino-logger';
export * from './node/plugin-discovery';
export * from './cli/cli-context';
export { COMMANDS, createProgram, registerCommands, run } from './cli/main';
