import { errors } from '@fluxir/core';
import type { PluginChange, PluginRegistry } from './plugin-registry.interface';

const RETIRING = new Set<PluginChange['kind']>(['disabled', 'removed', 'isolated']);

/** The error a job gets when its plugin version stops serving (disabled, removed or isolated). */
export function pluginRetired(id: string, version: string, reason: string): Error {
  return errors.plugin(`${id}@${version}`, reason);
}

export interface RetirementWatch {
  /** Aborted, with the E_PLUGIN error as its reason, when the version stops serving. */
  readonly signal: AbortSignal;
  stop(): void;
}

/**
 * Watches one plugin version for a job: E_PLUGIN at once when it no longer serves (a queued job whose
 * version was disabled meanwhile), else a signal that aborts the running job when it is taken out.
 */
export function watchRetirement(registry: PluginRegistry, id: string, version: string): RetirementWatch {
  const state = registry.state(id, version);
  if (state !== 'enabled') throw pluginRetired(id, version, state === 'disabled' ? 'the plugin was disabled' : 'this version is not loaded (it was removed)');
  const controller = new AbortController();
  const stop = registry.onDidChange((change) => {
    if (change.id !== id || change.version !== version || !RETIRING.has(change.kind)) return;
    controller.abort(pluginRetired(id, version, change.reason ?? `the plugin was ${change.kind}`));
  });
  return { signal: controller.signal, stop };
}
