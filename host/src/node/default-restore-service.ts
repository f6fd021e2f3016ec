import {
  AbortError,
  errors,
  maskFromImage,
  type Engine,
  type Image,
  type Mask,
  type PreparedInput,
  type RestoreRequest,
  type RestoreResult,
} from '@fluxir/core';
import { MAX_STEPS, type PluginDefinition } from '@fluxir/sdk';
import { inject, injectable } from 'inversify';
import { EngineProvider } from '../common/engine-provider-protocol';
import { isFluxirError } from '../common/error-report';
import { attachAlpha, greyToRgb, rgbToGrey, splitAlpha } from '../common/image-channels';
import { Logger } from '../common/logger-protocol';
import { PrepareRunner } from '../common/prepare-runner-protocol';
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
    @inject(PrepareRunner) private readonly prepareRunner: PrepareRunner,
  ) {}

  plan(settings: RestoreSettings): RestorePlan {
    const plugin = this.registry.resolve(settings.task, settings.version);
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

  /**
   * Built from plain calls and promise callbacks rather than one async function: an async function
   * keeps its arguments and locals alive until it returns, which would pin the caller's decoded image
   * and the plugin's float condition (each ~290 MB for a 24 MP photo) for the whole restore. The
   * engine keeps what it needs in compact form, so here both can be freed once sampling has started.
   */
  restore(job: RestoreJob): Promise<RestoreOutcome> {
    const started = performance.now();
    try {
      const { plugin, params, steps } = this.plan(job);
      const name = job.name ?? 'the image';
      checkImage(job.image);
      const { colour, alpha } = splitAlpha(job.image);
      const grey = colour.channels === 1;
      const rgb = grey ? greyToRgb(colour) : colour;
      const mask = this.checkMask(plugin, job.mask, rgb, name);
      const prepared = this.prepareRunner.prepare(plugin, rgb, params, mask, job.signal).catch((error: unknown) => {
        throw this.pluginFault(plugin, error);
      });
      const { seed, signal, onProgress, onPreview } = job;
      const imageData = job.image.data;
      const sampled = prepared.then(startSampling(this.engine, plugin, steps, { seed, signal, onProgress, onPreview }, imageData));
      return this.finish(sampled, { plugin, params, grey, alpha, started });
    } catch (error) {
      return Promise.reject(error);
    }
  }

  /** Puts the user's layout back: grey stays grey, alpha is carried over. */
  private async finish(sampled: Promise<RestoreResult>, layout: OutputLayout): Promise<RestoreOutcome> {
    const result = await sampled;
    const engine = await this.engine();
    let image: Image = layout.grey ? rgbToGrey(result.image) : result.image;
    if (layout.alpha) image = attachAlpha(image, layout.alpha);
    return {
      image,
      plugin: layout.plugin,
      params: layout.params,
      steps: result.steps,
      schedule: result.schedule,
      backend: engine.backend,
      ms: result.ms,
      totalMs: performance.now() - layout.started,
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
      throw this.pluginFault(plugin, error);
    }
  }

  private pluginFault(plugin: PluginDefinition, error: unknown): unknown {
    if (isFluxirError(error)) return error;
    const reason = error instanceof Error ? error.message : String(error);
    this.logger.error({ task: plugin.id, err: error }, `plugin ${plugin.id} threw`);
    return errors.plugin(plugin.id, reason);
  }
}

function checkImage(image: Image): void {
  if (![1, 2, 3, 4].includes(image.channels)) throw errors.invalidParameter('image.channels', 'one of: 1, 2, 3, 4', image.channels);
  if (image.data.length !== image.width * image.height * image.channels) {
    throw errors.invalidParameter('image.data', `${image.width * image.height * image.channels} samples`, `${image.data.length} samples`);
  }
}

interface OutputLayout {
  readonly plugin: PluginDefinition;
  readonly params: Record<string, unknown>;
  readonly grey: boolean;
  readonly alpha?: Image;
  readonly started: number;
}

type Callbacks = Pick<RestoreRequest, 'seed' | 'signal' | 'onProgress' | 'onPreview'>;

/**
 * The callback that starts sampling once the plugin has prepared the input and the engine is there;
 * the only holder of the prepared input until then.
 */
function startSampling(
  engineProvider: EngineProvider,
  plugin: PluginDefinition,
  steps: number,
  callbacks: Callbacks,
  imageData: Image['data'],
): (prepared: PreparedInput) => Promise<RestoreResult> {
  return (prepared) => {
    const request: RestoreRequest = {
      task: plugin.id,
      prompt: plugin.prompt,
      input: prepared,
      steps,
      ...callbacks,
      // A plugin that made its own copy of the image gives it up: the engine samples in its buffer.
      consumeInput: prepared.y.data !== imageData && prepared.start?.data !== imageData,
    };
    return engineProvider().then((engine) => {
      if (request.signal?.aborted) throw new AbortError();
      return engine.restore(request);
    });
  };
}
