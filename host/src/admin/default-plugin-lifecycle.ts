import { inject, injectable } from 'inversify';
import * as semver from 'semver';
import { Logger } from '../logging/logger.interface';
import type { PluginAdminStatus, PluginLifecycle, PluginVersionInfo } from './plugin-lifecycle.interface';
import { PluginLoader, PluginRegistry, type LoadedPlugin, type PluginEntry, type PluginFailure } from '../plugins/plugin-registry.interface';
import { ServerConfig } from '../config/server-config.interface';
import { adminErrors } from './admin-errors';
import { checkInstallPath, checkReloadPath } from './install-path';
import { PluginContainerModules } from './plugin-container-modules';

/** Installs, enables, disables, reloads and removes plugins on the host's registry while it serves. */
@injectable()
export class DefaultPluginLifecycle implements PluginLifecycle {
  /** Folders installed through this API: a reload checks them against the install roots again. */
  private readonly installed = new Set<string>();

  constructor(
    @inject(PluginRegistry) private readonly registry: PluginRegistry,
    @inject(PluginLoader) private readonly loader: PluginLoader,
    @inject(ServerConfig) private readonly config: ServerConfig,
    @inject(Logger) private readonly logger: Logger,
    @inject(PluginContainerModules) private readonly modules: PluginContainerModules,
  ) {}

  status(): PluginAdminStatus {
    return { plugins: this.registry.entries().map(info), failures: this.registry.failures() };
  }

  install(dir: unknown): PluginVersionInfo {
    const real = checkInstallPath(dir, this.installRoots());
    const plugin = this.load(real);
    this.installed.add(real);
    try {
      this.registry.add(plugin);
    } catch (error) {
      throw this.refuse({ dir: real, packageName: plugin.packageName, code: 'E_PLUGIN', message: (error as Error).message });
    }
    const moduleFailure = this.modules.apply(plugin);
    if (moduleFailure) {
      this.registry.isolate(plugin.definition.id, moduleFailure, plugin.packageVersion);
      throw adminErrors.refused(this.registry.failures().find((f) => f.dir === real)?.message ?? moduleFailure);
    }
    this.logger.info({ id: plugin.definition.id, version: plugin.packageVersion, dir: real }, `plugin ${plugin.definition.id} ${plugin.packageVersion} installed`);
    return info({ plugin, state: 'enabled' });
  }

  disable(id: string, version?: string): readonly PluginVersionInfo[] {
    return this.each(id, version, 'disabled', ({ plugin }) => this.registry.setState(id, plugin.packageVersion, 'disabled'));
  }

  enable(id: string, version?: string): readonly PluginVersionInfo[] {
    return this.each(id, version, 'enabled', ({ plugin }) => this.registry.setState(id, plugin.packageVersion, 'enabled'));
  }

  reload(id: string, version?: string): readonly PluginVersionInfo[] {
    return this.each(id, version, 'reloaded', ({ plugin: old, state }) => {
      checkReloadPath(old.dir, this.installed.has(old.dir) ? this.installRoots() : undefined);
      const fresh = this.loader.loadPackage(old.dir, { fresh: true });
      if (!('definition' in fresh)) throw adminErrors.reloadRefused(fresh.message, old.packageVersion);
      const same = fresh.definition.id === id && fresh.packageVersion === old.packageVersion;
      this.modules.withdraw(old);
      if (same) this.registry.replace(fresh);
      else this.swap(old, fresh, state);
      const moduleFailure = this.modules.apply(fresh);
      if (moduleFailure) this.registry.isolate(fresh.definition.id, moduleFailure, fresh.packageVersion);
    });
  }

  remove(id: string, version?: string): readonly PluginVersionInfo[] {
    return this.each(id, version, 'removed', ({ plugin }) => {
      this.registry.remove(id, plugin.packageVersion);
      this.modules.withdraw(plugin);
    });
  }

  /** Runs `change` on each loaded version of `id` matching `version`; returns them as they are afterwards. */
  private each(id: string, version: string | undefined, done: string, change: (entry: PluginEntry) => void): PluginVersionInfo[] {
    if (version !== undefined && !semver.validRange(version)) throw adminErrors.badVersion(version);
    const ofId = this.registry.entries().filter((entry) => entry.plugin.definition.id === id);
    const chosen = ofId.filter((entry) => version === undefined || semver.satisfies(entry.plugin.packageVersion, version));
    if (!chosen.length) throw adminErrors.notLoaded(id, version, ofId.map((entry) => entry.plugin.packageVersion));
    for (const entry of chosen) {
      change(entry);
      this.logger.info({ id, version: entry.plugin.packageVersion }, `plugin ${id} ${entry.plugin.packageVersion} ${done}`);
    }
    const after = this.registry.entries();
    return chosen.flatMap((entry) => {
      const now = after.find((e) => e.plugin.dir === entry.plugin.dir);
      return now ? [info(now)] : done === 'removed' ? [info(entry)] : [];
    });
  }

  /** A reload that changed the package's id or version: the new one replaces the old, or the old stays. */
  private swap(old: LoadedPlugin, fresh: LoadedPlugin, state: PluginEntry['state']): void {
    this.registry.remove(old.definition.id, old.packageVersion);
    try {
      this.registry.add(fresh);
      if (state === 'disabled') this.registry.setState(fresh.definition.id, fresh.packageVersion, 'disabled');
    } catch (error) {
      this.registry.add(old);
      if (state === 'disabled') this.registry.setState(old.definition.id, old.packageVersion, 'disabled');
      throw adminErrors.reloadRefused((error as Error).message, old.packageVersion);
    }
  }

  private installRoots(): string[] {
    return [...(this.config.installRoots ?? []), ...this.config.pluginDirs];
  }

  private load(dir: string): LoadedPlugin {
    const outcome = this.loader.loadPackage(dir, { fresh: true });
    if ('definition' in outcome) return outcome;
    throw this.refuse(outcome);
  }

  private refuse(failure: PluginFailure): Error {
    this.registry.recordFailure(failure);
    this.logger.error({ dir: failure.dir, package: failure.packageName }, failure.message);
    return adminErrors.refused(failure.message);
  }
}

function info({ plugin, state }: PluginEntry): PluginVersionInfo {
  const { definition, packageVersion, packageName, dir, engineRange } = plugin;
  return { id: definition.id, version: packageVersion, packageName, dir, engineRange, state };
}
