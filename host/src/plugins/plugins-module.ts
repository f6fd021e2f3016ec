import 'reflect-metadata';
import { engineVersion } from '@fluxir/core';
import { ContainerModule } from 'inversify';
import { EngineVersion } from '../restore/engine-provider.interface';
import { DefaultPluginRegistry } from './default-plugin-registry';
import { NodePluginLoader } from './node-plugin-loader';
import { PluginLoader, PluginRegistry } from './plugin-registry.interface';

/** Finding, checking and holding the host's plugins. HostOptions and Logger are bound by whoever creates the container. */
export const pluginsModule = new ContainerModule((bind) => {
  bind<EngineVersion>(EngineVersion).toDynamicValue(() => engineVersion()).inSingletonScope();
  bind<PluginLoader>(PluginLoader).to(NodePluginLoader).inSingletonScope();
  bind<PluginRegistry>(PluginRegistry).to(DefaultPluginRegistry).inSingletonScope();
});
