import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveBackend } from '../backend/resolve-backend';
import { TINY_NETWORK } from '../testing/tiny-network';
import { fixtureCard } from '../testing/training-fixture';
import { VelocityNetwork, type NetworkInputs } from './velocity-network';
import { growNetwork, growWeights } from './weights-grow';
import { loadWeights, saveWeights } from './weights-store';

function inputs(side: number): NetworkInputs {
  return {
    xt: tf.randomUniform([2, side, side, 3], -1, 1, 'float32', 1) as tf.Tensor4D,
    y: tf.randomUniform([2, side, side, 3], -1, 1, 'float32', 2) as tf.Tensor4D,
    mask: tf.zeros([2, side, side, 1]) as tf.Tensor4D,
    t: tf.tensor1d([0.7, 1]),
    d: tf.tensor1d([0.2, 1]),
    prompt: tf.cast(tf.oneHot([3, 5], TINY_NETWORK.promptBuckets), 'float32') as tf.Tensor2D,
  };
}

/** A network whose every parameter is non-zero, as trained ones are (fresh ones start the tail at zero). */
function trained(seed: number): VelocityNetwork {
  const network = VelocityNetwork.create(TINY_NETWORK, seed);
  for (const p of Object.values(network.params)) p.assign(tf.randomNormal(p.shape, 0, 0.2, 'float32', seed));
  return network;
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];

describe('growNetwork', () => {
  beforeAll(async () => {
    await resolveBackend('wasm');
  });

  it('adds blocks that compute nothing until trained, keeping every old parameter', () => {
    const network = trained(4);
    const grown = growNetwork(network, { encoderBlocks: [1, 2], decoderBlocks: [2] });
    expect(grown.config.encoderBlocks).toEqual([1, 2]);
    expect(grown.config.decoderBlocks).toEqual([2]);
    expect(Object.keys(grown.params)).toEqual(expect.arrayContaining(['l0.enc0.w1', 'l1.enc1.w2', 'l0.dec1.film.w']));
    expect(grown.parameterCount()).toBeGreaterThan(network.parameterCount());
    expect(grown.macsPerPixel()).toBeGreaterThan(network.macsPerPixel());
    for (const [name, param] of Object.entries(network.params)) expect({ name, same: maxDiff(param, grown.params[name]) }).toEqual({ name, same: 0 });
    const x = inputs(16);
    expect(maxDiff(network.apply(x), grown.apply(x))).toBeLessThan(1e-5);
    // The new blocks are real: once their second convolution moves, the output changes.
    grown.params['l0.enc0.w2'].assign(tf.randomNormal(grown.params['l0.enc0.w2'].shape, 0, 0.2, 'float32', 9));
    expect(maxDiff(network.apply(x), grown.apply(x))).toBeGreaterThan(1e-3);
  });

  it('refuses fewer blocks, another number of levels and absurd counts with E_WEIGHTS', () => {
    const network = trained(5);
    expect(() => growNetwork(network, { encoderBlocks: [0, 0], decoderBlocks: [1] })).toThrow(/^E_WEIGHTS: encoder blocks .*current \[0,1\]/);
    expect(() => growNetwork(network, { encoderBlocks: [0, 1, 1], decoderBlocks: [1] })).toThrow(/^E_WEIGHTS: encoder blocks must be 2/);
    expect(() => growNetwork(network, { encoderBlocks: [0, 1], decoderBlocks: [1.5] })).toThrow(/^E_WEIGHTS: decoder blocks/);
    expect(() => growNetwork(network, { encoderBlocks: [0, 99], decoderBlocks: [1] })).toThrow(/^E_WEIGHTS: encoder blocks/);
  });

  it('writes grown weights that load and name where they came from', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fluxir-grow-'));
    try {
      const network = trained(6);
      const x = inputs(16);
      const before = network.apply(x);
      const saved = await saveWeights(join(dir, 'a'), network, fixtureCard('flow-matching', []));
      const card = await growWeights(join(dir, 'a'), { encoderBlocks: [1, 1], decoderBlocks: [1] }, join(dir, 'b'));
      expect(card.results.grownFrom).toEqual({ dir: join(dir, 'a'), sha256: saved.files['weights.bin'], encoderBlocks: [1, 1], decoderBlocks: [1] });
      const loaded = loadWeights(join(dir, 'b'));
      expect(loaded.network.config.encoderBlocks).toEqual([1, 1]);
      expect(maxDiff(before, loaded.network.apply(x))).toBeLessThan(1e-5);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
