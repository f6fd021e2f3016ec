import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PluginInfo } from '@fluxir/sdk/protocol';
import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { EngineProvider } from '../common/engine-provider-protocol';
import type { PluginCatalog } from '../common/plugin-catalog-protocol';
import { PluginRegistry, type LoadedPlugin } from '../common/plugin-registry-protocol';

/** The catalog of the loaded plugins, built once the engine (which knows the schedules) is up. */
@injectable()
export class DefaultPluginCatalog implements PluginCatalog {
  private cached?: readonly PluginInfo[];

  constructor(
    @inject(PluginRegistry) private readonly registry: PluginRegistry,
    @inject(EngineProvider) private readonly engine: EngineProvider,
  ) {}

  async list(): Promise<readonly PluginInfo[]> {
    if (this.cached) return this.cached;
    const engine = await this.engine();
    this.cached = this.registry.list().map((plugin) => {
      const { definition } = plugin;
      const budget = definition.stepBudget;
      const schedules: Record<string, readonly number[]> = {};
      for (let steps = budget.min; steps <= budget.max; steps++) schedules[steps] = engine.schedule(definition.id, steps);
      return {
        id: definition.id,
        version: plugin.packageVersion,
        title: definition.title,
        prompt: definition.prompt,
        description: packageDescription(plugin),
        stepBudget: { ...budget },
        schedules,
        paramsSchema: paramsSchema(definition.params),
        requiresMask: definition.requiresMask,
      };
    });
    return this.cached;
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
