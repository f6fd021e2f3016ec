import { createImage, Rng, type Image } from '@fluxir/core';
import { checkPluginExports, type PluginPackage } from './plugin-manifest';
import { trainingOf, trainingTaskOf } from './plugin-training';

const pkg: PluginPackage = { name: '@test/plugin-flat', version: '1.0.0', manifest: { plugin: 'dist/index.js', engine: '^1.0.0' } };
const serving = {
  id: 'flat',
  packageName: '@test/plugin-flat',
  version: '1.0.0',
  title: 'Flat',
  prompt: 'flatten the image',
  stepBudget: { default: 1, min: 1, max: 2 },
  requiresMask: false,
  parseParams: (raw: unknown) => raw ?? {},
  prepare: (input: Image) => ({ y: input }),
};

describe('the training side of a loaded plugin', () => {
  it('gathers the training fields an SDK 1.1 definition keeps at its top into its training section', () => {
    const degrade = (clean: Image) => ({ input: clean });
    const baseline = (input: Image) => input;
    const { definition } = checkPluginExports({ default: { ...serving, trainingParams: () => ({}), degrade, baseline, evalParams: {} } }, pkg);
    const training = trainingOf(definition);
    expect(training).toMatchObject({ degrade, baseline, evalParams: {}, baselines: { classical: baseline } });
    // One evaluation setting, as definePlugin gives a definition without its own.
    expect(training.evalSettings.map((s) => [s.name, s.params])).toEqual([['standard', {}]]);
    expect(training.evalSettings[0].degrade(createImage(2, 2, 3), new Rng(1)).input.width).toBe(2);
    const task = trainingTaskOf(definition);
    const clean = createImage(2, 2, 3);
    expect(task.degrade(clean, new Rng(1), {}).input).toBe(clean);
    expect(task).toMatchObject({ id: 'flat', prompt: 'flatten the image' });
  });

  it('serves a definition without training fields, and refuses to train or evaluate it (E_PLUGIN)', () => {
    const { definition } = checkPluginExports({ default: serving }, pkg);
    expect(definition.prepare(createImage(1, 1, 3), {}).y.channels).toBe(3);
    expect(() => trainingOf(definition)).toThrow('E_PLUGIN: plugin flat: its training section lacks trainingParams, degrade, baseline');
  });
});
