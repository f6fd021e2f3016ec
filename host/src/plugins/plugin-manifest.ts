import type { DegradedSample, Image, Rng } from '@fluxir/core';
import { MAX_STEPS, MIN_PATH_END, type PluginDefinition } from '@fluxir/sdk';
import { stepBudgetSchema } from '@fluxir/sdk/protocol';
import type { interfaces } from 'inversify';
import * as semver from 'semver';
import { z } from 'zod';

/** A string `valid` accepts; anything else (not a string included) is reported as `message(input)`. */
const stringWhere = (valid: (value: string) => boolean, message: (input: unknown) => string) =>
  z.string({ error: (issue) => message(issue.input) }).refine(valid, { error: (issue) => message(issue.input) });
const shown = (value: unknown): string => JSON.stringify(value);

/** The `fluxir` field of a plugin package's package.json. Every message here is what the loader reports. */
const manifestSchema = z.object(
  {
    /** The entry file, relative to the package folder. */
    plugin: stringWhere((entry) => entry.trim() !== '', (input) => `bad manifest: "fluxir.plugin" must name the entry file, got ${shown(input)}`).refine(
      (entry) => !entry.startsWith('/') && !entry.split(/[\\/]/).includes('..'),
      { error: (issue) => `bad manifest: "fluxir.plugin" must stay inside the package, got "${String(issue.input)}"` },
    ),
    /** The engine versions the plugin works with, a semver range. */
    engine: stringWhere((range) => semver.validRange(range) !== null, (input) => `bad manifest: "fluxir.engine" must be a semver range, got ${shown(input)}`),
  },
  { error: () => 'bad manifest: expected "fluxir": { "plugin": "<entry file>", "engine": "<semver range>" }' },
);

/** A plugin package's package.json: its name, semver version and `fluxir` manifest. */
const pluginPackageSchema = z
  .object(
    {
      name: stringWhere((name) => name !== '', () => 'package.json has no "name"'),
      version: stringWhere((version) => semver.valid(version) !== null, (input) => `package.json "version" must be a semver version, got ${shown(input)}`),
      fluxir: manifestSchema,
    },
    { error: () => 'package.json is not a JSON object' },
  )
  .transform(({ name, version, fluxir }) => ({ name, version, manifest: fluxir }));

export type PluginManifest = Readonly<z.infer<typeof manifestSchema>>;

export type PluginPackage = Readonly<z.output<typeof pluginPackageSchema>>;

const text = (key: string) => stringWhere((value) => value !== '', () => `"${key}" must be a non-empty string`);
const callable = (key: string) => z.custom<(...args: never[]) => unknown>((value) => typeof value === 'function', { error: () => `"${key}" must be a function` });
const BUDGET_SHAPE = `"stepBudget" must be { default, min, max }, integers from 1 to ${MAX_STEPS}`;
const BUDGET_ORDER = '"stepBudget" must have min <= default <= max';
const PATH_END = `"pathEnd" must be a number from ${MIN_PATH_END} to 0`;

/** The fields the host relies on in a plugin definition; their order is the order problems are reported in. */
const definitionSchema = z.object({
  id: text('id'),
  packageName: text('packageName'),
  version: text('version'),
  title: text('title'),
  help: text('help').optional(),
  prompt: text('prompt'),
  // What a serving host calls; the training section is checked when training or evaluation needs it.
  parseParams: callable('parseParams'),
  prepare: callable('prepare'),
  requiresMask: z.boolean({ error: () => '"requiresMask" must be a boolean' }),
  // The SDK's own schema: definePlugin, the plugin contract and this check agree on what a budget is.
  stepBudget: stepBudgetSchema,
  // Since SDK 1.4; a definition from an earlier SDK has none and ends its path at 0.
  pathEnd: z.number({ error: () => PATH_END }).min(MIN_PATH_END, { error: () => PATH_END }).max(0, { error: () => PATH_END }).optional(),
});

const containerModuleSchema = z.custom<interfaces.ContainerModule>(
  (value) => typeof value === 'object' && value !== null && typeof (value as { registry?: unknown }).registry === 'function',
);

/** Thrown by the checks below; the loader turns it into an E_PLUGIN failure for the package. */
export class PluginCheckError extends Error {}

/** True when a package.json declares a fluxir plugin at all (other packages are not our business). */
export function declaresPlugin(packageJson: unknown): boolean {
  return isObject(packageJson) && packageJson.fluxir !== undefined;
}

/** Checks the package.json of a plugin package and its engine range against `engineVersion`. */
export function checkPluginPackage(packageJson: unknown, engineVersion: string): PluginPackage {
  const pkg = checkPluginManifest(packageJson);
  checkEngineRange(pkg, engineVersion);
  return pkg;
}

/** Throws when this engine is outside the range the plugin declares. */
export function checkEngineRange(pkg: PluginPackage, engineVersion: string): void {
  if (!semver.satisfies(engineVersion, pkg.manifest.engine)) {
    throw new PluginCheckError(`needs engine ${pkg.manifest.engine}, but this engine is ${engineVersion}`);
  }
}

/** Checks the name, version and `fluxir` manifest of a plugin's package.json (not yet the engine range). */
export function checkPluginManifest(packageJson: unknown): PluginPackage {
  const result = pluginPackageSchema.safeParse(packageJson);
  if (!result.success) throw new PluginCheckError(result.error.issues[0].message);
  return result.data;
}

export interface PluginExports {
  readonly definition: PluginDefinition;
  readonly containerModule?: interfaces.ContainerModule;
}

/** Finds and checks the definition a plugin entry exports (default export, or `plugin`). */
export function checkPluginExports(moduleExports: unknown, pkg: PluginPackage): PluginExports {
  if (!isObject(moduleExports)) throw new PluginCheckError('the entry exports nothing');
  const definition = moduleExports.default ?? moduleExports.plugin;
  if (!isObject(definition)) {
    throw new PluginCheckError('the entry has no plugin definition (a default export or an export named "plugin")');
  }
  const checked = definitionSchema.safeParse(definition);
  if (!checked.success) throw new PluginCheckError(`bad plugin definition: ${definitionProblems(checked.error).join('; ')}`);
  // definePlugin copies both from package.json; a mismatch means a hand-made or stale definition.
  if (definition.packageName !== pkg.name || definition.version !== pkg.version) {
    const claimed = `${String(definition.packageName)}@${String(definition.version)}`;
    throw new PluginCheckError(`the definition says ${claimed}, package.json says ${pkg.name}@${pkg.version}`);
  }
  const containerModule = moduleExports.containerModule;
  if (containerModule !== undefined && !containerModuleSchema.safeParse(containerModule).success) {
    throw new PluginCheckError('"containerModule" is exported but is not an inversify ContainerModule');
  }
  return {
    // The fields the host uses are checked by definitionSchema; the rest come from definePlugin.
    definition: withPathEnd(withTrainingSection(definition)) as unknown as PluginDefinition,
    containerModule: containerModule as interfaces.ContainerModule | undefined,
  };
}

/** One message per field at fault, in the schema's order; the step budget's issues read as one. */
function definitionProblems(error: z.ZodError): string[] {
  const messages = error.issues.map((issue) => {
    if (issue.path[0] !== 'stepBudget') return issue.message;
    return issue.code === 'custom' && issue.path.length === 1 ? BUDGET_ORDER : BUDGET_SHAPE;
  });
  const unique = [...new Set(messages)];
  // A budget with fields out of range also fails the order check, which then says nothing more.
  return unique.includes(BUDGET_SHAPE) ? unique.filter((m) => m !== BUDGET_ORDER) : unique;
}

/** A definition from before SDK 1.4 has no path end: its path ends at 0, as it always did. */
function withPathEnd(definition: Record<string, unknown>): Record<string, unknown> {
  return definition.pathEnd === undefined ? { ...definition, pathEnd: 0 } : definition;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The fields SDK 1.1's definePlugin put beside the serving ones; SDK 1.2 keeps them in `training`. */
const FLAT_TRAINING_FIELDS = ['trainingParams', 'degrade', 'degradationDescription', 'baseline', 'baselines', 'evalParams', 'evalDegrade', 'evalDescription', 'evalSettings'] as const;

/**
 * A definition from a plugin built against SDK 1.1 keeps its training fields at the top; they are
 * gathered into `training`, so training and evaluation read one shape. Definitions without them serve
 * only (`fluxir train` and `fluxir eval` refuse them with E_PLUGIN).
 */
function withTrainingSection(definition: Record<string, unknown>): Record<string, unknown> {
  if (definition.training !== undefined || typeof definition.degrade !== 'function') return definition;
  const training = Object.fromEntries(FLAT_TRAINING_FIELDS.map((key) => [key, definition[key]]));
  // The earliest definitions had one evaluation and one classical method: the defaults definePlugin gives.
  const degrade = definition.degrade as (clean: Image, rng: Rng, params: unknown) => DegradedSample;
  const evalDegrade = training.evalDegrade ?? ((clean: Image, rng: Rng) => degrade(clean, rng, training.evalParams ?? {}));
  const standard = { name: 'standard', description: training.evalDescription ?? 'the training degradation with the evaluation parameters', params: training.evalParams ?? {}, degrade: evalDegrade };
  training.evalSettings ??= [standard];
  training.baselines ??= { classical: training.baseline };
  return { ...definition, training };
}
