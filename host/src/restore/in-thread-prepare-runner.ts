import type { Image, Mask, PreparedInput } from '@fluxir/core';
import type { PluginDefinition } from '@fluxir/sdk';
import { injectable } from 'inversify';
import type { PrepareRunner } from './prepare-runner.interface';

/** `prepare` on the calling thread: for the command line, where nothing else waits on the event loop. */
@injectable()
export class InThreadPrepareRunner implements PrepareRunner {
  prepare(plugin: PluginDefinition, input: Image, params: Record<string, unknown>, mask?: Mask): Promise<PreparedInput> {
    return new Promise((resolve) => resolve(plugin.prepare(input, params, mask)));
  }
}
