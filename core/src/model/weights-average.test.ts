import * as tf from '@tensorflow/tfjs-core';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveBackend } from '../backend/resolve-backend';
import { TINY_NETWORK } from '../testing/tiny-network';
import { fixtureCard } from '../testing/training-fixture';
import { VelocityNetwork } from './velocity-network';
import { averageWeights } from './weights-average';
import { loadWeights, saveWeights } from './weights-store';

describe('averageWeights', () => {
  let dir: string;
  beforeAll(async () => {
    await resolveBackend('wasm');
    dir = mkdtempSync(join(tmpdir(), 'fluxir-average-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const save = async (name: string, config = TINY_NETWORK, seed = 1) => {
    const network = VelocityNetwork.create(config, seed);
    for (const p of Object.values(network.params)) p.assign(tf.randomNormal(p.shape, 0, 0.1, 'float32', seed));
    await saveWeights(join(dir, name), network, fixtureCard('flow-matching', []));
    const values = Object.fromEntries(Object.entries(network.params).map(([k, v]) => [k, v.dataSync().slice()]));
    Object.values(network.params).forEach((p) => p.dispose());
    return values;
  };

  it('writes the parameter-wise mean with the first card, naming its sources', async () => {
    const a = await save('a', TINY_NETWORK, 1);
    const b = await save('b', TINY_NETWORK, 2);
    const card = await averageWeights([join(dir, 'a'), join(dir, 'b')], join(dir, 'mean'));
    expect((card.results.averagedFrom as { dir: string }[]).map((s) => s.dir)).toEqual([join(dir, 'a'), join(dir, 'b')]);
    const loaded = loadWeights(join(dir, 'mean'));
    for (const [name, param] of Object.entries(loaded.network.params)) {
      const got = Array.from(param.dataSync());
      const worst = got.reduce((m, v, i) => Math.max(m, Math.abs(v - (a[name][i] + b[name][i]) / 2)), 0);
      expect({ name, close: worst < 1e-6 }).toEqual({ name, close: true });
    }
    Object.values(loaded.network.params).forEach((p) => p.dispose());
  });

  it('refuses another architecture and a single folder with E_WEIGHTS', async () => {
    await save('c', TINY_NETWORK, 3);
    await save('wide', { ...TINY_NETWORK, channels: TINY_NETWORK.channels.map((c) => c * 2) }, 4);
    await expect(averageWeights([join(dir, 'c'), join(dir, 'wide')], join(dir, 'no'))).rejects.toThrow(/^E_WEIGHTS: .*another architecture/);
    await expect(averageWeights([join(dir, 'c')], join(dir, 'no'))).rejects.toThrow(/^E_WEIGHTS: averaging takes at least two/);
  });
});
