import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { foreseenWasm, resolveBackend, type BackendChoice, type BackendName } from '../backend/resolve-backend';
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

/**
 * The side of each worker's first, warm-up step. Small: it builds every kernel the model runs, and a
 * warm-up at the full tile size cost a cold 1 MP restore about 0.9 s of wall time (4.4 s against 3.5 s)
 * to save the first real tiles about 0.4 s.
 */
const WARM_UP_SIDE = 64;

/** Starts a backend and loads weights from disk (nothing is fetched). */
export async function createEngine(options: CreateEngineOptions = {}): Promise<Engine & { card: RestorationEngine['card'] }> {
  const choice = options.backend ?? 'auto';
  const weightsDir = options.weightsDir ?? defaultWeightsDir();
  const script = workerScript();
  // Native backends use every core themselves; wasm runs one thread per instance, so tiles go to workers.
  const startPool = (backend: BackendName) => {
    const count = options.workers ?? (backend === 'wasm' && script ? Math.min(2, availableParallelism()) : 0);
    return count > 0 && script ? new WorkerPoolStepper(script, count, weightsDir, backend, WARM_UP_SIDE) : undefined;
  };
  // When the backend will be wasm, workers start first: each loads its backend and model (a cold start's
  // longest part) while this thread starts its own backend and reads the weights.
  let pool = foreseenWasm(choice) ? startPool('wasm') : undefined;
  let backend: BackendName;
  try {
    backend = await resolveBackend(choice);
  } catch (error) {
    pool?.dispose();
    throw error;
  }
  if (pool && backend !== 'wasm') {
    pool.dispose();
    pool = undefined;
  }
  pool ??= startPool(backend);
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
