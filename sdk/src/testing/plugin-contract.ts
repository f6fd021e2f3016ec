/// <reference types="jest" />
import type { PluginDefinition, PluginParams } from '../plugin-definition';
import { pluginContractChecks, type PluginContractOptions } from './contract-checks';

/**
 * The behaviour every fluxir plugin promises the engine and the host, as a jest suite. Call it in a
 * test file: `describePluginContract(plugin, { evalDegrade })`. It runs on a synthetic image, so it
 * needs no files; `fluxir plugin test` runs the same checks plus the shared engine on real photos.
 */
export function describePluginContract<P extends PluginParams>(
  plugin: PluginDefinition<P>,
  options: PluginContractOptions<P> = {},
): void {
  describe(`plugin contract: ${plugin.id}`, () => {
    for (const check of pluginContractChecks(plugin, options)) it(check.name, async () => {
      await check.run();
    });
  });
}
