import type { BackendChoice } from '@fluxir/core';

export const HostOptions = Symbol('HostOptions');
/** How one host is set up: where plugins come from and what the engine loads. */
export interface HostOptions {
  /** Folders that are plugin packages, or hold plugin packages (also under `@scope/`). Searched first. */
  readonly pluginDirs: readonly string[];
  /** Also discover plugins in every `node_modules/@fluxir` folder above the host. */
  readonly searchNodeModules: boolean;
  /** Engine weights; the engine's shipped default when undefined. */
  readonly weightsDir?: string;
  readonly backend?: BackendChoice;
}

export const DEFAULT_HOST_OPTIONS: HostOptions = { pluginDirs: [], searchNodeModules: true };
