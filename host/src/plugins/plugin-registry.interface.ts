import type { PluginDefinition } from '@fluxir/sdk';
import type { interfaces } from 'inversify';
import { z } from 'zod';

export interface LoadedPlugin {
  readonly definition: PluginDefinition;
  readonly packageName: string;
  readonly packageVersion: string;
  /** The package folder (real path). */
  readonly dir: string;
  /** The entry file the definition was loaded from; absent for a definition made in memory. */
  readonly entry?: string;
  /** The engine range from the manifest. */
  readonly engineRange: string;
  /** Bindings the plugin contributes to the host container, if any. */
  readonly containerModule?: interfaces.ContainerModule;
}

/** A plugin package that could not be used, and why. The host carries on without it. */
export const pluginFailureSchema = z.object({
  dir: z.string().meta({ description: 'the package folder (administrators only)' }),
  packageName: z.string().optional(),
  code: z.literal('E_PLUGIN'),
  message: z.string(),
});

export type PluginFailure = Readonly<z.infer<typeof pluginFailureSchema>>;

export interface PluginLoadResult {
  readonly plugins: readonly LoadedPlugin[];
  readonly failures: readonly PluginFailure[];
}

export const PluginLoader = Symbol('PluginLoader');
/** Discovers plugin packages, checks their manifests and definitions, and requires them. Never throws for a plugin. */
export interface PluginLoader {
  load(): PluginLoadResult;
  /**
   * One package folder, as an administrator installs or reloads it. `fresh` drops the package's files
   * from the module cache first, so edited code is read again.
   */
  loadPackage(dir: string, options?: { readonly fresh?: boolean }): LoadedPlugin | PluginFailure;
}

/** Whether a loaded version takes jobs. */
export const pluginStateSchema = z.enum(['enabled', 'disabled']);

export type PluginState = z.infer<typeof pluginStateSchema>;

/** A loaded plugin version and its state, as the admin API lists it. */
export interface PluginEntry {
  readonly plugin: LoadedPlugin;
  readonly state: PluginState;
}

export type PluginChangeKind = 'installed' | 'enabled' | 'disabled' | 'reloaded' | 'removed' | 'isolated';

/** Something that changed what the host serves; jobs of a version that stops serving end with E_PLUGIN. */
export interface PluginChange {
  readonly kind: PluginChangeKind;
  readonly id: string;
  readonly version: string;
  /** Why, for `isolated`, `disabled` and `removed`. */
  readonly reason?: string;
}

export const PluginRegistry = Symbol('PluginRegistry');
/**
 * The plugins this host serves, by task id; several versions of one plugin package may be loaded side
 * by side. Versions of an id from another package, or the same version twice, are refused.
 */
export interface PluginRegistry {
  /** Enabled plugin versions, sorted by id, newest version first. */
  list(): readonly LoadedPlugin[];
  /** Ids with at least one enabled version, sorted. */
  ids(): readonly string[];
  /** The newest enabled version of `id` satisfying the semver `range` (any version without one). */
  get(id: string, range?: string): LoadedPlugin | undefined;
  /**
   * The definition of the newest enabled version satisfying `range`: E_UNKNOWN_TASK listing the known
   * ids when no version of `id` is enabled, E_UNKNOWN_VERSION when none satisfies `range`.
   */
  resolve(id: string, range?: string): PluginDefinition;
  /** Every loaded version, enabled or not, sorted like list(). */
  entries(): readonly PluginEntry[];
  /** The state of one exact version; undefined when it is not loaded. */
  state(id: string, version: string): PluginState | undefined;
  failures(): readonly PluginFailure[];
  /** Takes a plugin out of service (e.g. its container module threw) and records why; every version without `version`. */
  isolate(id: string, reason: string, version?: string): void;
  /** Serves a newly loaded version (enabled); E_PLUGIN naming the holder when it clashes with a loaded one. */
  add(plugin: LoadedPlugin): void;
  /** Replaces a loaded version by a fresh load of the same id and version, keeping its state. */
  replace(plugin: LoadedPlugin): void;
  setState(id: string, version: string, state: PluginState): void;
  /** Unloads one version; returns it. */
  remove(id: string, version: string): LoadedPlugin;
  /** Records a package that could not be used (replacing an older failure of the same folder). */
  recordFailure(failure: PluginFailure): void;
  /** Forgets the failure recorded for a folder, once it loads. */
  clearFailure(dir: string): void;
  /** Called after every change; returns the function that stops listening. */
  onDidChange(listener: (change: PluginChange) => void): () => void;
}
