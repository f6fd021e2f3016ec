import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PluginInfo } from '@fluxir/sdk/protocol';
import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { EngineProvider } from '../restore/engine-provider.interface';
import type { PluginCatalog } from './plugin-catalog.interface';
import { PluginRegistry, type LoadedPlugin } from './plugin-registry.interface';

/**
 * The catalog of the enabled plugin versions (every version of a plugin, newest first), built once the
 * engine (which knows the schedules) is up, and again after each install, disable, enable or reload.
 */
@injectable()
export class DefaultPluginCatalog implements PluginCatalog {
  private cached?: readonly PluginInfo[];
  /** Counts registry changes, so a list built across one is not kept. */
  private generation = 0;

  constructor(
    @inject(PluginRegistry) private readonly registry: PluginRegistry,
    @inject(EngineProvider) private readonly engine: EngineProvider,
  ) {
    registry.onDidChange(() => {
      this.generation++;
      this.cached = undefined;
    });
  }

  async list(): Promise<readonly PluginInfo[]> {
    if (this.cached) return this.cached;
    const generation = this.generation;
    const engine = await this.engine();
    const catalog = this.registry.list().map((plugin): PluginInfo => {
      const { definition } = plugin;
      const budget = definition.stepBudget;
      const schedules: Record<string, readonly number[]> = {};
      for (let steps = budget.min; steps <= budget.max; steps++) schedules[steps] = engine.schedule(definition.id, steps);
      return {
        id: definition.id,
        version: plugin.packageVersion,
        title: definition.title,
        ...(definition.help === undefined ? {} : { help: definition.help }),
        prompt: definition.prompt,
        description: packageDescription(plugin),
        stepBudget: { ...budget },
        schedules,
        paramsSchema: paramsSchema(definition.params),
        requiresMask: definition.requiresMask,
      };
    });
    if (generation === this.generation) this.cached = catalog;
    return catalog;
  }
}

/** The parameters as the client sends them (input side of the schema: defaults make fields optional). */
export function paramsSchema(schema: unknown): Record<string, unknown> {
  // Duck-typed: a plugin may bring its own copy of zod 4, where instanceof would say no.
  if (typeof schema !== 'object' || schema === null || !('_zod' in schema)) return { type: 'object' };
  try {
    return z.toJSONSchema(schema as z.ZodType, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  } catch {
    return { type: 'object' };
  }
}

function packageDescription(plugin: LoadedPlugin): string {
  try {
    const json = JSON.parse(readFileSync(path.join(plugin.dir, 'package.json'), 'utf8')) as { description?: unknown };
    return typeof json.description === 'string' ? json.description : plugin.definition.title;
  } catch {
    return plugin.definition.title;
  }
}
