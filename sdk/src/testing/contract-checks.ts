import { valid as validSemver } from 'semver';
import { cloneImage, psnr, resize, Rng, STEPS_EXPECTED, testPattern, toChannels, type DegradedSample, type Image, type PreparedInput } from '@fluxir/core';
import { ID_PATTERN } from '../define-plugin';
import { paramsJsonSchema, undocumentedParams } from '../param-schema';
import { stepBudgetProblem } from '../protocol/step-budget';
import type { PluginDefinition, PluginParams } from '../plugin-definition';
import { errorCodeOf } from '../plugin-errors';

export interface PluginContractOptions<P extends PluginParams> {
  /** The plugin's fixed benchmark degradation; checked like `degrade` and used for the quality checks. */
  readonly evalDegrade?: (clean: Image, rng: Rng, params: P) => DegradedSample;
  /** The baseline must strictly beat the degraded input, not merely stay within 1 dB of it. */
  readonly baselineImproves?: boolean;
  /** Side of the square synthetic test image; keep it divisible by every scale factor (default 96). */
  readonly size?: number;
}

/** One promise of the contract: `run` throws a ContractViolation (or the plugin's own error) when broken. */
export interface ContractCheck {
  readonly name: string;
  run(): void | Promise<void>;
}

/** A broken promise, with what was expected and what the plugin did. */
export class ContractViolation extends Error {
  override readonly name = 'ContractViolation';
}

export function ensure(condition: boolean, message: string): asserts condition {
  if (!condition) throw new ContractViolation(message);
}

const TRAINING_SEEDS = [1, 2, 3, 4, 5, 6, 7, 8];

/**
 * The behaviour every fluxir plugin promises the engine and the host, as plain checks on a synthetic
 * image (no files, no engine). `describePluginContract` runs them under jest, `fluxir plugin test`
 * from the command line.
 */
export function pluginContractChecks<P extends PluginParams>(
  plugin: PluginDefinition<P>,
  options: PluginContractOptions<P> = {},
): ContractCheck[] {
  const size = options.size ?? 96;
  const { training } = plugin;
  const clean = testPattern(size, size, 3);
  const evalSample = (seed: number): DegradedSample =>
    options.evalDegrade ? options.evalDegrade(clean, new Rng(seed), training.evalParams) : training.evalDegrade(clean, new Rng(seed));
  const prepare = (sample: DegradedSample, params: P): PreparedInput => plugin.prepare(sample.input, params, sample.mask);
  const checks: ContractCheck[] = [
    {
      name: 'has a valid id, package version, prompt and step budget',
      run: () => {
        ensure(ID_PATTERN.test(plugin.id), `id "${plugin.id}" must match ${ID_PATTERN}`);
        ensure(validSemver(plugin.version) !== null, `version "${plugin.version}" must be semver`);
        ensure(/\S/.test(plugin.packageName) && /\S/.test(plugin.title), 'package name and title must not be empty');
        ensure(/^[a-z][a-z ,'-]*[a-z]$/.test(plugin.prompt), `prompt "${plugin.prompt}" must be plain lower-case words`);
        ensure(plugin.prompt.split(' ').length <= 16, 'prompt must have at most 16 words');
        const problem = stepBudgetProblem(plugin.stepBudget);
        ensure(problem !== 'order', 'step budget must have min <= default <= max');
        ensure(problem !== 'shape', 'step budget must be { default, min, max }');
        ensure(problem === undefined, `step budget ${problem} must be ${STEPS_EXPECTED}, got ${JSON.stringify(plugin.stepBudget)}`);
      },
    },
    {
      name: 'has a parameter schema the panel can show: JSON Schema of an object, every field titled or described',
      run: () => {
        const json = paramsJsonSchema(plugin.params, `${plugin.id}.params`);
        const bare = undocumentedParams(json);
        ensure(bare.length === 0, `give ${bare.join(', ')} a .meta({ title, description })`);
      },
    },
    {
      name: 'parses its defaults, evaluation and training parameters, and rejects bad ones with E_PARAMS',
      run: () => {
        plugin.parseParams(undefined);
        ensure(sameJson(plugin.parseParams(training.evalParams), training.evalParams), 'evalParams must parse to themselves');
        for (const seed of TRAINING_SEEDS) {
          const params = training.trainingParams(new Rng(seed));
          ensure(sameJson(plugin.parseParams(params), params), `trainingParams (seed ${seed}) must parse to themselves`);
        }
        for (const bad of ['nonsense', 42, [1], { notAParameter: true }]) {
          const code = codeOf(() => plugin.parseParams(bad));
          ensure(code === 'E_PARAMS', `parseParams(${JSON.stringify(bad)}) must throw E_PARAMS, got ${code ?? 'no error'}`);
        }
      },
    },
    {
      name: 'degrades to an RGB image in [0, 1] that prepare brings back to the clean size, for random settings',
      run: () => {
        for (const seed of TRAINING_SEEDS) {
          const rng = new Rng(seed);
          const params = training.trainingParams(rng);
          const sample = training.degrade(clean, rng, params);
          expectShrunkBy(sample.input, clean);
          expectRgbInRange(sample.input, `degrade (seed ${seed})`);
          if (sample.mask) expectMask(sample.mask, sample.input, `degrade mask (seed ${seed})`);
          const prepared = prepare(sample, params);
          ensure(prepared.y.width === clean.width && prepared.y.height === clean.height, `prepare must give y at ${clean.width}x${clean.height}, got ${prepared.y.width}x${prepared.y.height}`);
          expectRgbInRange(prepared.y, `prepare (seed ${seed})`);
          if (plugin.requiresMask) expectMask(prepared.mask, prepared.y, `prepare mask (seed ${seed})`);
          if (prepared.start) {
            const { start, y } = prepared;
            ensure(start.width === y.width && start.height === y.height, `prepare must give its start at y's size ${y.width}x${y.height}, got ${start.width}x${start.height}`);
            ensure(start.data !== y.data, 'prepare must give its start a buffer of its own (the engine may write into it)');
            expectRgbInRange(start, `prepare start (seed ${seed})`);
          }
        }
      },
    },
    {
      name: 'accepts RGB images of other shapes, and leaves the clean image untouched',
      run: () => {
        const ratio = clean.width / training.degrade(clean, new Rng(1), training.evalParams).input.width;
        // An odd, non-square size unless the task shrinks the image (then sides divisible by the ratio).
        const other = ratio === 1 ? testPattern(67, 45, 3) : testPattern(17 * ratio, 11 * ratio, 3);
        const before = new Float32Array(other.data);
        const sample = training.degrade(other, new Rng(2), training.evalParams);
        ensure(sameData(other.data, before), 'degrade must not modify the clean image');
        ensure(sample.input.width * ratio === other.width && sample.input.height * ratio === other.height, 'degrade must keep the aspect of any image');
        expectRgbInRange(sample.input, 'degrade of an odd-sized image');
        const prepared = plugin.prepare(sample.input, training.evalParams, sample.mask);
        const shape = [prepared.y.width, prepared.y.height, prepared.y.channels].join('x');
        ensure(shape === `${other.width}x${other.height}x3`, `prepare must give RGB y at ${other.width}x${other.height}, got ${shape}`);
      },
    },
    {
      name: 'prepares from RGB buffers it owns and gives back buffers of its own (the engine writes into them)',
      run: () => {
        const sample = evalSample(1);
        // Each call is handed fresh copies, as the host does: the plugin may keep or overwrite them.
        const handOver = (): PreparedInput => plugin.prepare(cloneImage(sample.input), training.evalParams, sample.mask && cloneImage(sample.mask));
        const first = handOver();
        const { y, start } = first;
        ensure(!start || start.data.buffer !== y.data.buffer, 'prepare must give y and its start buffers of their own');
        const expected = [new Float32Array(y.data), start && new Float32Array(start.data)];
        // What the engine does with them: sample in them.
        y.data.fill(0.5);
        start?.data.fill(0.5);
        const second = handOver();
        ensure(second.y.data.buffer !== y.data.buffer && (!second.start || second.start.data.buffer !== start?.data.buffer), 'prepare must not give out a buffer it gave before');
        ensure(sameData(second.y.data, expected[0] ?? []), 'prepare must give the same y again once the engine wrote into the last one');
        if (second.start && expected[1]) ensure(sameData(second.start.data, expected[1]), 'prepare must give the same start again once the engine wrote into the last one');
      },
    },
    {
      name: 'degrades reproducibly from a seed, and differently for another seed',
      run: () => {
        const params = training.evalParams;
        const a = training.degrade(clean, new Rng(11), params).input.data;
        ensure(sameData(training.degrade(clean, new Rng(11), params).input.data, a), 'degrade must give the same image for the same seed');
        ensure(!sameData(training.degrade(clean, new Rng(12), params).input.data, a), 'degrade must depend on the seed');
        // The benchmark degradation may ignore the seed (plain down-sampling), but must be reproducible.
        ensure(sameData(evalSample(11).input.data, evalSample(11).input.data), 'evalDegrade must give the same image for the same seed');
      },
    },
    {
      name: 'measurably degrades the image (PSNR below 40 dB)',
      run: () => {
        const scores = TRAINING_SEEDS.map((seed) => {
          const rng = new Rng(seed);
          return inputPsnr(clean, training.degrade(clean, rng, training.trainingParams(rng)).input);
        });
        ensure(median(scores) < 40, `median PSNR of training degradations is ${median(scores).toFixed(1)} dB`);
        const evalScore = inputPsnr(clean, evalSample(1).input);
        ensure(evalScore < 40, `PSNR of the evaluation degradation is ${evalScore.toFixed(1)} dB`);
      },
    },
    {
      name: `has a baseline that ${options.baselineImproves ? 'improves on' : 'is not much worse than'} the degraded input`,
      run: () => {
        for (const seed of [1, 2]) {
          const sample = evalSample(seed);
          const restored = training.baseline(sample.input, training.evalParams, sample.mask);
          ensure(restored.width === clean.width && restored.height === clean.height, 'baseline must give the output size');
          expectRgbInRange(restored, 'baseline');
          const before = inputPsnr(clean, sample.input);
          const after = psnr(clean, restored);
          const floor = options.baselineImproves ? before : before - 1;
          ensure(options.baselineImproves ? after > floor : after >= floor, `baseline ${after.toFixed(2)} dB against input ${before.toFixed(2)} dB (seed ${seed})`);
        }
      },
    },
  ];
  if (plugin.requiresMask) {
    checks.push({
      name: 'refuses to prepare or run the baseline without a mask (E_MASK)',
      run: () => {
        const { input } = evalSample(1);
        const wrongSize = toChannels(testPattern(input.width + 1, input.height, 1), 1);
        for (const [what, run] of [
          ['prepare without a mask', () => plugin.prepare(input, training.evalParams)],
          ['baseline without a mask', () => training.baseline(input, training.evalParams)],
          ['prepare with a mask of another size', () => plugin.prepare(input, training.evalParams, wrongSize)],
        ] as const) {
          const code = codeOf(run);
          ensure(code === 'E_MASK', `${what} must throw E_MASK, got ${code ?? 'no error'}`);
        }
      },
    });
  }
  return checks;
}

/** PSNR of what a user sees of the degraded input: itself, or its nearest-neighbour enlargement. */
export function inputPsnr(clean: Image, input: Image): number {
  const view = input.width === clean.width ? input : resize(input, clean.width, clean.height, 'nearest');
  return psnr(clean, view);
}

function expectShrunkBy(input: Image, clean: Image): void {
  const ratio = clean.width / input.width;
  ensure(Number.isInteger(ratio) && ratio >= 1 && input.height * ratio === clean.height, `degrade gave ${input.width}x${input.height} for ${clean.width}x${clean.height}: the same size or shrunk by an integer factor`);
  ensure(input.channels === 3, `degrade must give RGB, got ${input.channels} channels`);
}

function expectRgbInRange(image: Image, what: string): void {
  ensure(image.channels === 3 && image.data.length === image.width * image.height * 3, `${what} must be RGB`);
  let outside = 0;
  for (const v of image.data) if (!(v >= 0 && v <= 1)) outside++;
  ensure(outside === 0, `${what}: ${outside} samples outside [0, 1]`);
}

function expectMask(mask: Image | undefined, image: Image, what: string): void {
  ensure(mask !== undefined, `${what}: missing`);
  ensure(mask.width === image.width && mask.height === image.height && mask.channels === 1, `${what} must be one channel at the image size`);
  let holes = 0;
  let other = 0;
  for (const v of mask.data) {
    if (v === 1) holes++;
    else if (v !== 0) other++;
  }
  ensure(other === 0 && holes > 0, `${what} must be 0/1 with at least one hole (${holes} holes, ${other} other values)`);
}

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return errorCodeOf(error) ?? `not a fluxir error: ${String(error)}`;
  }
  return undefined;
}

function sameData(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1];
}
