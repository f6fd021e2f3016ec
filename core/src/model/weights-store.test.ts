import * as tf from '@tensorflow/tfjs-core';
// The cpu backend for these tests' tensors.
import '@tensorflow/tfjs-backend-cpu';
import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveBackend } from '../backend/resolve-backend';
import { TINY_NETWORK } from '../testing/tiny-network';
import { fixtureCard } from '../testing/training-fixture';
import { depthToSpace, spaceToDepth, VelocityNetwork } from './velocity-network';
import { loadWeights, readStoredWeights, saveWeights } from './weights-store';

describe('weights store', () => {
  let dir: string;
  beforeAll(async () => {
    await resolveBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'fluxir-weights-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const inputs = () => ({
    xt: tf.ones([1, 8, 8, 3]) as tf.Tensor4D,
    y: tf.zeros([1, 8, 8, 3]) as tf.Tensor4D,
    mask: tf.zeros([1, 8, 8, 1]) as tf.Tensor4D,
    t: tf.tensor1d([0.7]),
    d: tf.tensor1d([0]),
    prompt: tf.ones([1, TINY_NETWORK.promptBuckets]) as tf.Tensor2D,
  });

  it('round-trips a network: same parameters, same output, card with SHA-256 sums', async () => {
    const network = VelocityNetwork.create(TINY_NETWORK, 5);
    network.params['l0.tail.w'].assign(tf.randomNormal(network.params['l0.tail.w'].shape, 0, 0.1, 'float32', 1));
    const expected = network.apply(inputs()).arraySync();
    const card = await saveWeights(join(dir, 'a'), network, fixtureCard('flow-matching', []));
    expect(Object.keys(card.files).sort()).toEqual(['model.json', 'weights.bin']);
    expect(card.files['weights.bin']).toMatch(/^[0-9a-f]{64}$/);
    Object.values(network.params).forEach((p) => p.dispose());
    // Read once into shared memory, for worker threads to build their networks from.
    expect(readStoredWeights(join(dir, 'a')).shard).toBeInstanceOf(SharedArrayBuffer);
    const loaded = loadWeights(join(dir, 'a'));
    expect(loaded.network.config).toEqual(TINY_NETWORK);
    expect(loaded.network.apply(inputs()).arraySync()).toEqual(expected);
    Object.values(loaded.network.params).forEach((p) => p.dispose());
  });

  it('refuses weights that do not match their card with E_WEIGHTS', async () => {
    const network = VelocityNetwork.create(TINY_NETWORK, 6);
    await saveWeights(join(dir, 'b'), network, fixtureCard('flow-matching', []));
    Object.values(network.params).forEach((p) => p.dispose());
    const file = join(dir, 'b', 'weights.bin');
    const bytes = readFileSync(file);
    bytes[10] ^= 0xff;
    writeFileSync(file, bytes);
    expect(() => loadWeights(join(dir, 'b'))).toThrow(/^E_WEIGHTS: .*weights\.bin has SHA-256 [0-9a-f]{64}, the card says/);
    expect(() => loadWeights(join(dir, 'missing'))).toThrow(/^E_WEIGHTS: cannot read/);
  });

  it('space-to-depth and depth-to-space are inverse', () => {
    const x = tf.randomNormal([2, 8, 6, 3]) as tf.Tensor4D;
    const down = spaceToDepth(x);
    expect(down.shape).toEqual([2, 4, 3, 12]);
    expect(depthToSpace(down).arraySync()).toEqual(x.arraySync());
  });
});
