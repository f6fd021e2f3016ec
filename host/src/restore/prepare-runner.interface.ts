import type { Image, Mask, PreparedInput } from '@fluxir/core';
import type { PluginDefinition } from '@fluxir/sdk';

export const PrepareRunner = Symbol('PrepareRunner');
/**
 * Where a plugin's `prepare` runs. In the command line it runs in place; a serving host runs it on a
 * worker thread, since a guided filter on a large photo takes seconds, and the event loop must keep
 * answering (health checks, other clients, a Redis worker's lock renewals) meanwhile.
 * `input` and `mask` are handed over: the caller does not use them afterwards.
 */
export interface PrepareRunner {
  /** `signal`: the job's; once it aborts, the call rejects with AbortError without waiting for the plugin where it can. */
  prepare(plugin: PluginDefinition, input: Image, params: Record<string, unknown>, mask?: Mask, signal?: AbortSignal): Promise<PreparedInput>;
  /** Gets ready before the first job (the host calls it while it starts). */
  warmUp?(): Promise<void>;
}
