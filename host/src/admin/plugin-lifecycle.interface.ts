import { z } from 'zod';
import { pluginFailureSchema, pluginStateSchema } from '../plugins/plugin-registry.interface';

/** One loaded plugin version as the admin API shows it. */
export const pluginVersionInfoSchema = z.object({
  id: z.string(),
  version: z.string(),
  packageName: z.string(),
  dir: z.string(),
  engineRange: z.string().meta({ description: 'the engine range from the manifest' }),
  state: pluginStateSchema,
});

export type PluginVersionInfo = Readonly<z.infer<typeof pluginVersionInfoSchema>>;

/** `GET /api/admin/plugins`: every loaded version and every package that failed. */
export const pluginAdminStatusSchema = z.object({
  plugins: z.array(pluginVersionInfoSchema).readonly(),
  failures: z.array(pluginFailureSchema).readonly(),
});

export type PluginAdminStatus = Readonly<z.infer<typeof pluginAdminStatusSchema>>;

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
