import { copyFileSync, existsSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { errors, readCard, type TaskSpec } from '@fluxir/core';
import type { PluginRegistry } from '../plugins/plugin-registry.interface';
import { trainingTaskOf } from '../plugins/plugin-training';

export interface PluginFineTuneRequest {
  /** The folder of the plugin whose task is added. */
  readonly pluginDir: string;
  /** The weights to start from (the shipped ones by default). */
  readonly fromDir: string;
  /** Where the new weights go; never the folder they start from. */
  readonly outDir: string;
  readonly checkpointDir: string;
  readonly steps: number;
  /** How many times the new task appears in the task rotation (the others appear once, or twice for fine-detail tasks). */
  readonly weight: number;
  /** Continue an interrupted fine-tune from its checkpoint instead of starting again from `fromDir`. */
  readonly resume: boolean;
}

export interface PluginFineTunePlan {
  /** The task rotation: every installed task, the new plugin's repeated `weight` times. */
  readonly tasks: readonly TaskSpec[];
  /** The new plugin's task ids. */
  readonly added: readonly string[];
  /** The start-noise scale the starting weights were trained with. */
  readonly startNoise: number;
}

/**
 * Adds a plugin's task to trained weights without forgetting the others: the stage-1 trainer resumes
 * from a checkpoint seeded with the starting weights (fresh optimiser, step 0), on every installed
 * task with the new one at a higher share. Composed from the trainer's own resume, so training itself
 * is unchanged.
 */
export function planPluginFineTune(request: PluginFineTuneRequest, registry: PluginRegistry, ids: readonly string[]): PluginFineTunePlan {
  if (!existsSync(request.pluginDir)) throw errors.plugin(request.pluginDir, 'the plugin folder does not exist');
  const pluginDir = realpathSync(request.pluginDir);
  const added = registry.list().filter((p) => p.dir === pluginDir || p.dir.startsWith(pluginDir + path.sep)).map((p) => p.definition.id);
  if (!added.length) {
    const failure = registry.failures().find((f) => path.resolve(f.dir) === pluginDir);
    throw errors.plugin(request.pluginDir, failure ? failure.message : 'no plugin was loaded from this folder');
  }
  if (path.resolve(request.outDir) === path.resolve(request.fromDir)) {
    throw errors.invalidParameter('--out', 'a folder other than the starting weights (they are never overwritten)', request.outDir);
  }
  if (!Number.isInteger(request.weight) || request.weight < 1) throw errors.invalidParameter('--plugin-weight', 'an integer of at least 1', request.weight);
  const card = readCard(request.fromDir);
  if (!(request.resume && existsSync(path.join(request.checkpointDir, 'state.json')))) {
    seedCheckpoint(request.fromDir, request.checkpointDir, request.steps, Object.keys(card.files));
  }
  const tasks = ids.flatMap((id) => Array.from({ length: added.includes(id) ? request.weight : 1 }, () => trainingTaskOf(registry.resolve(id))));
  return { tasks, added, startNoise: card.startNoise };
}

/** A checkpoint at step 0 holding the starting weights (verified against their card when loaded) and no optimiser state. */
export function seedCheckpoint(fromDir: string, checkpointDir: string, steps: number, files: readonly string[]): void {
  mkdirSync(checkpointDir, { recursive: true });
  for (const name of [...files, 'card.json']) copyFileSync(path.join(fromDir, name), path.join(checkpointDir, name));
  // An optimiser state left from an earlier run belongs to other weights.
  for (const stale of ['optimizer.bin', 'optimizer.json']) rmSync(path.join(checkpointDir, stale), { force: true });
  const state = { stage: 'flow-matching', step: 0, totalSteps: steps, seconds: 0, history: [] };
  writeFileSync(path.join(checkpointDir, 'state.json'), JSON.stringify(state, null, 1));
}
