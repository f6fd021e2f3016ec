import type { Image, Mask, PlannedSchedule, StepPreview, StepProgress } from '@fluxir/core';
import type { PluginDefinition } from '@fluxir/sdk';

/** What a caller asks for, before validation. */
export interface RestoreSettings {
  readonly task: string;
  /** A semver range (or exact version) of the plugin; the newest enabled version when undefined. */
  readonly version?: string;
  /** Raw task parameters, validated by the plugin (e.g. `{ scale: 4 }` for superres). */
  readonly params?: unknown;
  /** Step budget; the plugin's default when undefined, clamped to the plugin's [min, max]. */
  readonly steps?: number;
}

/** Settings once validated against the loaded plugins: known before any image is read or the engine is up. */
export interface RestoreChoice {
  /** The plugin version that serves the request. */
  readonly plugin: PluginDefinition;
  /** Parsed by the plugin's schema, defaults filled in. */
  readonly params: Readonly<Record<string, unknown>>;
  readonly steps: number;
  /** The steps asked for, when they were outside the plugin's budget and clamped. */
  readonly requestedSteps?: number;
}

/**
 * Everything a restore needs to know besides its pixels, made once where a request enters (REST,
 * socket, command line) and handed on: the plugin, its parameters, the step count and the engine's
 * schedule for it.
 */
export interface RestorePlan extends RestoreChoice {
  readonly schedule: PlannedSchedule;
}

/**
 * A plan whose schedule is still on its way with the engine: the command line's first image restores
 * by it, so its plugin prepares while the engine starts, and sampling begins once both are there.
 */
export interface EarlyRestorePlan extends RestoreChoice {
  readonly schedule: Promise<PlannedSchedule>;
}

/** The pixels of one restore. */
export interface RestoreInput {
  /** 1 grey, 2 grey + alpha, 3 RGB or 4 RGBA, as readImage returns it. */
  readonly image: Image;
  /** White = fill, 1 to 4 channels. Required by plugins with `requiresMask`; must match the image size. */
  readonly mask?: Mask;
  /** What error messages call the image (usually its file name). */
  readonly name?: string;
  /**
   * The caller gives up `image` and `mask`: the plugin and the engine may keep and overwrite their
   * samples. Left unset, the service works on copies and the caller's images stay as they are.
   */
  readonly consume?: boolean;
}

export interface RestoreOptions {
  readonly seed?: number;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: StepProgress) => void;
  readonly onPreview?: (preview: StepPreview) => void;
}

export interface RestoreOutcome {
  /** Same layout as the input: grey stays grey, alpha is kept (resized along for super-resolution). */
  readonly image: Image;
  readonly steps: number;
  readonly schedule: readonly number[];
  readonly backend: string;
  /** The engine's time for this image in milliseconds. */
  readonly ms: number;
  /** Preparation, engine and channel handling together. */
  readonly totalMs: number;
}

export const RestoreService = Symbol('RestoreService');
/**
 * Restores one image by a plan on the shared engine: takes alpha off and brings grey up to RGB, makes
 * the mask 0/1, hands the plugin RGB buffers it owns to prepare `y`, restores, then puts the user's
 * layout back.
 */
export interface RestoreService {
  restore(plan: RestorePlan | EarlyRestorePlan, input: RestoreInput, options?: RestoreOptions): Promise<RestoreOutcome>;
}
