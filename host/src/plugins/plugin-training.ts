import { errors, type TaskSpec } from '@fluxir/core';
import { trainingTask, type PluginDefinition, type PluginTraining } from '@fluxir/sdk';

const NEEDED = ['trainingParams', 'degrade', 'baseline'] as const;

/**
 * The training and evaluation side of a loaded plugin. E_PLUGIN for one that can be served but not
 * trained or evaluated (a definition without a training section).
 */
export function trainingOf(plugin: PluginDefinition): PluginTraining {
  // Loaded definitions are checked only as far as serving needs: the section may be absent or partial.
  const training = plugin.training as Partial<PluginTraining> | undefined;
  const missing: string[] = NEEDED.filter((key) => typeof training?.[key] !== 'function');
  if (!Array.isArray(training?.evalSettings)) missing.push('evalSettings');
  if (typeof training?.baselines !== 'object' || training.baselines === null) missing.push('baselines');
  if (!training || missing.length) throw errors.plugin(plugin.id, `its training section lacks ${missing.join(', ')}: it can be served, not trained or evaluated`);
  return plugin.training;
}

/** The plugin as the engine's trainers see a task (E_PLUGIN as `trainingOf`). */
export function trainingTaskOf(plugin: PluginDefinition): TaskSpec {
  trainingOf(plugin);
  return trainingTask(plugin);
}
