import type { PluginFailure, PluginState } from '../plugins/plugin-registry.interface';

/** One loaded plugin version as the admin API shows it. */
export interface PluginVersionInfo {
  readonly id: string;
  readonly version: string;
  readonly packageName: string;
  readonly dir: string;
  /** The engine range from the manifest. */
  readonly engineRange: string;
  readonly state: PluginState;
}

export interface PluginAdminStatus {
  readonly plugins: readonly PluginVersionInfo[];
  readonly failures: readonly PluginFailure[];
}

export const PluginLifecycle = Symbol('PluginLifecycle');
/**
 * Plugins changed while the host serves. `version` (a semver version or range) picks the loaded
 * versions an operation applies to; every loaded version of the id without it. Refusals throw
 * ServerErrors (E_FORBIDDEN, E_BAD_REQUEST, E_NOT_FOUND, E_PLUGIN) and leave what serves as it was.
 */
export interface PluginLifecycle {
  status(): PluginAdminStatus;
  /** Loads the package in `dir` (inside the install roots) and serves it. */
  install(dir: unknown): PluginVersionInfo;
  disable(id: string, version?: string): readonly PluginVersionInfo[];
  enable(id: string, version?: string): readonly PluginVersionInfo[];
  /** Loads the package's code again from its folder; on failure the loaded code keeps serving. */
  reload(id: string, version?: string): readonly PluginVersionInfo[];
  remove(id: string, version?: string): readonly PluginVersionInfo[];
}
