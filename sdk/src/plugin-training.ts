import type { TaskSpec } from '@fluxir/core';
import type { PluginDefinition, PluginParams } from './plugin-definition';

/** A plugin as the engine's trainers see a task: its prompt, its serving `prepare` and its training side. */
export function trainingTask<P extends PluginParams>(plugin: PluginDefinition<P>): TaskSpec<P> {
  const { training } = plugin;
  return {
    id: plugin.id,
    prompt: plugin.prompt,
    trainingParams: training.trainingParams,
    degrade: (clean, rng, params) => training.degrade(clean, rng, params),
    prepare: (input, params, mask) => plugin.prepare(input, params, mask),
    baseline: (input, params, mask) => training.baseline(input, params, mask),
    ...(training.context === undefined ? {} : { context: training.context }),
  };
}
