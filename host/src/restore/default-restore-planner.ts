import { endingAt, errors } from '@fluxir/core';
import { MAX_STEPS } from '@fluxir/sdk';
import { inject, injectable } from 'inversify';
import { EngineProvider } from './engine-provider.interface';
import { Logger } from '../logging/logger.interface';
import { pluginFault } from './plugin-fault';
import { PluginRegistry } from '../plugins/plugin-registry.interface';
import type { RestorePlanner } from './restore-planner.interface';
import type { RestoreChoice, RestorePlan, RestoreSettings } from './restore-service.interface';

/** Plans against this host's plugin registry and its shared engine. */
@injectable()
export class DefaultRestorePlanner implements RestorePlanner {
  constructor(
    @inject(PluginRegistry) private readonly registry: PluginRegistry,
    @inject(EngineProvider) private readonly engine: EngineProvider,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  choose(settings: RestoreSettings): RestoreChoice {
    const plugin = this.registry.resolve(settings.task, settings.version);
    let params: Record<string, unknown>;
    try {
      params = plugin.parseParams(settings.params ?? {});
    } catch (error) {
      throw pluginFault(plugin, error, this.logger);
    }
    const budget = plugin.stepBudget;
    if (settings.steps === undefined) return { plugin, params, steps: budget.default };
    const requested = settings.steps;
    if (!Number.isInteger(requested) || requested < 1 || requested > MAX_STEPS) {
      throw errors.invalidParameter('steps', `an integer from 1 to ${MAX_STEPS}`, requested);
    }
    const steps = Math.min(budget.max, Math.max(budget.min, requested));
    if (steps === requested) return { plugin, params, steps };
    this.logger.warn(
      { task: plugin.id, requested, steps },
      `${plugin.id} runs ${budget.min} to ${budget.max} steps; using ${steps} instead of ${requested}`,
    );
    return { plugin, params, steps, requestedSteps: requested };
  }

  async plan(choice: RestoreChoice): Promise<RestorePlan> {
    const engine = await this.engine();
    // The plugin's path end (deblur runs past t = 0) is part of the plan, so a queued job's worker runs what was planned.
    return { ...choice, schedule: endingAt(engine.plan(choice.plugin.id, choice.steps), choice.plugin.pathEnd) };
  }
}
