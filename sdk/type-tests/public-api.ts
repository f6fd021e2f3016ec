/**
 * Compile-time checks of the SDK's public types, run by `tsc --noEmit -p sdk/type-tests` (see
 * sdk/src/public-api-types.test.ts). Every `@ts-expect-error` line must fail to compile: when a
 * type loosens, tsc reports the directive as unused and the test fails.
 */
import { z } from 'zod';
import {
  addGaussianNoise,
  binaryMask,
  createImage,
  trainingTask,
  type Image,
  type PreparedInput,
  definePlugin,
  pluginErrors,
  prepareRgb,
  rgbDegradation,
  type Degradation,
  type FluxirError,
  type ParamsOf,
  type PluginDefinition,
} from '@fluxir/sdk';
import { describePluginContract, pluginContractChecks, type ContractCheck } from '@fluxir/sdk/testing';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(value: T): T => value;

const packageJson = { name: 'fluxir-plugin-types', version: '1.0.0' };
const params = z.strictObject({ scale: z.union([z.literal(2), z.literal(4)]).default(4), label: z.string().optional() });

// The parameter type is inferred from the schema and reaches every callback.
const plugin = definePlugin({
  packageJson,
  id: 'types',
  title: 'Types',
  prompt: 'check the types',
  stepBudget: { default: 2, min: 1, max: 8 },
  params,
  prepare: (input, p) => {
    assertType<Equal<typeof p.scale, 2 | 4>>(true);
    return prepareRgb(input);
  },
  training: {
    trainingParams: (rng) => ({ scale: rng.pick([2, 4] as const) }),
    evalParams: { scale: 4 },
    degrade: rgbDegradation((rgb) => rgb),
    baseline: (input, p) => {
      assertType<Equal<typeof p.scale, 2 | 4>>(true);
      return input;
    },
  },
});
assertType<Equal<ParamsOf<typeof plugin>, { scale: 2 | 4; label?: string | undefined }>>(true);
assertType<Equal<ReturnType<typeof plugin.parseParams>, ParamsOf<typeof plugin>>>(true);
const general: PluginDefinition = plugin as PluginDefinition;
void general;

definePlugin({
  packageJson,
  id: 'types',
  title: 'Types',
  prompt: 'check the types',
  stepBudget: { default: 2, min: 1, max: 8 },
  params,
  prepare: prepareRgb,
  training: {
    trainingParams: () => ({ scale: 4 as const }),
    // @ts-expect-error evaluation parameters must match the schema (3 is not a scale)
    evalParams: { scale: 3 },
    degrade: rgbDegradation((rgb) => rgb),
    baseline: (input) => input,
  },
});

definePlugin({
  packageJson,
  id: 'types',
  title: 'Types',
  prompt: 'check the types',
  stepBudget: { default: 2, min: 1, max: 8 },
  params,
  prepare: prepareRgb,
  training: {
    // @ts-expect-error training parameters must match the schema
    trainingParams: () => ({ scale: 'big' }),
    evalParams: { scale: 4 },
    degrade: rgbDegradation((rgb) => rgb),
    baseline: (input) => input,
  },
});

// @ts-expect-error a definition needs a package.json, a prompt and the callbacks
definePlugin({ id: 'types', title: 'Types', params });

definePlugin({
  packageJson,
  id: 'types',
  title: 'Types',
  prompt: 'check the types',
  stepBudget: { default: 2, min: 1, max: 8 },
  params,
  // @ts-expect-error prepare must return { y, mask? }, not a bare image
  prepare: (input: Image) => input,
  training: {
    trainingParams: () => ({ scale: 4 as const }),
    evalParams: { scale: 4 },
    degrade: rgbDegradation((rgb) => rgb),
    baseline: (input) => input,
  },
});

definePlugin({
  packageJson,
  id: 'types',
  title: 'Types',
  prompt: 'check the types',
  stepBudget: { default: 2, min: 1, max: 8 },
  params,
  prepare: prepareRgb,
  // @ts-expect-error degrade, the baseline and the evaluation parameters live in the training section
  degrade: rgbDegradation((rgb) => rgb),
});

// A degradation without required parameters may be called without them; one with required parameters may not.
const noise = rgbDegradation((rgb, rng) => addGaussianNoise(rgb, rng, 0.1));
noise(createImage(2, 2, 3), {} as never);
const scaled: Degradation<{ scale: number }> = rgbDegradation<{ scale: number }>((rgb, _rng, p) => (p.scale > 1 ? rgb : rgb));
// @ts-expect-error the parameters are required here
scaled(createImage(2, 2, 3), {} as never);

const prepared: PreparedInput = prepareRgb(createImage(2, 2, 3));
const task = trainingTask(plugin);
assertType<Equal<Parameters<typeof task.degrade>[2], ParamsOf<typeof plugin>>>(true);
const mask: Image = binaryMask('types', prepared.y, createImage(2, 2, 1));
// @ts-expect-error the task name comes first
binaryMask(prepared.y, mask);

const failure: FluxirError = pluginErrors.invalidParameter('types.scale', 'one of: 2, 4', 3);
// @ts-expect-error error factories say what was expected
pluginErrors.invalidParameter('types.scale');
void failure;

const checks: ContractCheck[] = pluginContractChecks(plugin, { baselineImproves: true });
// @ts-expect-error contract options are checked against the plugin's parameter type
pluginContractChecks(plugin, { evalDegrade: (clean: Image, _rng: unknown, p: { other: string }) => ({ input: clean, p }) });
void checks;
void describePluginContract;
