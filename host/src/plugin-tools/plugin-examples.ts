import { mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { readImage, Rng, toChannels, writeImage } from '@fluxir/core';
import { trainingOf } from '../plugins/plugin-training';
import { loadDefinition, readManifest } from './plugin-test-runner';

/** What `writePluginExamples` wrote: one input per clean photo, and a mask beside each for masked tasks. */
export interface WrittenExamples {
  readonly inputs: readonly string[];
  readonly masks: readonly string[];
}

/**
 * A plugin's example inputs, made from clean photos with the plugin's own evaluation degradation
 * (seeded per photo, so the same photo gives the same example): `examples/<name>.png`, and for masked
 * tasks `examples/masks/<name>.png`, where `<name>` is the photo's file name without its `clean-` prefix.
 * The package is loaded as built (`dist/`). `npm run demo` restores them, and the end-to-end test scores them.
 */
export async function writePluginExamples(dir: string, photos: readonly string[]): Promise<WrittenExamples> {
  if (!photos.length) throw new Error('no clean photos to make examples from');
  const plugin = loadDefinition(dir, readManifest(dir));
  const training = trainingOf(plugin);
  const inputs: string[] = [];
  const masks: string[] = [];
  for (const [index, photo] of photos.entries()) {
    const name = path.basename(photo).replace(/^clean-/, '').replace(/\.[^.]+$/, '.png');
    const clean = toChannels((await readImage(photo)).image, 3);
    const sample = training.evalDegrade(clean, new Rng(1000 + index));
    const input = path.join(dir, 'examples', name);
    mkdirSync(path.dirname(input), { recursive: true });
    await writeImage(input, sample.input);
    inputs.push(input);
    if (sample.mask) {
      const mask = path.join(dir, 'examples', 'masks', name);
      mkdirSync(path.dirname(mask), { recursive: true });
      await writeImage(mask, sample.mask);
      masks.push(mask);
    }
  }
  return { inputs, masks };
}
