import { errors, MAX_STEPS, MIN_PATH_END, STEPS_EXPECTED, type Image, type Rng } from '@fluxir/core';
import { expectedByIssue } from './param-issue';
import { paramsJsonSchema } from './param-schema';
import type { PluginDefinition, PluginOptions, PluginParams, PluginTraining, StepBudget, TrainingOptions } from './plugin-definition';
import { stepBudgetProblem } from './protocol/step-budget';

/** What a task id looks like: 2 to 32 lower-case letters, digits and dashes, starting with a letter. */
export const ID_PATTERN = /^[a-z][a-z0-9-]{1,31}$/;
/** The most sampling steps any plugin may take (the engine's limit). */
export { MAX_STEPS, MIN_PATH_END };

/**
 * Builds a plugin definition, checking every field before the host ever sees it: the id, the
 * prompt, the step budget, that the parameter schema converts to JSON Schema (the panel's form)
 * and that the evaluation parameters pass it. Throws E_PARAMS naming the field otherwise.
 *
 * ```ts
 * export default definePlugin({
 *   packageJson: readPluginPackage(__dirname),
 *   id: 'soften', title: 'Soften grain', prompt: 'remove fine grain and noise',
 *   stepBudget: { default: 2, min: 1, max: 8 },
 *   params: z.strictObject({}),
 *   prepare: prepareRgb,
 *   training: {
 *     trainingParams: () => ({}), evalParams: {},
 *     degrade: rgbDegradation((rgb, rng) => addGaussianNoise(rgb, rng, rng.uniform(0, 0.1))),
 *     baseline: (input) => gaussianBlur(input, 1),
 *   },
 * });
 * ```
 */
export function definePlugin<P extends PluginParams>(options: PluginOptions<P>): PluginDefinition<P> {
  if (!ID_PATTERN.test(options.id)) {
    throw errors.invalidParameter('id', `lower-case letters, digits and dashes matching ${ID_PATTERN}`, options.id);
  }
  if (!options.prompt.trim()) throw errors.invalidParameter('prompt', 'a non-empty prompt', options.prompt);
  if (options.help !== undefined && !options.help.trim()) throw errors.invalidParameter('help', 'a non-empty text or none', options.help);
  checkBudget(options.stepBudget);
  const pathEnd = options.pathEnd ?? 0;
  if (!(pathEnd >= MIN_PATH_END && pathEnd <= 0)) throw errors.invalidParameter('pathEnd', `a number from ${MIN_PATH_END} to 0`, options.pathEnd);
  const { params } = options;
  paramsJsonSchema(params, `${options.id}.params`);
  const parseParams = (raw: unknown): P => {
    const result = params.safeParse(raw ?? {});
    if (result.success) return result.data;
    const issue = result.error.issues[0];
    const field = issue.path.length ? issue.path.join('.') : 'params';
    throw errors.invalidParameter(`${options.id}.${field}`, expectedByIssue(issue), pick(raw, issue.path));
  };
  const { training } = options;
  return {
    id: options.id,
    packageName: options.packageJson.name,
    version: options.packageJson.version,
    title: options.title,
    ...(options.help === undefined ? {} : { help: options.help }),
    prompt: options.prompt,
    stepBudget: options.stepBudget,
    pathEnd,
    params,
    requiresMask: options.requiresMask ?? false,
    outputScale: options.outputScale ?? (() => 1),
    parseParams,
    prepare: options.prepare,
    training: checkedTraining(training, parseParams),
  };
}

/** The training side with its defaults, every evaluation setting's parameters checked by the schema. */
function checkedTraining<P extends PluginParams>(training: TrainingOptions<P>, parseParams: (raw: unknown) => P): PluginTraining<P> {
  parseParams(training.evalParams);
  const evalDegrade = training.evalDegrade ?? ((clean: Image, rng: Rng) => training.degrade(clean, rng, training.evalParams));
  const evalDescription = training.evalDescription ?? 'the training degradation with the evaluation parameters';
  const standard = { name: 'standard', description: evalDescription, params: training.evalParams, degrade: evalDegrade };
  const evalSettings = [standard, ...(training.evalSettings ?? [])];
  for (const setting of evalSettings) parseParams(setting.params);
  if (new Set(evalSettings.map((s) => s.name)).size !== evalSettings.length) {
    throw errors.invalidParameter('evalSettings', 'settings with distinct names (standard is taken)', evalSettings.map((s) => s.name).join(', '));
  }
  return {
    trainingParams: training.trainingParams,
    degrade: training.degrade,
    degradationDescription: training.degradationDescription ?? 'not described',
    baseline: training.baseline,
    baselines: training.baselines ?? { classical: training.baseline },
    evalParams: training.evalParams,
    evalDegrade,
    evalDescription,
    evalSettings,
    ...(training.context === undefined ? {} : { context: checkedContext(training.context) }),
  };
}

function checkedContext(context: number): number {
  if (!Number.isInteger(context) || context < 8 || context > 4096) throw errors.invalidParameter('training.context', 'a whole side from 8 to 4096 px', context);
  return context;
}

function checkBudget(budget: StepBudget): void {
  const problem = stepBudgetProblem(budget);
  if (problem === 'order') {
    throw errors.invalidParameter('stepBudget', 'min <= default <= max', `${budget.min}/${budget.default}/${budget.max}`);
  }
  if (problem === 'shape') throw errors.invalidParameter('stepBudget', '{ default, min, max }', budget);
  if (problem) throw errors.invalidParameter(`stepBudget.${problem}`, STEPS_EXPECTED, budget[problem]);
}

function pick(raw: unknown, path: readonly PropertyKey[]): unknown {
  let value = raw;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}
