import * as tf from '@tensorflow/tfjs';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { Worker } from 'node:worker_threads';
import { resolveBackend } from '../backend/resolve-backend';
import { Rng } from '../common/rng';
import { VelocityNetwork } from '../model/velocity-network';
import { loadWeights, readStoredWeights, saveWeights } from '../model/weights-store';
import { TINY_NETWORK } from '../testing/tiny-network';
import { fixtureCard } from '../testing/training-fixture';
import { InProcessStepper, type TileStepRequest, type TileStepResult } from './tile-stepper';
import { WorkerPoolStepper } from './worker-pool-stepper';

/**
 * The production stepper: real worker threads running the built tile worker (core/dist), each with its
 * own wasm backend and its own copy of the weights, checked against the in-thread stepper on the same
 * weights and tiles.
 */
const script = resolve(__dirname, '../../dist/engine/tile-worker.js');
const SIDE = 16;

function request(seed: number, withEstimate: boolean): TileStepRequest {
  const rng = new Rng(seed);
  const plane = (channels: number) => Float32Array.from({ length: SIDE * SIDE * channels }, () => rng.uniform(-1, 1));
  const bag = new Float32Array(TINY_NETWORK.promptBuckets);
  bag[seed % TINY_NETWORK.promptBuckets] = 1;
  return { xs: plane(3), ys: plane(3), ms: plane(1), width: SIDE, height: SIDE, t: 0.75, tNext: 0.25, d: 0.5, bag, withEstimate };
}

/** A request with arrays of its own: a stepper may take the arrays of the one it is given. */
function copyOf(r: TileStepRequest): TileStepRequest {
  return { ...r, xs: r.xs.slice(), ys: r.ys.slice(), ms: r.ms.slice(), bag: r.bag.slice() };
}

function largestDifference(a: TileStepResult, b: TileStepResult): number {
  let worst = a.stepped.length === b.stepped.length ? 0 : Infinity;
  for (let i = 0; i < a.stepped.length; i++) worst = Math.max(worst, Math.abs(a.stepped[i] - b.stepped[i]));
  if (a.estimate || b.estimate) {
    if (!a.estimate || !b.estimate || a.estimate.length !== b.estimate.length) return Infinity;
    for (let i = 0; i < a.estimate.length; i++) worst = Math.max(worst, Math.abs(a.estimate[i] - b.estimate[i]));
  }
  return worst;
}

let weightsDir: string;
let inThread: InProcessStepper;
let pool: WorkerPoolStepper;

beforeAll(async () => {
  if (!existsSync(script)) throw new Error(`${script} is missing: run npm run build first`);
  await resolveBackend('wasm');
  weightsDir = mkdtempSync(join(tmpdir(), 'fluxir-pool-'));
  const network = VelocityNetwork.create(TINY_NETWORK, 5);
  for (const [name, param] of Object.entries(network.params)) {
    if (name.includes('.film.') || name.includes('tail')) param.assign(tf.randomNormal(param.shape, 0, 0.3, 'float32', 9));
  }
  await saveWeights(weightsDir, network, fixtureCard('flow-matching', []));
  Object.values(network.params).forEach((p) => p.dispose());
  inThread = new InProcessStepper(loadWeights(weightsDir).network);
  pool = new WorkerPoolStepper(script, 2, 'wasm', SIDE);
  pool.loadNetwork(readStoredWeights(weightsDir));
  await pool.ready();
});

afterAll(() => {
  pool?.dispose();
  inThread?.dispose();
  rmSync(weightsDir, { recursive: true, force: true });
});

describe('WorkerPoolStepper', () => {
  it('runs as many tile steps at once as it has workers', () => {
    expect(pool.concurrency).toBe(2);
  });

  it('gives the in-thread stepper’s step and preview for tiles stepped at once on two workers', async () => {
    const requests = [1, 2, 3, 4, 5, 6].map((seed) => request(seed, seed % 2 === 0));
    const expected: TileStepResult[] = [];
    for (const r of requests) expected.push(await inThread.step(copyOf(r)));
    const posted = jest.spyOn(Worker.prototype, 'postMessage');
    try {
      const results = await Promise.all(requests.map((r) => pool.step(copyOf(r))));
      results.forEach((result, i) => {
        expect(result.estimate === undefined).toBe(!requests[i].withEstimate);
        expect(largestDifference(result, expected[i])).toBeLessThan(1e-5);
        // The network moves the tile: equal results are not an unchanged input twice.
        expect(Math.max(...result.stepped.map((v, k) => Math.abs(v - requests[i].xs[k])))).toBeGreaterThan(1e-3);
      });
      expect(new Set(posted.mock.contexts).size).toBe(2);
    } finally {
      posted.mockRestore();
    }
  });

  it("moves a request's tile arrays to the worker instead of copying them", async () => {
    const r = request(7, false);
    const stepping = pool.step(r);
    expect([r.xs.byteLength, r.ys.byteLength, r.ms.byteLength]).toEqual([0, 0, 0]);
    expect((await stepping).stepped).toHaveLength(SIDE * SIDE * 3);
  });

  it('rejects a step the worker cannot run, naming the worker, and keeps stepping others', async () => {
    const broken = { ...request(8, false), bag: new Float32Array(3) }; // a prompt bag the model has no buckets for
    await expect(pool.step(broken)).rejects.toThrow(/^tile worker failed: /);
    const r = request(9, false);
    const expected = await inThread.step(copyOf(r));
    expect(largestDifference(await pool.step(r), expected)).toBeLessThan(1e-5);
  });

  it('reports workers that cannot start, with the reason', async () => {
    // The engine reads and checks the weights; a worker handed weights without their values cannot build its network.
    const missing = new WorkerPoolStepper(script, 1, 'wasm', SIDE);
    missing.loadNetwork({ ...readStoredWeights(weightsDir), shard: new SharedArrayBuffer(0) });
    try {
      await expect(missing.ready()).rejects.toThrow(/^tile worker could not start: /);
    } finally {
      missing.dispose();
    }
  });
});
