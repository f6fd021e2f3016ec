import { errors } from '@fluxir/core';
import type { PluginDefinition } from '@fluxir/sdk';
import { inject, injectable } from 'inversify';
import { Logger } from '../common/logger-protocol';
import {
  PluginLoader,
  type LoadedPlugin,
  type PluginFailure,
  type PluginRegistry,
} from '../common/plugin-registry-protocol';

/** The plugins of one host, loaded once when the registry is first asked for. First id found wins. */
@injectable()
export class DefaultPluginRegistry implements PluginRegistry {
  private readonly plugins = new Map<string, LoadedPlugin>();
  private readonly failed: PluginFailure[] = [];

  constructor(
    @inject(PluginLoader) loader: PluginLoader,
    @inject(Logger) private readonly logger: Logger,
  ) {
    const { plugins, failures } = loader.load();
    this.failed.push(...failures);
    for (const plugin of plugins) {
      const id = plugin.definition.id;
      const taken = this.plugins.get(id);
      if (taken) {
        this.logger.warn(
          { id, kept: taken.dir, skipped: plugin.dir },
          `two packages provide task ${id}; keeping ${taken.packageName}@${taken.packageVersion} from ${taken.dir}`,
        );
        const reason = `task id "${id}" is already provided by ${taken.packageName}@${taken.packageVersion} from ${taken.dir}`;
        const error = errors.plugin(plugin.packageName, reason);
        this.failed.push({ dir: plugin.dir, packageName: plugin.packageName, code: 'E_PLUGIN', message: error.message });
        continue;
      }
      this.plugins.set(id, plugin);
    }
  }

  list(): readonly LoadedPlugin[] {
    return [...this.plugins.values()].sort((a, b) => a.definition.id.localeCompare(b.definition.id));
  }

  ids(): readonly string[] {
    return this.list().map((plugin) => plugin.definition.id);
  }

  get(id: string): LoadedPlugin | undefined {
    return this.plugins.get(id);
  }

  resolve(id: string): PluginDefinition {
    const plugin = this.plugins.get(id);
    if (!plugin) throw errors.unknownTask(id, this.ids());
    return plugin.definition;
  }

  failures(): readonly PluginFailure[] {
    return this.failed;
  }

  isolate(id: string, reason: string): void {
    const plugin = this.plugins.get(id);
    if (!plugin) return;
    this.plugins.delete(id);
    const error = errors.plugin(plugin.packageName, reason);
    this.failed.push({ dir: plugin.dir, packageName: plugin.packageName, code: 'E_PLUGIN', message: error.message });
    this.logger.error({ id, dir: plugin.dir }, error.message);
  }
}
