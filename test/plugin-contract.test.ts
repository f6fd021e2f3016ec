import type { PluginDefinition } from '@fluxir/sdk';
import { describePluginContract } from '@fluxir/sdk/testing';
import { builtinPackageName, builtinPluginIds } from '../host/src/plugins/builtin-plugins';

/**
 * Every built-in plugin, from its sources, against the contract third-party plugins are held to. The
 * classical baselines of these tasks must beat their input outright; the others only must not make it
 * much worse on a smooth synthetic image.
 */
const BASELINE_BEATS_INPUT = new Set(['denoise', 'superres', 'inpaint']);

for (const id of builtinPluginIds()) {
  const plugin = (require(builtinPackageName(id)) as { default: PluginDefinition }).default;
  describePluginContract(plugin, { baselineImproves: BASELINE_BEATS_INPUT.has(id) });
}
