import { errors } from '@fluxir/core';
import type { PluginDefinition } from '@fluxir/sdk';
import { isFluxirError } from '../errors/error-report';
import type { Logger } from '../logging/logger.interface';

/** What an error from plugin code becomes: its own FluxirErrors (E_PARAMS, E_MASK...) pass, anything else is E_PLUGIN. */
export function pluginFault(plugin: PluginDefinition, error: unknown, logger: Logger): unknown {
  if (isFluxirError(error)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  logger.error({ task: plugin.id, err: error }, `plugin ${plugin.id} threw`);
  return errors.plugin(plugin.id, reason);
}
