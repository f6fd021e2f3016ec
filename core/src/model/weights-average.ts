import { errors } from '../common/errors';
import type { WeightsCard } from './weights-card';
import { networkFromStored, readStoredWeights, saveWeights, type StoredWeights } from './weights-store';

/** Where an averaged network came from: each folder and what its card says about its training. */
export interface AveragedFrom {
  readonly dir: string;
  readonly createdAt: string;
  readonly steps: number;
  readonly sha256: string;
}

/**
 * The parameter-wise mean of several networks trained from the same starting weights (a "model soup",
 * Wortsman et al. 2022): fine-tunes of one network that differ in data order and seed tend to lie in
 * one basin, where their mean is often better than each. Every folder must hold the same architecture
 * in plain float32 (what `saveWeights` writes) and the same sampling schedules; E_WEIGHTS otherwise.
 * Writes the mean to `out` with the first folder's card, its `results.averagedFrom` naming the sources.
 */
export async function averageWeights(dirs: readonly string[], out: string): Promise<WeightsCard> {
  if (dirs.length < 2) throw errors.weights(`averaging takes at least two weights folders, got ${dirs.length}`);
  const stored = dirs.map((dir) => readStoredWeights(dir));
  const [first] = stored;
  for (const [i, other] of stored.entries()) checkCompatible(first, other, dirs[0], dirs[i]);
  const length = first.shard.byteLength / 4;
  const mean = new Float32Array(new SharedArrayBuffer(length * 4));
  for (const { shard } of stored) {
    const values = new Float32Array(shard, 0, length);
    for (let i = 0; i < length; i++) mean[i] += values[i] / stored.length;
  }
  const network = networkFromStored({ config: first.config, specs: first.specs, shard: mean.buffer as SharedArrayBuffer });
  const { files: _files, ...card } = first.card;
  const averagedFrom: AveragedFrom[] = stored.map((s, i) => ({
    dir: dirs[i],
    createdAt: s.card.createdAt,
    steps: s.card.training.steps,
    sha256: s.card.files['weights.bin'],
  }));
  try {
    return await saveWeights(out, network, { ...card, createdAt: new Date().toISOString(), results: { averagedFrom } });
  } finally {
    Object.values(network.params).forEach((p) => p.dispose());
  }
}

function checkCompatible(a: StoredWeights, b: StoredWeights, dirA: string, dirB: string): void {
  const shape = (s: StoredWeights) => JSON.stringify({ config: s.config, specs: s.specs.map(({ name, shape, dtype, quantization }) => ({ name, shape, dtype, quantization })) });
  if (shape(a) !== shape(b)) throw errors.weights(`${dirB} holds another architecture than ${dirA}: only the same network can be averaged`);
  if (a.specs.some((spec) => spec.dtype !== 'float32' || spec.quantization)) throw errors.weights(`${dirA} is not plain float32: only float32 weights can be averaged`);
  if (JSON.stringify(a.card.schedules) !== JSON.stringify(b.card.schedules) || JSON.stringify(a.card.prompts) !== JSON.stringify(b.card.prompts)) {
    throw errors.weights(`${dirB} has other prompts or sampling schedules than ${dirA}`);
  }
}
