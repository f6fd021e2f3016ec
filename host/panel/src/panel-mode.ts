import type { PluginInfo, RestoreResult } from '@fluxir/sdk/client';
import type { CompareView } from './compare-view';

/** The host's limits as the panel page was given them. */
export interface PanelLimits {
  readonly maxUploadBytes: number;
  readonly maxPixels: number;
}

/** What a run restores: the image and, for plugins that fill holes, the mask. */
export interface RunInput {
  readonly image: Blob;
  readonly mask?: Blob;
  /** Used to name the download. */
  readonly name: string;
}

/** A message for the user (not a bug): shown as it is, in the alert area. */
export class UserError extends Error {
  override readonly name = 'UserError';
}

/**
 * Where images come from and where results go: the stand-alone page (open/drop/paste, brush,
 * download) or Photopea (the active document, its selection, a new layer).
 */
export interface PanelMode {
  /** The controls of the "Image" section. */
  readonly controls: HTMLElement;
  readonly restoreLabel: string;
  /** Shown where the image goes before there is one. */
  readonly emptyText: string;
  /** The result stays in the panel (downloaded from it), so a new strength can still change it. */
  readonly keepsResult: boolean;
  /** Whether Restore can be pressed now (an image is there). */
  readonly ready: boolean;
  onReadyChange(listener: () => void): void;
  /** A job runs: the mode keeps its input as it is until it ends. */
  setBusy?(busy: boolean): void;
  pluginChanged(plugin: PluginInfo | undefined): void;
  /** Collects the input and shows the original in the compare view; throws UserError for the user's mistakes. */
  prepare(plugin: PluginInfo, compare: CompareView): Promise<RunInput>;
  /** Hands the result over; returns the status line to show. */
  deliver(result: RestoreResult, plugin: PluginInfo, blob: Blob): Promise<string>;
}
