import type { Image, Mask, StepPreview, StepProgress } from '@fluxir/core';
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

/** Settings once validated against the plugin: a job can be planned before any image is read. */
export interface RestorePlan {
  readonly plugin: PluginDefinition;
  readonly params: Record<string, unknown>;
  readonly steps: number;
  /** The steps asked for, when they were outside the plugin's budget and clamped. */
  readonly requestedSteps?: number;
}

export interface RestoreJob extends RestoreSettings {
  /** 1 grey, 2 grey + alpha, 3 RGB or 4 RGBA, as readImage returns it. */
  readonly image: Image;
  /** 1 = fill. Required by plugins with `requiresMask`; must match the image size. */
  readonly mask?: Mask;
  readonly seed?: number;
  /** What error messages call the image (usually its file name). */
  readonly name?: string;
  readonly signal?: AbortSignal;
  readonly onProgress?: (progress: StepProgress) => void;
  readonly onPreview?: (preview: StepPreview) => void;
}

export interface RestoreOutcome {
  /** Same layout as the input: grey stays grey, alpha is kept (resized along for super-resolution). */
  readonly image: Image;
  readonly plugin: PluginDefinition;
  readonly params: Record<string, unknown>;
  readonly steps: number;
  readonly schedule: readonly number[];
  readonly backend: string;
  /** The engine's time for this image in milliseconds. */
  readonly ms: number;
  /** Preparation, engine and channel handling together. */
  readonly totalMs: number;
}

export const RestoreService = Symbol('RestoreService');
/** Restores one image with one task plugin on the shared engine. */
export interface RestoreService {
  /** Validates task, params and steps (E_UNKNOWN_TASK, E_PARAMS) without touching the engine. */
  plan(settings: RestoreSettings): RestorePlan;
  restore(job: RestoreJob): Promise<RestoreOutcome>;
}
