/// <reference types="jest" />
import { valid as validSemver } from 'semver';
import {
  FluxirError,
  psnr,
  resize,
  Rng,
  testPattern,
  toChannels,
  type DegradedSample,
  type Image,
  type PreparedInput,
} from '@fluxir/core';
import { MAX_STEPS } from '../define-plugin';
import type { PluginDefinition } from '../plugin-definition';

export interface PluginContractOptions<P extends Record<string, unknown>> {
  /** The plugin's fixed benchmark degradation; checked like `degrade` and used for the quality checks. */
  readonly evalDegrade?: (clean: Image, rng: Rng, params: P) => DegradedSample;
  /** The baseline must strictly beat the degraded input, not merely stay within 1 dB of it. */
  readonly baselineImproves?: boolean;
  /** Side of the square synthetic test image; keep it divisible by every scale factor (default 96). */
  readonly size?: number;
}

const TRAINING_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

/**
 * The behaviour every fluxir plugin promises the engine and the host. Call it inside a jest test file:
 * `describePluginContract(plugin, { evalDegrade })`. It runs on a synthetic image, so it needs no files.
 */
export function describePluginContract<P extends Record<string, unknown>>(
  plugin: PluginDefinition<P>,
  options: PluginContractOptions<P> = {},
): void {
  const size = options.size ?? 96;
  const clean = testPattern(size, size, 3);
  const evalSample = (seed: number, image = clean): DegradedSample =>
    options.evalDegrade
      ? options.evalDegrade(image, new Rng(seed), plugin.evalParams)
      : plugin.degrade(image, new Rng(seed), plugin.evalParams);
  const prepare = (sample: DegradedSample, params: P): PreparedInput => plugin.prepare(sample.input, params, sample.mask);

  describe(`plugin contract: ${plugin.id}`, () => {
    it('has a valid id, package version, prompt and step budget', () => {
      expect(plugin.id).toMatch(/^[a-z][a-z0-9-]{1,31}$/);
      expect(validSemver(plugin.version)).not.toBeNull();
      expect(plugin.packageName).toMatch(/\S/);
      expect(plugin.title).toMatch(/\S/);
      expect(plugin.prompt).toMatch(/^[a-z][a-z ,'-]*[a-z]$/);
      expect(plugin.prompt.split(' ').length).toBeLessThanOrEqual(16);
      const { min, max } = plugin.stepBudget;
      const steps = plugin.stepBudget.default;
      for (const value of [min, steps, max]) {
        expect(Number.isInteger(value) && value >= 1 && value <= MAX_STEPS).toBe(true);
      }
      expect(min <= steps && steps <= max).toBe(true);
    });

    it('parses its defaults, evaluation and training parameters, and rejects bad ones with E_PARAMS', () => {
      expect(() => plugin.parseParams(undefined)).not.toThrow();
      expect(plugin.parseParams(plugin.evalParams)).toEqual(plugin.evalParams);
      for (const seed of TRAINING_SEEDS) {
        const params = plugin.trainingParams(new Rng(seed));
        expect(plugin.parseParams(params)).toEqual(params);
      }
      for (const bad of ['nonsense', 42, [1], { notAParameter: true }]) {
        expect(() => plugin.parseParams(bad)).toThrow(FluxirError);
        expect(errorCode(() => plugin.parseParams(bad))).toBe('E_PARAMS');
      }
    });

    it('degrades to an RGB image in [0, 1] that prepare brings back to the clean size, for random settings', () => {
      for (const seed of TRAINING_SEEDS) {
        const rng = new Rng(seed);
        const params = plugin.trainingParams(rng);
        const sample = plugin.degrade(clean, rng, params);
        expectShrunkBy(sample.input, clean);
        expectRgbInRange(sample.input);
        if (sample.mask) expectMask(sample.mask, sample.input);
        const prepared = prepare(sample, params);
        expect([prepared.y.width, prepared.y.height]).toEqual([clean.width, clean.height]);
        expectRgbInRange(prepared.y);
        if (plugin.requiresMask) expectMask(prepared.mask, prepared.y);
      }
    });

    it('accepts images of other shapes, and leaves the clean image untouched', () => {
      const ratio = clean.width / plugin.degrade(clean, new Rng(1), plugin.evalParams).input.width;
      // An odd, non-square size unless the task shrinks the image (then sides divisible by the ratio).
      const other = ratio === 1 ? testPattern(67, 45, 4) : testPattern(17 * ratio, 11 * ratio, 4);
      const before = new Float32Array(other.data);
      const sample = plugin.degrade(other, new Rng(2), plugin.evalParams);
      expect(other.data).toEqual(before);
      expect([sample.input.width * ratio, sample.input.height * ratio]).toEqual([other.width, other.height]);
      expectRgbInRange(sample.input);
      const rgba = toChannels(sample.input, 4);
      const prepared = plugin.prepare(rgba, plugin.evalParams, sample.mask);
      expect([prepared.y.width, prepared.y.height, prepared.y.channels]).toEqual([other.width, other.height, 3]);
    });

    it('degrades reproducibly from a seed, and differently for another seed', () => {
      const params = plugin.evalParams;
      const a = plugin.degrade(clean, new Rng(11), params);
      expect(plugin.degrade(clean, new Rng(11), params).input.data).toEqual(a.input.data);
      expect(plugin.degrade(clean, new Rng(12), params).input.data).not.toEqual(a.input.data);
      // The benchmark degradation may ignore the seed (plain down-sampling), but must be reproducible.
      if (options.evalDegrade) expect(evalSample(11).input.data).toEqual(evalSample(11).input.data);
    });

    if (plugin.requiresMask) {
      it('refuses to prepare or run the baseline without a mask (E_MASK)', () => {
        const { input } = evalSample(1);
        expect(errorCode(() => plugin.prepare(input, plugin.evalParams))).toBe('E_MASK');
        expect(errorCode(() => plugin.baseline(input, plugin.evalParams))).toBe('E_MASK');
        const wrongSize = testPattern(input.width + 1, input.height, 1);
        expect(errorCode(() => plugin.prepare(input, plugin.evalParams, toChannels(wrongSize, 1)))).toBe('E_MASK');
      });
    }

    it('measurably degrades the image (PSNR below 40 dB)', () => {
      const scores = TRAINING_SEEDS.map((seed) => {
        const rng = new Rng(seed);
        return inputPsnr(clean, plugin.degrade(clean, rng, plugin.trainingParams(rng)).input);
      });
      expect(median(scores)).toBeLessThan(40);
      expect(inputPsnr(clean, evalSample(1).input)).toBeLessThan(40);
    });

    it(`has a baseline that ${options.baselineImproves ? 'improves on' : 'is not much worse than'} the degraded input`, () => {
      for (const seed of [1, 2]) {
        const sample = evalSample(seed);
        const restored = plugin.baseline(sample.input, plugin.evalParams, sample.mask);
        expect([restored.width, restored.height, restored.channels]).toEqual([clean.width, clean.height, 3]);
        expectRgbInRange(restored);
        const before = inputPsnr(clean, sample.input);
        const after = psnr(clean, restored);
        if (options.baselineImproves) expect(after).toBeGreaterThan(before);
        else expect(after).toBeGreaterThanOrEqual(before - 1);
      }
    });
  });
}

/** PSNR of what a user sees of the degraded input: itself, or its nearest-neighbour enlargement. */
function inputPsnr(clean: Image, input: Image): number {
  const view = input.width === clean.width ? input : resize(input, clean.width, clean.height, 'nearest');
  return psnr(clean, view);
}

function expectShrunkBy(input: Image, clean: Image): void {
  const ratio = clean.width / input.width;
  expect(Number.isInteger(ratio) && ratio >= 1).toBe(true);
  expect(input.height * ratio).toBe(clean.height);
  expect(input.channels).toBe(3);
}

function expectRgbInRange(image: Image): void {
  expect(image.channels).toBe(3);
  expect(image.data.length).toBe(image.width * image.height * 3);
  let outside = 0;
  for (const v of image.data) if (!(v >= 0 && v <= 1)) outside++;
  expect(outside).toBe(0);
}

function expectMask(mask: Image | undefined, image: Image): void {
  expect(mask).toBeDefined();
  if (!mask) return;
  expect([mask.width, mask.height, mask.channels]).toEqual([image.width, image.height, 1]);
  let holes = 0;
  let other = 0;
  for (const v of mask.data) {
    if (v === 1) holes++;
    else if (v !== 0) other++;
  }
  expect(other).toBe(0);
  expect(holes).toBeGreaterThan(0);
}

function errorCode(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof FluxirError ? error.code : `not a FluxirError: ${String(error)}`;
  }
  return undefined;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
