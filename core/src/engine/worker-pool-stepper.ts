import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { BackendChoice } from '../backend/resolve-backend';
import type { StoredWeights } from '../model/weights-store';
import type { TileStepRequest, TileStepResult, TileStepper } from './tile-stepper';

interface Pending {
  readonly resolve: (result: TileStepResult) => void;
  readonly reject: (error: Error) => void;
}

/** The compiled worker entry; absent when running from TypeScript sources (tests), where workers are off. */
export function workerScript(): string | undefined {
  const script = join(__dirname, 'tile-worker.js');
  return existsSync(script) ? script : undefined;
}

/** What a worker builds its network from: the engine reads and checks the weights once for every worker. */
export type WorkerWeights = Pick<StoredWeights, 'config' | 'specs' | 'shard'>;

/** Spreads tile steps over worker threads, each holding its own model; the least busy worker gets the next tile. */
export class WorkerPoolStepper implements TileStepper {
  private readonly workers: Worker[];
  private readonly busy: number[];
  private readonly pending = new Map<number, Pending & { worker: number }>();
  private nextId = 0;
  private readonly started: Array<Promise<void>> = [];

  /**
   * Workers start their backends at once and build their networks when `loadNetwork` hands them the
   * weights. `warmUpSide`: each worker's first step runs on a tile this big, before any real one (see warmUp).
   */
  constructor(script: string, count: number, backend: BackendChoice, warmUpSide = 64) {
    this.workers = Array.from({ length: count }, (_, index) => {
      const worker = new Worker(script, { workerData: { backend, warmUpSide } });
      const started = new Promise<void>((resolve, reject) => {
        worker.once('message', (m: { ready?: boolean; error?: string }) =>
          m.ready ? resolve() : reject(new Error(`tile worker could not start: ${m.error}`)),
        );
        worker.once('error', reject);
      });
      // ready() reports a failed start; until someone asks, it must not count as an unhandled rejection.
      started.catch(() => undefined);
      this.started.push(started);
      worker.on('message', (m: { id: number; result?: TileStepResult; error?: string }) => this.settle(m));
      worker.on('error', (error) => this.failAll(index, error));
      return worker;
    });
    this.busy = this.workers.map(() => 0);
  }

  /** Sends every worker the weights (a copy each) to build its network from. */
  loadNetwork(weights: WorkerWeights): void {
    for (const worker of this.workers) worker.postMessage({ weights: { config: weights.config, specs: weights.specs, shard: weights.shard } });
  }

  /** Resolves once every worker has its backend, its model and compiled kernels. */
  async ready(): Promise<void> {
    await Promise.all(this.started);
  }

  get concurrency(): number {
    return this.workers.length;
  }

  step(request: TileStepRequest): Promise<TileStepResult> {
    const index = this.busy.indexOf(Math.min(...this.busy));
    const id = this.nextId++;
    this.busy[index]++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, worker: index });
      // The tile arrays are made for this one step: moved, not copied (the prompt bag is shared, so copied).
      this.workers[index].postMessage({ id, request }, [request.xs.buffer, request.ys.buffer, request.ms.buffer] as ArrayBuffer[]);
    });
  }

  dispose(): void {
    for (const worker of this.workers) void worker.terminate();
  }

  private settle(message: { id: number; result?: TileStepResult; error?: string }): void {
    const entry = this.pending.get(message.id);
    if (!entry) return;
    this.pending.delete(message.id);
    this.busy[entry.worker]--;
    if (message.result) entry.resolve(message.result);
    else entry.reject(new Error(`tile worker failed: ${message.error}`));
  }

  private failAll(worker: number, error: Error): void {
    for (const [id, entry] of this.pending) {
      if (entry.worker !== worker) continue;
      this.pending.delete(id);
      this.busy[worker]--;
      entry.reject(error);
    }
  }
}
