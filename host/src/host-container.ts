import 'reflect-metadata';
import { Container } from 'inversify';
import { EngineFactory, EngineVersion } from './restore/engine-provider.interface';
import { DEFAULT_HOST_OPTIONS, HostOptions } from './host-options.interface';
import { Logger } from './logging/logger.interface';
import { PluginRegistry } from './plugins/plugin-registry.interface';
import { pluginsModule } from './plugins/plugins-module';
import { restoreModule } from './restore/restore-module';
import { createLogger } from './logging/pino-logger';

export interface HostContainerOptions extends Partial<HostOptions> {
  readonly logger?: Logger;
  /** Replaces `createEngine` (tests bind a fake engine here). */
  readonly engineFactory?: EngineFactory;
  /** Replaces @fluxir/core's version for plugin range checks. */
  readonly engineVersion?: string;
}

/**
 * The host's container with its plugins loaded and their container modules applied. Nothing heavy
 * happens yet: the engine is created on first use. It binds no HTTP routes of its own: the server
 * container adds the panel's (see createServerContainer), so a command line restore loads no web stack.
 */
export function createHostContainer(options: HostContainerOptions = {}): Container {
  const container = new Container();
  container.bind<HostOptions>(HostOptions).toConstantValue({
    pluginDirs: options.pluginDirs ?? DEFAULT_HOST_OPTIONS.pluginDirs,
    searchNodeModules: options.searchNodeModules ?? DEFAULT_HOST_OPTIONS.searchNodeModules,
    weightsDir: options.weightsDir,
    backend: options.backend,
  });
  container.bind<Logger>(Logger).toConstantValue(options.logger ?? createLogger());
  container.load(pluginsModule, restoreModule);
  if (options.engineFactory) container.rebind<EngineFactory>(EngineFactory).toConstantValue(options.engineFactory);
  if (options.engineVersion) container.rebind<EngineVersion>(EngineVersion).toConstantValue(options.engineVersion);
  loadPluginModules(container);
  return container;
}

/** Disposes the engine (if it was created) and every other singleton with a deactivation hook. */
export function disposeHostContainer(container: Container): Promise<void> {
  return container.unbindAllAsync();
}

/** Each plugin's own bindings, in its own try/catch: a module that throws takes only its plugin down. */
function loadPluginModules(container: Container): void {
  const registry = container.get<PluginRegistry>(PluginRegistry);
  for (const plugin of registry.list()) {
    const module = plugin.containerModule;
    if (!module) continue;
    try {
      container.load(module);
    } catch (error) {
      try {
        container.unload(module);
      } catch {
        // Partly applied bindings that cannot be removed are left; the plugin is out of service anyway.
      }
      const reason = `its container module threw: ${error instanceof Error ? error.message : String(error)}`;
      registry.isolate(plugin.definition.id, reason, plugin.packageVersion);
    }
  }
}
