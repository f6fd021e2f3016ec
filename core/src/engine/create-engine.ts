import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { resolve } from 'node:path';
import { foreseenWasm, resolveBackend, type BackendChoice, type BackendName } from '../backend/resolve-backend';
import type { NetworkConfig } from '../model/network-config';
import type { WeightsCard } from '../model/weights-card';
import { loadWeights, readStoredWeights, type StoredWeights } from '../model/weights-store';
import type { Engine } from './engine-protocol';
import { DEFAULT_ENGINE_OPTIONS, RestorationEngine, type EngineOptions } from './restoration-engine';
import { InProcessStepper, warmUp } from './tile-stepper';
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
  const settings = { ...DEFAULT_ENGINE_OPTIONS, ...options };
  // Native backends use every core themselves; wasm runs one thread per instance, so tiles go to workers.
  const workerCount = (backend: BackendName) => (script ? (options.workers ?? (backend === 'wasm' ? Math.min(2, availableParallelism()) : 0)) : 0);
  const pooled = (started: ReadyPool, backend: BackendName) =>
    new RestorationEngine(started.pool, started.config, started.card, backend, engineVersion(), settings);
  // When the backend will be wasm, this thread starts none: the workers start theirs at once.
  if (script && foreseenWasm(choice) && workerCount('wasm') > 0) {
    const started = await startPool(script, workerCount('wasm'), 'wasm', weightsDir);
    if (started.pool) return pooled(started, 'wasm');
    // The workers could not start wasm: this thread tries the backends in the choice's order.
    if (choice === 'wasm') throw started.error;
  }
  const backend = await resolveBackend(choice);
  if (script && workerCount(backend) > 0) {
    const started = await startPool(script, workerCount(backend), backend, weightsDir);
    if (!started.pool) throw started.error;
    return pooled(started, backend);
  }
  const { network, card } = loadWeights(weightsDir);
  const stepper = new InProcessStepper(network);
  await warmUp(stepper, network.config.promptBuckets);
  return new RestorationEngine(stepper, network.config, card, backend, engineVersion(), settings);
}

interface ReadyPool {
  readonly pool: WorkerPoolStepper;
  readonly config: NetworkConfig;
  readonly card: WeightsCard;
  readonly error?: undefined;
}

type StartedPool = ReadyPool | { readonly pool?: undefined; readonly error: unknown };

/**
 * Tile workers, each with its own backend and network. The workers start first: each loads its
 * backend (the longest part of a cold start) while this thread reads and checks the weights once for
 * all of them. Weights that fail their check throw (E_WEIGHTS); workers that cannot start come back as
 * an error, for the caller to fall back on.
 */
async function startPool(script: string, count: number, backend: BackendName, weightsDir: string): Promise<StartedPool> {
  const pool = new WorkerPoolStepper(script, count, backend, WARM_UP_SIDE);
  let stored: StoredWeights;
  try {
    stored = readStoredWeights(weightsDir);
  } catch (error) {
    pool.dispose();
    throw error;
  }
  pool.loadNetwork(stored);
  try {
    await pool.ready();
  } catch (error) {
    pool.dispose();
    return { error };
  }
  return { pool, config: stored.config, card: stored.card };
}
