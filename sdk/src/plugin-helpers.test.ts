import { z } from 'zod';
import { createImage, errors, FluxirError, Rng, testPattern } from '@fluxir/core';
import {
  binaryMask,
  definePlugin,
  errorCodeOf,
  paramsJsonSchema,
  pluginErrors,
  prepareMasked,
  prepareRgb,
  requireMask,
  rgbDegradation,
  undocumentedParams,
  type PluginOptions,
} from '.';

const base: PluginOptions<{ level: number }> = {
  packageJson: { name: 'fluxir-plugin-test', version: '1.0.0' },
  id: 'level',
  title: 'Level',
  prompt: 'remove the level',
  stepBudget: { default: 2, min: 1, max: 8 },
  params: z.strictObject({ level: z.number().min(0).max(1).default(0.5).meta({ title: 'Level', description: 'how much' }) }),
  prepare: prepareRgb,
  training: {
    trainingParams: (rng) => ({ level: rng.next() }),
    evalParams: { level: 0.5 },
    degrade: rgbDegradation((rgb) => rgb),
    baseline: (input) => input,
  },
};

describe('definePlugin', () => {
  it('refuses what the host could not serve, naming the field', () => {
    expect(() => definePlugin({ ...base, id: 'Bad Id' })).toThrow(
      errors.invalidParameter('id', 'lower-case letters, digits and dashes matching /^[a-z][a-z0-9-]{1,31}$/', 'Bad Id'),
    );
    expect(() => definePlugin({ ...base, stepBudget: { default: 9, min: 1, max: 8 } })).toThrow(
      errors.invalidParameter('stepBudget', 'min <= default <= max', '1/9/8'),
    );
    expect(() => definePlugin({ ...base, training: { ...base.training, evalParams: { level: 3 } } })).toThrow(/E_PARAMS: .*level\.level/);
    const dated = { ...base, params: z.strictObject({ when: z.date() }) } as unknown as PluginOptions<{ level: number }>;
    expect(() => definePlugin(dated)).toThrow(/E_PARAMS: expected a schema JSON Schema can express .* for level\.params but received "Date cannot be represented/);
  });

  it('ends the path at 0 unless told otherwise, and refuses a path end outside -1 to 0', () => {
    expect(definePlugin(base).pathEnd).toBe(0);
    expect(definePlugin({ ...base, pathEnd: -0.3 }).pathEnd).toBe(-0.3);
    for (const bad of [-1.5, 0.2, Number.NaN]) {
      expect(() => definePlugin({ ...base, pathEnd: bad })).toThrow(errors.invalidParameter('pathEnd', 'a number from -1 to 0', bad));
    }
  });

  it('keeps help and a training context, and refuses empty help or a context that is no side in pixels', () => {
    const plugin = definePlugin({ ...base, help: 'For levels.', training: { ...base.training, context: 256 } });
    expect([plugin.help, plugin.training.context]).toEqual(['For levels.', 256]);
    expect(definePlugin(base).help).toBeUndefined();
    expect(() => definePlugin({ ...base, help: '  ' })).toThrow(errors.invalidParameter('help', 'a non-empty text or none', '  '));
    expect(() => definePlugin({ ...base, training: { ...base.training, context: 2.5 } })).toThrow(
      errors.invalidParameter('training.context', 'a whole side from 8 to 4096 px', 2.5),
    );
  });

  it('parses parameters with defaults and reports a bad one with the plugin id and field', () => {
    const plugin = definePlugin(base);
    expect(plugin.parseParams(undefined)).toEqual({ level: 0.5 });
    expect(() => plugin.parseParams({ level: 'high' })).toThrow(/E_PARAMS: expected .* for level\.level but received "high"/);
  });

  it('says in words what a parameter should have been (not zod’s "Invalid input")', () => {
    const scaled = definePlugin({
      ...base,
      params: z.strictObject({ level: z.number().min(0).max(1).default(0.5), scale: z.union([z.literal(2), z.literal(4)]).default(2) }),
    } as unknown as PluginOptions<{ level: number }>);
    expect(() => scaled.parseParams({ scale: 3 })).toThrow(
      errors.invalidParameter('level.scale', 'one of: 2, 4', 3).message,
    );
    expect(errors.invalidParameter('level.scale', 'one of: 2, 4', 3).message).toBe('E_PARAMS: expected one of: 2, 4 for level.scale but received number 3');
    expect(() => scaled.parseParams({ level: 'high' })).toThrow('E_PARAMS: expected a number for level.level but received "high"');
    expect(() => scaled.parseParams({ level: 5 })).toThrow('E_PARAMS: expected a number of at most 1 for level.level but received number 5');
    expect(() => scaled.parseParams({ strength: 3 })).toThrow('E_PARAMS: expected no parameter named "strength" for level.params but received an object');
  });
});

describe('parameter schema for the panel', () => {
  it('converts to JSON Schema with titles, descriptions and defaults (fields with defaults are optional)', () => {
    const json = paramsJsonSchema(base.params);
    expect(json).toMatchObject({
      type: 'object',
      properties: { level: { type: 'number', minimum: 0, maximum: 1, default: 0.5, title: 'Level', description: 'how much' } },
    });
    expect(json.required).toBeUndefined();
    expect(undocumentedParams(paramsJsonSchema(z.strictObject({ bare: z.boolean().default(false) })))).toEqual(['bare']);
  });

  it('refuses a schema that is not an object', () => {
    expect(() => paramsJsonSchema(z.number(), 'x.params')).toThrow(
      errors.invalidParameter('x.params', 'an object schema such as z.strictObject({ ... })', 'a schema of type number'),
    );
  });
});

describe('prepare helpers', () => {
  it('prepareRgb keeps the RGB buffer the plugin was handed as y', () => {
    const rgb = testPattern(5, 4, 3);
    expect(prepareRgb(rgb).y).toBe(rgb);
  });

  it('requireMask refuses a missing or mis-sized mask with E_MASK; binaryMask also makes it 0/1', () => {
    const input = createImage(2, 1, 3);
    const mask = createImage(2, 1, 3, new Float32Array([0.9, 0.9, 0.9, 0.2, 0.2, 0.2]));
    expect(Array.from(binaryMask('fill', input, mask).data)).toEqual([1, 0]);
    expect(requireMask('fill', input, mask)).toBe(mask);
    expect(() => requireMask('fill', input, undefined)).toThrow(pluginErrors.maskMissing('fill'));
    expect(() => binaryMask('fill', input, createImage(3, 1, 1))).toThrow(pluginErrors.maskMismatch('the input', { width: 3, height: 1 }, input));
  });

  it('prepareMasked fills the RGB input under the mask', () => {
    const input = createImage(2, 1, 3, new Float32Array([0.5, 0.5, 0.5, 0, 0, 0]));
    const mask = createImage(2, 1, 1, new Float32Array([0, 1]));
    const prepared = prepareMasked('fill', input, mask, (rgb, m) => {
      const out = createImage(rgb.width, rgb.height, 3, new Float32Array(rgb.data));
      for (let i = 0; i < m.data.length; i++) if (m.data[i]) out.data.fill(0.25, i * 3, i * 3 + 3);
      return out;
    });
    expect(Array.from(prepared.y.data)).toEqual([0.5, 0.5, 0.5, 0.25, 0.25, 0.25]);
    expect(Array.from(prepared.mask.data)).toEqual([0, 1]);
  });
});

describe('degradation helpers', () => {
  it('rgbDegradation renders on RGB and rounds to 8 bits, reproducibly from the seed', () => {
    const noisy = rgbDegradation((rgb, rng) => {
      const out = createImage(rgb.width, rgb.height, 3);
      for (let i = 0; i < out.data.length; i++) out.data[i] = rgb.data[i] + rng.uniform(-0.2, 0.2);
      return out;
    });
    const clean = testPattern(8, 8, 3);
    const a = noisy(clean, new Rng(3)).input;
    expect(a.channels).toBe(3);
    expect(Array.from(a.data).every((v) => v >= 0 && v <= 1 && Math.abs(v * 255 - Math.round(v * 255)) < 1e-4)).toBe(true);
    expect(noisy(clean, new Rng(3)).input.data).toEqual(a.data);
    expect(noisy(clean, new Rng(4)).input.data).not.toEqual(a.data);
    const raw = rgbDegradation((rgb) => createImage(rgb.width, rgb.height, 3, new Float32Array(rgb.width * rgb.height * 3).fill(0.1234)), { quantize: false });
    expect(raw(clean, new Rng(1)).input.data[0]).toBeCloseTo(0.1234, 6);
  });
});

describe('plugin errors', () => {
  it('carry stable codes that errorCodeOf reads, even from another copy of the SDK', () => {
    expect(errorCodeOf(pluginErrors.indivisibleSize('superres', 4, { width: 10, height: 8 }))).toBe('E_PARAMS');
    expect(pluginErrors.indivisibleSize('superres', 4, { width: 10, height: 8 }).message).toBe(
      'E_PARAMS: expected sides divisible by the scale 4 (crop it first) for superres clean image size but received "10x8"',
    );
    expect(errorCodeOf(pluginErrors.pluginFailure('jpeg', 'no codec'))).toBe('E_PLUGIN');
    expect(errorCodeOf(Object.assign(new Error('elsewhere'), { code: 'E_MASK' }))).toBe('E_MASK');
    expect(errorCodeOf(new TypeError('x'))).toBeUndefined();
    expect(pluginErrors.maskMissing('fill')).toBeInstanceOf(FluxirError);
  });
});
