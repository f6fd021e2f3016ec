import 'reflect-metadata';
import { createEngine, Engine, engineVersion } from '@fluxir/core';
import { ContainerModule } from 'inversify';
import { EngineFactory, EngineProvider, EngineVersion } from './engine-provider.interface';
import { PluginLoader, PluginRegistry } from '../plugins/plugin-registry.interface';
import { ImageCodec } from './image-codec.interface';
import { PrepareRunner } from './prepare-runner.interface';
import { RestorePlanner } from './restore-planner.interface';
import { RestoreService } from './restore-service.interface';
import { DefaultPluginRegistry } from '../plugins/default-plugin-registry';
import { DefaultRestorePlanner } from './default-restore-planner';
import { DefaultRestoreService } from './default-restore-service';
import { InThreadImageCodec } from './in-thread-image-codec';
import { InThreadPrepareRunner } from './in-thread-prepare-runner';
import { NodePluginLoader } from '../plugins/node-plugin-loader';
import { SharedEngine } from './shared-engine';

/** The host's services. HostOptions and Logger are bound by whoever creates the container. */
export const hostModule = new ContainerModule((bind) => {
  bind<EngineFactory>(EngineFactory).toConstantValue((options) => createEngine(options));
  bind<EngineVersion>(EngineVersion).toDynamicValue(() => engineVersion()).inSingletonScope();
  // The one engine, shared by every plugin and request: SharedEngine is the singleton that owns it.
  bind(SharedEngine).toSelf().inSingletonScope().onDeactivation((shared) => shared.dispose());
  bind<Engine>(Engine).toDynamicValue(({ container }) => container.get(SharedEngine).get());
  bind<EngineProvider>(EngineProvider).toDynamicValue(({ container }) => {
    const shared = container.get(SharedEngine);
    return () => shared.get();
  });
  bind<PluginLoader>(PluginLoader).to(NodePluginLoader).inSingletonScope();
  bind<PluginRegistry>(PluginRegistry).to(DefaultPluginRegistry).inSingletonScope();
  bind<PrepareRunner>(PrepareRunner).to(InThreadPrepareRunner).inSingletonScope();
  bind<ImageCodec>(ImageCodec).to(InThreadImageCodec).inSingletonScope();
  bind<RestorePlanner>(RestorePlanner).to(DefaultRestorePlanner).inSingletonScope();
  bind<RestoreService>(RestoreService).to(DefaultRestoreService).inSingletonScope();
});
