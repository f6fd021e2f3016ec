import type { BackendChoice, Engine } from '@fluxir/core';

export interface EngineFactoryOptions {
  readonly weightsDir?: string;
  readonly backend?: BackendChoice;
}

export const EngineFactory = Symbol('EngineFactory');
/** Makes the one engine of a host; `createEngine` from @fluxir/core unless a test binds a fake. */
export type EngineFactory = (options: EngineFactoryOptions) => Promise<Engine>;

export const EngineProvider = Symbol('EngineProvider');
/**
 * The shared engine, created on first use (loading weights takes a while, and listing plugins or
 * validating a command line should not wait for it). Every call returns the same instance.
 */
export type EngineProvider = () => Promise<Engine>;

export const EngineVersion = Symbol('EngineVersion');
/** The engine version plugin manifests are checked against: @fluxir/core's `engineVersion()`. */
export type EngineVersion = string;
