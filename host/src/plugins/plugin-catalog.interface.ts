import type { PluginInfo } from '@fluxir/sdk/protocol';

export const PluginCatalog = Symbol('PluginCatalog');
/** What clients are told about each loaded plugin: budgets, schedules and a JSON Schema of its parameters. */
export interface PluginCatalog {
  list(): Promise<readonly PluginInfo[]>;
}
