import { resolve } from 'node:path';
import type { Container } from 'inversify';
import { PluginRegistry } from '../host/src/common/plugin-registry-protocol';
import { RestoreService } from '../host/src/common/restore-service-protocol';
import { loadEvalPhotos, type EvalPhoto } from '../host/src/evaluation/eval-photos';
import { evaluateTask, type TaskResult } from '../host/src/evaluation/evaluate-task';
import { createHostContainer, disposeHostContainer } from '../host/src/node/host-container';

/**
 * The network corrects its start and never spoils it: on validation crops the shipped weights never saw,
 * under every evaluation setting of every task (the standard one, the edges of the training ranges and
 * combinations training rarely draws), fluxir's output is at least as good as where its path starts on
 * the mean, and no photo loses more than 0.3 dB to it.
 */
const PER_PHOTO_TOLERANCE = 0.3;
const photosDir = resolve(__dirname, 'fixtures', 'validation');

let container: Container;
let photos: EvalPhoto[];
beforeAll(async () => {
  container = createHostContainer({});
  photos = await loadEvalPhotos(photosDir, { validation: [] }, 192);
});
afterAll(() => disposeHostContainer(container));

const TASKS = ['denoise', 'superres', 'deblur', 'dehaze', 'derain', 'lowlight', 'inpaint'];

describe.each(TASKS)('%s on unseen validation crops', (task) => {
  it('is never worse than its own start, on the mean or by more than 0.3 dB on any photo', async () => {
    const registry = container.get<PluginRegistry>(PluginRegistry);
    const service = container.get<RestoreService>(RestoreService);
    const plugin = registry.resolve(task);
    const results: TaskResult[] = [];
    for (const setting of plugin.evalSettings) results.push(await evaluateTask(plugin, photos, service, undefined, setting, { classical: false }));
    const losses = results.flatMap((r) => [
      ...(r.mean.fluxir.psnr < r.mean.start.psnr ? [`${r.setting} mean ${r.mean.fluxir.psnr.toFixed(2)} < start ${r.mean.start.psnr.toFixed(2)}`] : []),
      ...r.photos
        .filter((p) => p.fluxir.psnr < p.start.psnr - PER_PHOTO_TOLERANCE)
        .map((p) => `${r.setting} ${p.photo} ${p.fluxir.psnr.toFixed(2)} < start ${p.start.psnr.toFixed(2)}`),
    ]);
    expect(losses).toEqual([]);
  });
});
