import { errors } from '@fluxir/core';
import type { PluginDefinition } from '@fluxir/sdk';
import { inject, injectable } from 'inversify';
import * as semver from 'semver';
import { Logger } from '../logging/logger.interface';
import {
  PluginLoader,
  type LoadedPlugin,
  type PluginChange,
  type PluginEntry,
  type PluginFailure,
  type PluginRegistry,
  type PluginState,
} from './plugin-registry.interface';
import { serverErrors } from '../errors/server-error';

interface Slot {
  plugin: LoadedPlugin;
  state: PluginState;
}

/**
 * The plugins of one host, loaded when the registry is first asked for, then changed at run time by
 * the admin API. Versions of one package sit side by side; the newest enabled one serves by default.
 */
@injectable()
export class DefaultPluginRegistry implements PluginRegistry {
  private readonly slots = new Map<string, Slot[]>();
  private failed: PluginFailure[] = [];
  private readonly listeners = new Set<(change: PluginChange) => void>();

  constructor(
    @inject(PluginLoader) loader: PluginLoader,
    @inject(Logger) private readonly logger: Logger,
  ) {
    const { plugins, failures } = loader.load();
    this.failed.push(...failures);
    for (const plugin of plugins) {
      const clash = this.clash(plugin);
      if (clash) {
        this.logger.warn({ id: plugin.definition.id, skipped: plugin.dir }, `two packages provide task ${plugin.definition.id}: ${clash}`);
        this.recordFailure(failureOf(plugin, clash));
      } else {
        this.insert(plugin);
      }
    }
  }

  list(): readonly LoadedPlugin[] {
    return this.entries().filter((entry) => entry.state === 'enabled').map((entry) => entry.plugin);
  }

  ids(): readonly string[] {
    return [...new Set(this.list().map((plugin) => plugin.definition.id))];
  }

  get(id: string, range?: string): LoadedPlugin | undefined {
    const enabled = (this.slots.get(id) ?? []).filter((slot) => slot.state === 'enabled');
    return enabled.find((slot) => range === undefined || semver.satisfies(slot.plugin.packageVersion, range))?.plugin;
  }

  resolve(id: string, range?: string): PluginDefinition {
    if (range !== undefined && !semver.validRange(range)) throw serverErrors.badRequest(`version must be a semver range, got "${range}"`);
    const plugin = this.get(id, range);
    if (plugin) return plugin.definition;
    const loaded = this.list().filter((p) => p.definition.id === id).map((p) => p.packageVersion);
    if (!loaded.length) throw errors.unknownTask(id, this.ids());
    throw serverErrors.unknownVersion(id, range ?? '*', loaded.join(', '));
  }

  entries(): readonly PluginEntry[] {
    const ids = [...this.slots.keys()].sort((a, b) => a.localeCompare(b));
    return ids.flatMap((id) => this.slots.get(id)!.map(({ plugin, state }) => ({ plugin, state })));
  }

  state(id: string, version: string): PluginState | undefined {
    return this.slot(id, version)?.state;
  }

  failures(): readonly PluginFailure[] {
    return this.failed;
  }

  isolate(id: string, reason: string, version?: string): void {
    for (const slot of [...(this.slots.get(id) ?? [])]) {
      if (version !== undefined && slot.plugin.packageVersion !== version) continue;
      this.take(slot.plugin);
      const failure = failureOf(slot.plugin, reason);
      this.recordFailure(failure);
      this.logger.error({ id, dir: slot.plugin.dir }, failure.message);
      this.emit({ kind: 'isolated', id, version: slot.plugin.packageVersion, reason });
    }
  }

  add(plugin: LoadedPlugin): void {
    const clash = this.clash(plugin);
    if (clash) throw errors.plugin(plugin.packageName, clash);
    this.insert(plugin);
    this.clearFailure(plugin.dir);
    this.emit({ kind: 'installed', id: plugin.definition.id, version: plugin.packageVersion });
  }

  replace(plugin: LoadedPlugin): void {
    const slot = this.existing(plugin.definition.id, plugin.packageVersion);
    slot.plugin = plugin;
    this.clearFailure(plugin.dir);
    this.emit({ kind: 'reloaded', id: plugin.definition.id, version: plugin.packageVersion });
  }

  setState(id: string, version: string, state: PluginState): void {
    const slot = this.existing(id, version);
    if (slot.state === state) return;
    slot.state = state;
    this.emit({ kind: state, id, version, ...(state === 'disabled' ? { reason: 'the plugin was disabled' } : {}) });
  }

  remove(id: string, version: string): LoadedPlugin {
    const { plugin } = this.existing(id, version);
    this.take(plugin);
    this.emit({ kind: 'removed', id, version, reason: 'the plugin was removed' });
    return plugin;
  }

  recordFailure(failure: PluginFailure): void {
    this.failed = [...this.failed.filter((f) => f.dir !== failure.dir), failure];
  }

  clearFailure(dir: string): void {
    this.failed = this.failed.filter((f) => f.dir !== dir);
  }

  onDidChange(listener: (change: PluginChange) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Why `plugin` cannot sit beside what is loaded: another package holds its id, or this version is loaded already. */
  private clash(plugin: LoadedPlugin): string | undefined {
    const id = plugin.definition.id;
    const holder = this.slots.get(id)?.find(
      (slot) => slot.plugin.packageName !== plugin.packageName || slot.plugin.packageVersion === plugin.packageVersion,
    )?.plugin;
    if (!holder) return undefined;
    return `task id "${id}" is already provided by ${holder.packageName}@${holder.packageVersion} from ${holder.dir}`;
  }

  private insert(plugin: LoadedPlugin): void {
    const slots = this.slots.get(plugin.definition.id) ?? [];
    slots.push({ plugin, state: 'enabled' });
    slots.sort((a, b) => semver.rcompare(a.plugin.packageVersion, b.plugin.packageVersion));
    this.slots.set(plugin.definition.id, slots);
  }

  private take(plugin: LoadedPlugin): void {
    const id = plugin.definition.id;
    const rest = (this.slots.get(id) ?? []).filter((slot) => slot.plugin !== plugin);
    if (rest.length) this.slots.set(id, rest);
    else this.slots.delete(id);
  }

  private slot(id: string, version: string): Slot | undefined {
    return this.slots.get(id)?.find((slot) => slot.plugin.packageVersion === version);
  }

  private existing(id: string, version: string): Slot {
    const slot = this.slot(id, version);
    if (!slot) throw new RangeError(`plugin ${id}@${version} is not loaded`);
    return slot;
  }

  private emit(change: PluginChange): void {
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (error) {
        this.logger.error({ err: error, change }, 'a plugin change listener threw');
      }
    }
  }
}

function failureOf(plugin: LoadedPlugin, reason: string): PluginFailure {
  const error = errors.plugin(plugin.packageName, reason);
  return { dir: plugin.dir, packageName: plugin.packageName, code: 'E_PLUGIN', message: error.message };
}
