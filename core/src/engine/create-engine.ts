import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { resolveBackend, type BackendChoice } from '../backend/resolve-backend';
import { loadWeights } from '../model/weights-store';
import type { Engine } from './engine-protocol';
import { DEFAULT_ENGINE_OPTIONS, RestorationEngine, type EngineOptions } from './restoration-engine';
import { InProcessStepper, warmUp, type TileStepper } from './tile-stepper';
import { WorkerPoolStepper, workerScript } from './worker-pool-stepper';

export interface CreateEngineOptions extends Partial<EngineOptions> {
  readonly weightsDir?: string;
  readonly backend?: BackendChoice;
  /** Worker threads for tiles (each with its own backend and model copy); 0 runs in this thread. */
  readonly workers?: number;
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
  const choice = options.backend ?? 'auto';
  const backend = await resolveBackend(choice);
  const weightsDir = options.weightsDir ?? defaultWeightsDir();
  const script = workerScript();
  // Native backends use every core themselves; wasm runs one thread per instance, so tiles go to workers.
  const workers = options.workers ?? (backend === 'wasm' && script ? Math.min(2, availableParallelism()) : 0);
  // Workers start first: each loads its backend and model while this thread reads the weights too.
  const tileSize = options.tileSize ?? DEFAULT_ENGINE_OPTIONS.tileSize;
  const pool = workers > 0 && script ? new WorkerPoolStepper(script, workers, weightsDir, backend, tileSize) : undefined;
  let stepper: TileStepper;
  let weights: ReturnType<typeof loadWeights>;
  if (pool) {
    try {
      weights = loadWeights(weightsDir);
      Object.values(weights.network.params).forEach((p) => p.dispose());
      await pool.ready();
    } catch (error) {
      pool.dispose();
      throw error;
    }
    stepper = pool;
  } else {
    weights = loadWeights(weightsDir);
    stepper = new InProcessStepper(weights.network);
    await warmUp(stepper, weights.network.config.promptBuckets);
  }
  const { network, card } = weights;
  return new RestorationEngine(stepper, network.config, card, backend, engineVersion(), { ...DEFAULT_ENGINE_OPTIONS, ...options });
}
