import type { PluginDefinition } from '@fluxir/sdk';
import type { interfaces } from 'inversify';

export interface LoadedPlugin {
  readonly definition: PluginDefinition;
  readonly packageName: string;
  readonly packageVersion: string;
  /** The package folder (real path). */
  readonly dir: string;
  /** The engine range from the manifest. */
  readonly engineRange: string;
  /** Bindings the plugin contributes to the host container, if any. */
  readonly containerModule?: interfaces.ContainerModule;
}

/** A plugin package that could not be used, and why. The host carries on without it. */
export interface PluginFailure {
  readonly dir: string;
  readonly packageName?: string;
  readonly code: 'E_PLUGIN';
  readonly message: string;
}

export interface PluginLoadResult {
  readonly plugins: readonly LoadedPlugin[];
  readonly failures: readonly PluginFailure[];
}

export const PluginLoader = Symbol('PluginLoader');
/** Discovers plugin packages, checks their manifests and definitions, and requires them. Never throws for a plugin. */
export interface PluginLoader {
  load(): PluginLoadResult;
}

export const PluginRegistry = Symbol('PluginRegistry');
/** The plugins this host serves, by task id. */
export interface PluginRegistry {
  /** Loaded plugins, sorted by id. */
  list(): readonly LoadedPlugin[];
  ids(): readonly string[];
  get(id: string): LoadedPlugin | undefined;
  /** The plugin for a task; E_UNKNOWN_TASK listing the known ids otherwise. */
  resolve(id: string): PluginDefinition;
  failures(): readonly PluginFailure[];
  /** Takes a plugin out of service (e.g. its container module threw) and records why. */
  isolate(id: string, reason: string): void;
}
