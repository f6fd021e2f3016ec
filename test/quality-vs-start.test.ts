import { resolve } from 'node:path';
import type { Container } from 'inversify';
import { builtinPluginIds } from '../host/src/plugins/builtin-plugins';
import { PluginRegistry } from '../host/src/plugins/plugin-registry.interface';
import { restorerOf } from '../host/src/evaluation/restorer';
import { loadEvalPhotos, type EvalPhoto } from '../host/src/evaluation/eval-photos';
import { evaluateTask, type TaskResult } from '../host/src/evaluation/evaluate-task';
import { createHostContainer, disposeHostContainer } from '../host/src/host-container';

/**
 * The network corrects its start and does not spoil it: on validation crops the shipped weights never
 * saw, under every evaluation setting of every task (the standard one, the edges of the training ranges
 * and combinations training rarely draws), fluxir's output is at least as good as where its path starts
 * on the mean, and no photo loses more than 0.3 dB to it.
 *
 * KNOWN_SHORTFALLS lists the settings where the shipped weights do not meet that yet, with the margin
 * measured on these crops (docs/results.md): there the test holds the weights to that margin, so it
 * still fails if they get worse, and it fails too once a setting is met, so the list only shrinks.
 */
const PER_PHOTO_TOLERANCE = 0.3;
const KNOWN_SHORTFALLS: Record<string, { readonly mean: number; readonly worstPhoto: number }> = {
  'dehaze standard': { mean: 1.69, worstPhoto: -1.17 },
  'dehaze dense-white': { mean: 0.49, worstPhoto: -1.4 },
  'dehaze tinted-horizontal': { mean: 1.31, worstPhoto: -1.39 },
  'dehaze light-smooth': { mean: 1.74, worstPhoto: -1.13 },
  'lowlight standard': { mean: 0.34, worstPhoto: -0.6 },
  'lowlight dim-cool': { mean: 0.3, worstPhoto: -0.35 },
};
const MARGIN = 0.05;
const photosDir = resolve(__dirname, 'fixtures', 'validation');

let container: Container;
let photos: EvalPhoto[];
beforeAll(async () => {
  container = createHostContainer({});
  photos = await loadEvalPhotos(photosDir, { validation: [] }, 192);
});
afterAll(() => disposeHostContainer(container));

describe.each(builtinPluginIds())('%s on unseen validation crops', (task) => {
  it('is never worse than its own start, on the mean or by more than 0.3 dB on any photo', async () => {
    const registry = container.get<PluginRegistry>(PluginRegistry);
    const restorer = restorerOf(container);
    const plugin = registry.resolve(task);
    const results: TaskResult[] = [];
    for (const setting of plugin.training.evalSettings) results.push(await evaluateTask(plugin, photos, restorer, undefined, setting, { classical: false }));
    const verdicts = results.map((r) => {
      const mean = r.mean.fluxir.psnr - r.mean.start.psnr;
      const worstPhoto = Math.min(...r.photos.map((p) => p.fluxir.psnr - p.start.psnr));
      const known = KNOWN_SHORTFALLS[`${task} ${r.setting}`];
      const meets = mean >= 0 && worstPhoto >= -PER_PHOTO_TOLERANCE;
      const verdict = known
        ? meets
          ? 'met: take it off the list of shortfalls'
          : mean >= known.mean - MARGIN && worstPhoto >= known.worstPhoto - MARGIN
            ? 'ok'
            : `worse than the known shortfall (${known.mean}, ${known.worstPhoto})`
        : meets
          ? 'ok'
          : 'worse than its start';
      return { setting: r.setting, mean: Number(mean.toFixed(2)), worstPhoto: Number(worstPhoto.toFixed(2)), verdict };
    });
    expect(verdicts.filter((v) => v.verdict !== 'ok')).toEqual([]);
  });
});
