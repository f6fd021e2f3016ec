import {
  AbortError,
  cloneImage,
  errors,
  maskFromImage,
  toChannels,
  type Image,
  type Mask,
  type PreparedInput,
  type RestoreRequest,
  type RestoreResult,
} from '@fluxir/core';
import type { PluginDefinition } from '@fluxir/sdk';
import { inject, injectable } from 'inversify';
import { EngineProvider } from './engine-provider.interface';
import { attachAlpha, rgbToGrey, splitAlpha } from './image-channels';
import { Logger } from '../logging/logger.interface';
import { pluginFault } from './plugin-fault';
import { PrepareRunner } from './prepare-runner.interface';
import type { EarlyRestorePlan, RestoreInput, RestoreOptions, RestoreOutcome, RestorePlan, RestoreService } from './restore-service.interface';

/**
 * One image through one plugin and the shared engine, by a plan made where the request entered: take
 * alpha off and grey up to RGB, let the plugin prepare `y` from RGB buffers it owns, restore, then put
 * the user's layout back.
 */
@injectable()
export class DefaultRestoreService implements RestoreService {
  constructor(
    @inject(EngineProvider) private readonly engine: EngineProvider,
    @inject(Logger) private readonly logger: Logger,
    @inject(PrepareRunner) private readonly prepareRunner: PrepareRunner,
  ) {}

  /**
   * Built from plain calls and promise callbacks rather than one async function: an async function
   * keeps its arguments and locals alive until it returns, which would pin the caller's decoded image
   * and the plugin's float condition (each ~290 MB for a 24 MP photo) for the whole restore. The
   * engine keeps what it needs in compact form, so here both can be freed once sampling has started.
   */
  restore(plan: RestorePlan | EarlyRestorePlan, input: RestoreInput, options: RestoreOptions = {}): Promise<RestoreOutcome> {
    const started = performance.now();
    try {
      const { plugin, params } = plan;
      const name = input.name ?? 'the image';
      checkImage(input.image);
      const { colour, alpha } = splitAlpha(input.image);
      const grey = colour.channels === 1;
      const rgb = ownedRgb(colour, input.consume === true || colour !== input.image);
      const mask = checkMask(plugin, input.mask, rgb, name);
      const prepared = this.prepareRunner.prepare(plugin, rgb, params, mask, options.signal).catch((error: unknown) => {
        throw pluginFault(plugin, error, this.logger);
      });
      const sampled = prepared.then(startSampling(this.engine, plan, options));
      return this.finish(sampled, { grey, alpha, started });
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
      steps: result.steps,
      schedule: result.schedule,
      backend: engine.backend,
      ms: result.ms,
      totalMs: performance.now() - layout.started,
    };
  }
}

/** The RGB buffer the plugin receives and may keep: the caller's own only when it was given up. */
function ownedRgb(colour: Image, owned: boolean): Image {
  if (colour.channels !== 3) return toChannels(colour, 3);
  return owned ? colour : cloneImage(colour);
}

/** The plugin's mask: 0/1 in a buffer of its own (E_MASK when a masked task has none, or its size differs). */
function checkMask(plugin: PluginDefinition, mask: Mask | undefined, image: Image, name: string): Mask | undefined {
  if (!mask) {
    if (plugin.requiresMask) throw errors.maskMissing(plugin.id, name);
    return undefined;
  }
  if (mask.width !== image.width || mask.height !== image.height) throw errors.maskMismatch(name, mask, image);
  return maskFromImage(mask);
}

function checkImage(image: Image): void {
  if (![1, 2, 3, 4].includes(image.channels)) throw errors.invalidParameter('image.channels', 'one of: 1, 2, 3, 4', image.channels);
  if (image.data.length !== image.width * image.height * image.channels) {
    throw errors.invalidParameter('image.data', `${image.width * image.height * image.channels} samples`, `${image.data.length} samples`);
  }
}

interface OutputLayout {
  readonly grey: boolean;
  readonly alpha?: Image;
  readonly started: number;
}

/**
 * The callback that starts sampling once the plugin has prepared the input and the engine (with the
 * plan's schedule) is there; the only holder of the prepared input until then. The plugin's buffers are
 * its own, so the engine may sample in them.
 */
function startSampling(
  engineProvider: EngineProvider,
  plan: RestorePlan | EarlyRestorePlan,
  options: RestoreOptions,
): (prepared: PreparedInput) => Promise<RestoreResult> {
  return (prepared) =>
    Promise.all([engineProvider(), plan.schedule]).then(([engine, planned]) => {
      if (options.signal?.aborted) throw new AbortError();
      const request: RestoreRequest = {
        task: plan.plugin.id,
        prompt: plan.plugin.prompt,
        input: prepared,
        steps: plan.steps,
        planned,
        seed: options.seed,
        signal: options.signal,
        onProgress: options.onProgress,
        onPreview: options.onPreview,
        consumeInput: true,
      };
      return engine.restore(request);
    });
}
