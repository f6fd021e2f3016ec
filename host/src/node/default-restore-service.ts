import { AbortError, errors, maskFromImage, type Image, type Mask } from '@fluxir/core';
import { MAX_STEPS, type PluginDefinition } from '@fluxir/sdk';
import { inject, injectable } from 'inversify';
import { EngineProvider } from '../common/engine-provider-protocol';
import { isFluxirError } from '../common/error-report';
import { attachAlpha, greyToRgb, rgbToGrey, splitAlpha } from '../common/image-channels';
import { Logger } from '../common/logger-protocol';
import { PluginRegistry } from '../common/plugin-registry-protocol';
import type {
  RestoreJob,
  RestoreOutcome,
  RestorePlan,
  RestoreService,
  RestoreSettings,
} from '../common/restore-service-protocol';

/**
 * One image through one plugin and the shared engine: validate, take alpha off and grey up to RGB,
 * let the plugin prepare `y`, restore, then put the user's layout back.
 */
@injectable()
export class DefaultRestoreService implements RestoreService {
  constructor(
    @inject(PluginRegistry) private readonly registry: PluginRegistry,
    @inject(EngineProvider) private readonly engine: EngineProvider,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  plan(settings: RestoreSettings): RestorePlan {
    const plugin = this.registry.resolve(settings.task);
    const params = this.guard(plugin, () => plugin.parseParams(settings.params ?? {}));
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

  async restore(job: RestoreJob): Promise<RestoreOutcome> {
    const started = performance.now();
    const { plugin, params, steps } = this.plan(job);
    const name = job.name ?? 'the image';
    checkImage(job.image);
    const { colour, alpha } = splitAlpha(job.image);
    const grey = colour.channels === 1;
    const rgb = grey ? greyToRgb(colour) : colour;
    const mask = this.checkMask(plugin, job.mask, rgb, name);
    const prepared = this.guard(plugin, () => plugin.prepare(rgb, params, mask));
    const engine = await this.engine();
    if (job.signal?.aborted) throw new AbortError();
    const result = await engine.restore({
      task: plugin.id,
      prompt: plugin.prompt,
      input: prepared,
      steps,
      seed: job.seed,
      signal: job.signal,
      onProgress: job.onProgress,
      onPreview: job.onPreview,
    });
    let image: Image = grey ? rgbToGrey(result.image) : result.image;
    if (alpha) image = attachAlpha(image, alpha);
    return {
      image,
      plugin,
      params,
      steps: result.steps,
      schedule: result.schedule,
      backend: engine.backend,
      ms: result.ms,
      totalMs: performance.now() - started,
    };
  }

  private checkMask(plugin: PluginDefinition, mask: Mask | undefined, image: Image, name: string): Mask | undefined {
    if (!mask) {
      if (plugin.requiresMask) throw errors.maskMissing(plugin.id, name);
      return undefined;
    }
    if (mask.width !== image.width || mask.height !== image.height) throw errors.maskMismatch(name, mask, image);
    return mask.channels === 1 ? mask : maskFromImage(mask);
  }

  /** Runs plugin code: its own FluxirErrors (E_PARAMS, E_MASK...) pass, anything else is the plugin's fault. */
  private guard<T>(plugin: PluginDefinition, call: () => T): T {
    try {
      return call();
    } catch (error) {
      if (isFluxirError(error)) throw error;
      const reason = error instanceof Error ? error.message : String(error);
      this.logger.error({ task: plugin.id, err: error }, `plugin ${plugin.id} threw`);
      throw errors.plugin(plugin.id, reason);
    }
  }
}

function checkImage(image: Image): void {
  if (![1, 2, 3, 4].includes(image.channels)) throw errors.invalidParameter('image.channels', 'one of: 1, 2, 3, 4', image.channels);
  if (image.data.length !== image.width * image.height * image.channels) {
    throw errors.invalidParameter('image.data', `${image.width * image.height * image.channels} samples`, `${image.data.length} samples`);
  }
}
