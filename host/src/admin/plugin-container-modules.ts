import type { interfaces } from 'inversify';
import type { LoadedPlugin } from '../plugins/plugin-registry.interface';

/**
 * Applies and withdraws the container modules of plugins installed at run time. A module that throws
 * is withdrawn again and its error returned, so the caller can refuse the plugin.
 */
export class PluginContainerModules {
  constructor(private readonly container: interfaces.Container) {}

  /** Undefined when applied (or there is nothing to apply), else why it failed. */
  apply(plugin: LoadedPlugin): string | undefined {
    const module = plugin.containerModule;
    if (!module) return undefined;
    try {
      this.container.load(module);
      return undefined;
    } catch (error) {
      this.withdraw(plugin);
      return `its container module threw: ${error instanceof Error ? error.message : String(error)}`;
    }
  }

  withdraw(plugin: LoadedPlugin): void {
    if (!plugin.containerModule) return;
    try {
      this.container.unload(plugin.containerModule);
    } catch {
      // Bindings that cannot be removed are left; the plugin no longer serves either way.
    }
  }
}
