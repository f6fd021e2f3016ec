import * as tf from '@tensorflow/tfjs-core';
// The cpu backend for these tests' tensors.
import '@tensorflow/tfjs-backend-cpu';
import { resolveBackend } from '../backend/resolve-backend';
import { AbortError } from '../common/errors';
import { createImage, type Image } from '../common/image';
import { VelocityNetwork } from '../model/velocity-network';
import type { WeightsCard } from '../model/weights-card';
import { TINY_NETWORK } from '../testing/tiny-network';
import { RestorationEngine } from './restoration-engine';
import { InProcessStepper, type TileStepRequest, type TileStepResult, type TileStepper } from './tile-stepper';
import { collectGarbage } from '../testing/collect-garbage';

const card: WeightsCard = {
  engineVersion: '1.0.0',
  createdAt: '',
  stage: 'test',
  prompts: {},
  startNoise: 0,
  schedules: { denoise: { '3': [1, 0.7, 0.2, 0] } },
  training: { photos: '', trainPhotos: [], validationPhotos: [], steps: 0, batchSize: 0, patchSize: 0, seconds: 0, backend: '' },
  results: {},
  files: {},
};

function gradient(width: number, height: number): Image {
  const img = createImage(width, height, 3);
  for (let y = 0; y < height; y++)
    for (let x = 0; x < width; x++)
      for (let c = 0; c < 3; c++) img.data[(y * width + x) * 3 + c] = (x / width + y / height + c * 0.1) / 2.2;
  return img;
}

describe('RestorationEngine', () => {
  let network: VelocityNetwork;
  beforeAll(async () => {
    await resolveBackend('wasm');
    network = VelocityNetwork.create(TINY_NETWORK, 3);
  });

  function engine(tileSize = 64, overlap = 16) {
    return new RestorationEngine(new InProcessStepper(network), network.config, card, 'wasm', '1.0.0', { tileSize, overlap, sampleNoise: 0, previewMaxPixels: 4e6 });
  }

  it('uses a distilled schedule when the card has one, else uniform steps', () => {
    expect(engine().schedule('denoise', 3)).toEqual([1, 0.7, 0.2, 0]);
    expect(engine().schedule('denoise', 4)).toEqual([1, 0.75, 0.5, 0.25, 0]);
    expect(() => engine().schedule('denoise', 0)).toThrow('E_PARAMS');
    expect(() => engine().schedule('denoise', 33)).toThrow('E_PARAMS');
  });

  it('runs a schedule planned beforehand as it is, and refuses one of another step count', async () => {
    const planned = engine().plan('denoise', 3);
    expect(planned.schedule).toEqual([1, 0.7, 0.2, 0]);
    const y = gradient(40, 30);
    const result = await engine().restore({ task: 'denoise', prompt: 'remove noise', input: { y }, steps: 3, planned });
    expect(result.schedule).toEqual([1, 0.7, 0.2, 0]);
    await expect(engine().restore({ task: 'denoise', prompt: 'remove noise', input: { y }, steps: 2, planned })).rejects.toMatchObject({ code: 'E_PARAMS' });
  });

  it('emits one whole-image preview per step and ends on the last preview', async () => {
    const y = gradient(150, 90);
    const previews: Image[] = [];
    const result = await engine().restore({
      task: 'denoise',
      prompt: 'remove noise',
      input: { y },
      steps: 4,
      // Previews within the first step (tile of tiles) come besides; one per step is whole.
      onPreview: (p) => (p.tile === undefined ? previews.push(p.image) : undefined),
    });
    expect(previews).toHaveLength(4);
    expect(previews[3].width).toBe(150);
    expect(result.image.width).toBe(150);
    expect(result.image.height).toBe(90);
    const last = previews[3].data;
    let maxDiff = 0;
    for (let i = 0; i < last.length; i++) maxDiff = Math.max(maxDiff, Math.abs(last[i] - result.image.data[i]));
    expect(maxDiff).toBeLessThan(1e-5);
  });

  it('gives the same result tiled as in one tile, away from nothing but seams', async () => {
    const y = gradient(120, 100);
    const whole = await engine(512, 16).restore({ task: 'denoise', prompt: 'remove noise', input: { y }, steps: 2 });
    const tiled = await engine(48, 16).restore({ task: 'denoise', prompt: 'remove noise', input: { y }, steps: 2 });
    let sum = 0;
    for (let i = 0; i < whole.image.data.length; i++) sum += Math.abs(whole.image.data[i] - tiled.image.data[i]);
    // An untrained network has a small receptive field; tiles with overlap agree closely on average.
    expect(sum / whole.image.data.length).toBeLessThan(0.02);
  });

  it('stops between tiles when the signal aborts, and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    let progressCalls = 0;
    const run = engine(32, 8).restore({
      task: 'denoise',
      prompt: 'remove noise',
      input: { y: gradient(128, 128) },
      steps: 3,
      signal: controller.signal,
      onProgress: () => {
        progressCalls++;
        if (progressCalls === 2) controller.abort();
      },
    });
    await expect(run).rejects.toBeInstanceOf(AbortError);
    expect(progressCalls).toBe(2);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('gives the same result whether its condition comes from an 8-bit file or as arbitrary floats', async () => {
    const y = gradient(130, 110);
    for (let i = 0; i < y.data.length; i++) y.data[i] = Math.round(y.data[i] * 255) * (1 / 255);
    const nudged = createImage(130, 110, 3, Float32Array.from(y.data));
    nudged.data[0] = 0.123456; // off the 8-bit grid: the engine must keep the floats as they are
    const coded = await engine(48, 16).restore({ task: 'denoise', prompt: 'remove noise', input: { y }, steps: 2 });
    const floats = await engine(48, 16).restore({ task: 'denoise', prompt: 'remove noise', input: { y: nudged }, steps: 2 });
    // Only the pixels within reach of the nudged one may differ.
    const far = (i: number) => Math.floor(i / 3) % 130 > 40 || Math.floor(i / 3 / 130) > 40;
    expect(Array.from(coded.image.data).filter((_, i) => far(i))).toEqual(Array.from(floats.image.data).filter((_, i) => far(i)));
  });

  it('changes only the pixels under the mask of a masked task', async () => {
    const painter = VelocityNetwork.create(TINY_NETWORK, 4);
    for (const [name, param] of Object.entries(painter.params)) {
      if (name.includes('tail')) param.assign(tf.randomNormal(param.shape, 0, 0.5, 'float32', 11)); // a network that changes every pixel
    }
    const y = gradient(70, 60);
    const mask = createImage(70, 60, 1);
    for (let i = 0; i < mask.data.length; i++) mask.data[i] = i % 70 > 20 && i % 70 < 40 ? 1 : 0;
    const filler = new RestorationEngine(new InProcessStepper(painter), painter.config, card, 'wasm', '1.0.0', { tileSize: 48, overlap: 16, sampleNoise: 0, previewMaxPixels: 4e6 });
    const result = await filler.restore({ task: 'inpaint', prompt: 'fill the hole', input: { y, mask }, steps: 1 });
    let inside = 0;
    let outside = 0;
    for (let i = 0; i < mask.data.length; i++) {
      for (let c = i * 3; c < i * 3 + 3; c++) {
        const change = Math.abs(result.image.data[c] - y.data[c]);
        if (mask.data[i]) inside = Math.max(inside, change);
        else outside = Math.max(outside, change);
      }
    }
    expect(inside).toBeGreaterThan(0.01);
    expect(outside).toBeLessThan(1e-6);
    filler.dispose();
  });

  it("starts the path at the plugin's start when it gives one, and still shows the network y", async () => {
    const y = gradient(50, 40);
    const start = createImage(50, 40, 3, y.data.map((v) => 1 - v));
    const own = createImage(50, 40, 3, Float32Array.from(start.data));
    // A fresh network predicts v = 0 (zero output layer): the result is exactly where the path starts.
    const result = await engine(48, 16).restore({ task: 'denoise', prompt: 'remove noise', input: { y, start }, steps: 1 });
    expect(Math.max(...result.image.data.map((v, i) => Math.abs(v - own.data[i])))).toBeLessThan(1e-6);
    expect(start.data).toEqual(own.data); // not given up: left as it was
    const given = await engine(48, 16).restore({ task: 'denoise', prompt: 'remove noise', input: { y, start }, steps: 1, consumeInput: true });
    expect(given.image.data).toBe(start.data);
    await expect(engine().restore({ task: 'denoise', prompt: 'p', input: { y, start: y }, steps: 1 })).rejects.toMatchObject({ code: 'E_PARAMS' });
  });

  it('restores into the buffer of a condition given up by the caller, with the same result', async () => {
    const y = gradient(100, 70);
    for (let i = 0; i < y.data.length; i++) y.data[i] = Math.round(y.data[i] * 255) / 255;
    const kept = await engine(48, 16).restore({ task: 'denoise', prompt: 'remove noise', input: { y }, steps: 2 });
    const given = createImage(100, 70, 3, Float32Array.from(y.data));
    const consumed = await engine(48, 16).restore({ task: 'denoise', prompt: 'remove noise', input: { y: given }, steps: 2, consumeInput: true });
    expect(consumed.image.data).toBe(given.data);
    expect(consumed.image.data).toEqual(kept.image.data);
  });

  it('leaves a float condition it cannot hold in compact form untouched, even when given up', async () => {
    const y = gradient(60, 50);
    y.data[1] = y.data[0] + 1e-6; // two different floats on one 16-bit level: no exact code for them
    const before = Float32Array.from(y.data);
    const result = await engine(48, 16).restore({ task: 'denoise', prompt: 'remove noise', input: { y }, steps: 1, consumeInput: true });
    expect(result.image.data).not.toBe(y.data);
    expect(y.data).toEqual(before);
  });

  it('previews a one-step job as its tiles finish, before the step’s own preview', async () => {
    const previews: { step: number; tile?: number; tiles?: number; width: number }[] = [];
    await engine(48, 16).restore({
      task: 'denoise',
      prompt: 'remove noise',
      input: { y: gradient(120, 60) },
      steps: 1,
      onPreview: ({ step, tile, tiles, image }) => previews.push({ step, tile, tiles, width: image.width }),
    });
    expect(previews.length).toBeGreaterThanOrEqual(2);
    expect(previews[0]).toMatchObject({ step: 1, tile: 1, width: 120 });
    expect(previews[0].tiles).toBeGreaterThan(1);
    expect(previews[previews.length - 1]).toEqual({ step: 1, tile: undefined, tiles: undefined, width: 120 });
  });

  it("lets go of the caller's float condition while it samples, so a large photo is not held twice", async () => {
    let heldWhileSampling: boolean | undefined;
    let calls = 0;
    const inner = new InProcessStepper(network);
    const probe: TileStepper = {
      concurrency: 1,
      step(request: TileStepRequest): Promise<TileStepResult> {
        // The second tile, in a later task: a WeakRef keeps its target alive until the task that made it ends.
        if (++calls !== 2) return inner.step(request);
        return new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
          collectGarbage();
          heldWhileSampling = condition.deref() !== undefined;
          return inner.step(request);
        });
      },
      dispose: () => undefined,
    };
    const condition = startRestore(new RestorationEngine(probe, network.config, card, 'wasm', '1.0.0', { tileSize: 64, overlap: 16, sampleNoise: 0, previewMaxPixels: 4e6 }));
    const result = await condition.result;
    expect(heldWhileSampling).toBe(false);
    expect(result.image.width).toBe(96);
  });
});

/** Starts a restore of an 8-bit image that only the engine references; returns a weak reference to its samples. */
function startRestore(engine: RestorationEngine) {
  const y = gradient(96, 80);
  for (let i = 0; i < y.data.length; i++) y.data[i] = Math.round(y.data[i] * 255) / 255;
  const samples = new WeakRef(y.data);
  return { deref: () => samples.deref(), result: engine.restore({ task: 'denoise', prompt: 'remove noise', input: { y }, steps: 2 }) };
}
