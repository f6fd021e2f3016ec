import type { Engine } from '@fluxir/core';
import { inject, injectable } from 'inversify';
import { EngineFactory } from './engine-provider.interface';
import { HostOptions } from '../host-options.interface';

/**
 * Holds the host's one engine: created on first use, shared by every caller, disposed with the
 * container. A failed creation (missing weights...) is reported to the callers waiting for it and
 * tried again on the next call.
 *
 * Why not inversify's own singleton scope for an async value: inversify 6.2 caches the promise and
 * also awaits it in a floating `void` call that rethrows, so a failing engine becomes an unhandled
 * rejection, which ends the process (tfjs-backend-wasm's handler rethrows it too).
 */
@injectable()
export class SharedEngine {
  private pending?: Promise<Engine>;
  private engine?: Engine;
  private disposed = false;

  constructor(
    @inject(EngineFactory) private readonly factory: EngineFactory,
    @inject(HostOptions) private readonly options: HostOptions,
  ) {}

  get(): Promise<Engine> {
    if (this.disposed) return Promise.reject(new Error('the host was shut down'));
    this.pending ??= this.factory({ weightsDir: this.options.weightsDir, backend: this.options.backend }).then(
      (engine) => {
        if (this.disposed) engine.dispose();
        else this.engine = engine;
        return engine;
      },
      (error: unknown) => {
        this.pending = undefined;
        throw error;
      },
    );
    return this.pending;
  }

  dispose(): void {
    this.disposed = true;
    this.engine?.dispose();
    this.engine = undefined;
  }
}
