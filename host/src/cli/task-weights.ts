import { errors, type TaskSpec } from '@fluxir/core';
import { InvalidArgumentError } from 'commander';

/** The task list with each id repeated by its weight (the trainers rotate through the list). */
export function weightedTasks(ids: readonly string[], weights: Record<string, number>, resolve: (id: string) => TaskSpec): TaskSpec[] {
  for (const id of Object.keys(weights)) {
    if (!ids.includes(id)) throw errors.invalidParameter('--task-weights', `one of the trained tasks (${ids.join(', ')})`, id);
  }
  return ids.flatMap((id) => Array.from({ length: weights[id] ?? 1 }, () => resolve(id)));
}

/** Parses `denoise=3,lowlight=2` into whole weights of at least 1. */
export function taskWeightsOption(value: string): Record<string, number> {
  const weights: Record<string, number> = {};
  for (const entry of value.split(',').map((s) => s.trim()).filter(Boolean)) {
    const match = /^([a-z0-9][a-z0-9-]*)=(\d+)$/.exec(entry);
    if (!match || Number(match[2]) < 1) throw new InvalidArgumentError(`--task-weights takes id=weight pairs with whole weights of at least 1, e.g. denoise=3,lowlight=2 (got "${entry}")`);
    weights[match[1]] = Number(match[2]);
  }
  return weights;
}
