import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { createImage, errors, MAX_STEPS, STEPS_EXPECTED, type Engine, type Image } from '@fluxir/core';
import type { Container } from 'inversify';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { RestorePlanner } from './restore-planner.interface';
import { RestoreService, type RestoreInput, type RestoreOptions, type RestorePlan, type RestoreSettings } from './restore-service.interface';
import { captureLogger } from '../testing/capture-logger';
import { FakeEngine } from '../testing/fake-engine';
import { writeFakePluginPackage } from '../testing/fake-plugin-package';
import { createHostContainer, disposeHostContainer } from '../host-container';

let root: string;
let container: Container;
let service: RestoreService;
let planner: RestorePlanner;
let engines: FakeEngine[];

beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'fluxir-restore-'));
  await writeFakePluginPackage(root, { id: 'denoise' });
  await writeFakePluginPackage(root, { id: 'superres', scale: 2 });
  await writeFakePluginPackage(root, { id: 'inpaint', requiresMask: true });
  await writeFakePluginPackage(root, {
    id: 'fragile',
    entrySource: `const d = require('../../plugin-denoise/dist/index.js').default;
exports.default = { ...d, id: 'fragile', packageName: '@test/plugin-fragile', prepare: () => { throw new TypeError('cannot read y of undefined'); } };`,
  });
  engines = [];
  container = createHostContainer({
    pluginDirs: [root],
    searchNodeModules: false,
    engineVersion: '1.0.0',
    engineFactory: async () => {
      const engine = new FakeEngine();
      engines.push(engine);
      return engine;
    },
    logger: captureLogger().logger,
  });
  service = container.get<RestoreService>(RestoreService);
  planner = container.get<RestorePlanner>(RestorePlanner);
});

/** Plans the settings, then restores by the plan, as a request's entry point and the service do. */
async function restore(settings: RestoreSettings, input: RestoreInput, options?: RestoreOptions) {
  return service.restore(await planner.plan(planner.choose(settings)), input, options);
}

afterAll(async () => {
  await disposeHostContainer(container);
  await fs.rm(root, { recursive: true, force: true });
});

function image(width: number, height: number, channels: number): Image {
  const out = createImage(width, height, channels);
  for (let i = 0; i < out.data.length; i++) out.data[i] = ((i * 7919) % 1000) / 1000;
  return out;
}

function channel(img: Image, c: number): number[] {
  return Array.from({ length: img.width * img.height }, (_, i) => img.data[i * img.channels + c]);
}

describe('RestoreService', () => {
  it('restores RGB with the default step budget, on one shared engine', async () => {
    const steps: number[] = [];
    const first = await restore({ task: 'denoise' }, { image: image(8, 6, 3) }, { onProgress: (p) => steps.push(p.step) });
    expect(first.image).toMatchObject({ width: 8, height: 6, channels: 3 });
    expect([first.steps, first.backend]).toEqual([4, 'fake']);
    expect(steps).toEqual([1, 2, 3, 4]);
    expect(first.ms).toBeGreaterThanOrEqual(0);
    await restore({ task: 'denoise' }, { image: image(4, 4, 3) });
    expect(engines).toHaveLength(1);
    expect(engines[0].requests[0]).toMatchObject({ task: 'denoise', prompt: 'denoise the image', steps: 4 });
    expect(engines[0].requests[0].planned?.schedule).toEqual([1, 0.75, 0.5, 0.25, 0]);
  });

  it("hands the plugin RGB it owns: a copy of the user's image, the image itself only when it was given up", async () => {
    const input = image(6, 4, 3);
    const before = Float32Array.from(input.data);
    await restore({ task: 'denoise' }, { image: input }); // identity prepare: y is what the plugin was handed
    const kept = engines[0].requests.at(-1)!;
    expect(kept.input.y.data).not.toBe(input.data);
    expect(kept.consumeInput).toBe(true);
    expect(input.data).toEqual(before);
    await restore({ task: 'denoise' }, { image: input, consume: true });
    expect(engines[0].requests.at(-1)!.input.y.data).toBe(input.data);
  });

  it('keeps alpha untouched and gives RGBA back', async () => {
    const input = image(5, 5, 4);
    const out = await restore({ task: 'denoise' }, { image: input });
    expect(out.image.channels).toBe(4);
    expect(channel(out.image, 3)).toEqual(channel(input, 3));
    expect(engines[0].requests.at(-1)?.input.y.channels).toBe(3);
  });

  it('resizes alpha along with a super-resolved image', async () => {
    const input = image(4, 3, 4);
    input.data.fill(1);
    for (let i = 0; i < 12; i++) input.data[i * 4 + 3] = 0.25;
    const out = await restore({ task: 'superres' }, { image: input });
    expect(out.image).toMatchObject({ width: 8, height: 6, channels: 4 });
    expect(channel(out.image, 3).every((a) => Math.abs(a - 0.25) < 1e-6)).toBe(true);
  });

  it('gives grey back for grey in, with or without alpha', async () => {
    const grey = await restore({ task: 'denoise' }, { image: image(6, 4, 1) });
    expect(grey.image.channels).toBe(1);
    const y = engines[0].requests.at(-1)!.input.y;
    expect(y.channels).toBe(3);
    expect(channel(y, 0)).toEqual(channel(y, 2));
    const greyAlpha = image(6, 4, 2);
    const out = await restore({ task: 'denoise' }, { image: greyAlpha });
    expect(out.image.channels).toBe(2);
    expect(channel(out.image, 1)).toEqual(channel(greyAlpha, 1));
  });

  it('lists the known tasks for an unknown one', () => {
    expect(() => planner.choose({ task: 'sharpen' })).toThrow(errors.unknownTask('sharpen', ['denoise', 'fragile', 'inpaint', 'superres']));
  });

  it('clamps steps to the plugin budget and refuses steps outside 1..MAX_STEPS', () => {
    expect(planner.choose({ task: 'denoise', steps: 20 })).toMatchObject({ steps: 8, requestedSteps: 20 });
    expect(planner.choose({ task: 'denoise', steps: 2 })).toMatchObject({ steps: 2 });
    expect(STEPS_EXPECTED).toBe(`an integer from 1 to ${MAX_STEPS}`);
    expect(() => planner.choose({ task: 'denoise', steps: MAX_STEPS + 1 })).toThrow(errors.invalidParameter('steps', STEPS_EXPECTED, MAX_STEPS + 1));
    expect(() => planner.choose({ task: 'denoise', steps: 0 })).toThrow(errors.invalidParameter('steps', STEPS_EXPECTED, 0));
    expect(() => planner.choose({ task: 'denoise', steps: 2.5 })).toThrow(errors.invalidParameter('steps', STEPS_EXPECTED, 2.5));
  });

  it('plans the plugin\'s path end as the last time of the schedule', async () => {
    const choice = planner.choose({ task: 'denoise', steps: 2 });
    expect((await planner.plan(choice)).schedule.schedule).toEqual([1, 0.5, 0]);
    const past = await planner.plan({ ...choice, plugin: { ...choice.plugin, pathEnd: -0.3 } });
    expect(past.schedule.schedule).toEqual([1, 0.5, -0.3]);
  });

  it('requires a mask of the right size for inpainting (E_MASK)', async () => {
    await expect(restore({ task: 'inpaint' }, { image: image(4, 4, 3), name: 'a.png' })).rejects.toThrow(
      errors.maskMissing('inpaint', 'a.png'),
    );
    await expect(
      restore({ task: 'inpaint' }, { image: image(4, 4, 3), mask: createImage(4, 5, 1), name: 'a.png' }),
    ).rejects.toThrow(errors.maskMismatch('a.png', { width: 4, height: 5 }, { width: 4, height: 4 }));
    const mask = createImage(4, 4, 1);
    mask.data[5] = 1;
    mask.data[6] = 0.4;
    const out = await restore({ task: 'inpaint' }, { image: image(4, 4, 3), mask });
    expect(out.image.channels).toBe(3);
    const handed = engines[0].requests.at(-1)?.input.mask;
    expect([handed?.data[5], handed?.data[6]]).toEqual([1, 0]);
    expect(handed?.data).not.toBe(mask.data);
  });

  it('reports a plugin that throws as E_PLUGIN, and keeps serving', async () => {
    await expect(restore({ task: 'fragile' }, { image: image(4, 4, 3) })).rejects.toThrow(
      errors.plugin('fragile', 'cannot read y of undefined'),
    );
    await expect(restore({ task: 'denoise' }, { image: image(4, 4, 3) })).resolves.toBeDefined();
  });

  it('stops with E_ABORTED when the signal is aborted', async () => {
    const controller = new AbortController();
    const run = restore({ task: 'denoise' }, { image: image(4, 4, 3) }, { signal: controller.signal, onProgress: (p) => p.step === 1 && controller.abort() });
    await expect(run).rejects.toMatchObject({ code: 'E_ABORTED' });
  });

  it('creates the engine on first use and disposes it with the container', async () => {
    const made: FakeEngine[] = [];
    const own = createHostContainer({
      pluginDirs: [root],
      searchNodeModules: false,
      engineVersion: '1.0.0',
      engineFactory: async () => made[made.push(new FakeEngine()) - 1],
      logger: captureLogger().logger,
    });
    const ownService = own.get<RestoreService>(RestoreService);
    const ownPlanner = own.get<RestorePlanner>(RestorePlanner);
    const choice = ownPlanner.choose({ task: 'denoise' });
    expect(choice.steps).toBe(4);
    expect(made).toHaveLength(0);
    await ownService.restore(await ownPlanner.plan(choice), { image: image(2, 2, 3) });
    await disposeHostContainer(own);
    expect(made.map((e) => e.disposed)).toEqual([true]);
  });
});

describe('RestoreService memory', () => {
  it("lets go of the user's decoded image once the plugin has prepared its own condition", async () => {
    let heldWhileSampling: boolean | undefined;
    // An engine that keeps only the prepared condition and looks at the decoded image in a later task.
    const engine: Engine = {
      version: '1.0.0',
      backend: 'probe',
      plan: (task, steps) => new FakeEngine().plan(task, steps),
      schedule: (task, steps) => new FakeEngine().schedule(task, steps),
      restore(request) {
        const y = request.input.y;
        return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
          collectGarbage();
          heldWhileSampling = decoded.deref() !== undefined;
          return { image: y, steps: request.steps, schedule: [1, 0], ms: 0 };
        });
      },
      dispose: () => undefined,
    };
    const host = createHostContainer({
      pluginDirs: [root],
      searchNodeModules: false,
      engineVersion: '1.0.0',
      engineFactory: async () => engine,
      logger: captureLogger().logger,
    });
    const hostPlanner = host.get<RestorePlanner>(RestorePlanner);
    const plan = await hostPlanner.plan(hostPlanner.choose({ task: 'superres', steps: 1 }));
    const decoded = startSuperres(host.get<RestoreService>(RestoreService), plan);
    try {
      const outcome = await decoded.outcome;
      expect(outcome.image.width).toBe(32);
      expect(heldWhileSampling).toBe(false);
    } finally {
      await disposeHostContainer(host);
    }
  });
});

/** Hands the service an image nothing else references; returns a weak reference to it. */
function startSuperres(restoreService: RestoreService, plan: RestorePlan) {
  const input = image(16, 12, 3);
  const ref = new WeakRef(input);
  return { deref: () => ref.deref(), outcome: restoreService.restore(plan, { image: input, consume: true }) };
}

function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}
