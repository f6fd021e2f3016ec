import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { resolveBackend, type BackendChoice } from '../backend/resolve-backend';
import { loadWeights } from '../model/weights-store';
import type { Engine } from './engine-protocol';
import { DEFAULT_ENGINE_OPTIONS, RestorationEngine, type EngineOptions } from './restoration-engine';

export interface CreateEngineOptions extends Partial<EngineOptions> {
  readonly weightsDir?: string;
  readonly backend?: BackendChoice;
}

/** The weights shipped with the engine package. */
export function defaultWeightsDir(): string {
  return resolve(__dirname, '../../weights/default');
}

/** The engine's semantic version (plugins declare a range against it). */
export function engineVersion(): string {
  return (JSON.parse(readFileSync(resolve(__dirname, '../../package.json'), 'utf8')) as { version: string }).version;
}

/** Starts a backend and loads weights from disk (nothing is fetched). */
export async function createEngine(options: CreateEngineOptions = {}): Promise<Engine & { card: RestorationEngine['card'] }> {
  const backend = await resolveBackend(options.backend ?? 'auto');
  const { network, card } = loadWeights(options.weightsDir ?? defaultWeightsDir());
  return new RestorationEngine(network, card, backend, engineVersion(), { ...DEFAULT_ENGINE_OPTIONS, ...options });
}
