import 'reflect-metadata';
import { createEngine, Engine, engineVersion } from '@fluxir/core';
import { ContainerModule } from 'inversify';
import { EngineFactory, EngineProvider, EngineVersion } from '../common/engine-provider-protocol';
import { HostOptions } from '../common/host-options-protocol';
import { PluginLoader, PluginRegistry } from '../common/plugin-registry-protocol';
import { RestoreService } from '../common/restore-service-protocol';
import { DefaultPluginRegistry } from './default-plugin-registry';
import { DefaultRestoreService } from './default-restore-service';
import { NodePluginLoader } from './node-plugin-loader';

/** The host's services. HostOptions and Logger are bound by whoever creates the container. */
export const hostModule = new ContainerModule((bind) => {
  bind<EngineFactory>(EngineFactory).toConstantValue((options) => createEngine(options));
  bind<EngineVersion>(EngineVersion).toDynamicValue(() => engineVersion()).inSingletonScope();
  // The one engine, shared by every plugin and request; created on first use, disposed with the container.
  bind<Engine>(Engine)
    .toDynamicValue(({ container }) => {
      const { weightsDir, backend } = container.get<HostOptions>(HostOptions);
      return container.get<EngineFactory>(EngineFactory)({ weightsDir, backend });
    })
    .inSingletonScope()
    .onDeactivation((engine) => engine.dispose());
  bind<EngineProvider>(EngineProvider).toProvider<Engine>(({ container }) => () => container.getAsync<Engine>(Engine));
  bind<PluginLoader>(PluginLoader).to(NodePluginLoader).inSingletonScope();
  bind<PluginRegistry>(PluginRegistry).to(DefaultPluginRegistry).inSingletonScope();
  bind<RestoreService>(RestoreService).to(DefaultRestoreService).inSingletonScope();
});
