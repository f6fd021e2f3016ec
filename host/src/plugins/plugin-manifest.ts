import { MAX_STEPS, type PluginDefinition } from '@fluxir/sdk';
import type { interfaces } from 'inversify';
import * as semver from 'semver';

/** The `fluxir` field of a plugin package's package.json. */
export interface PluginManifest {
  /** The entry file, relative to the package folder. */
  readonly plugin: string;
  /** The engine versions the plugin works with, a semver range. */
  readonly engine: string;
}

export interface PluginPackage {
  readonly name: string;
  readonly version: string;
  readonly manifest: PluginManifest;
}

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
  if (!isObject(packageJson)) throw new PluginCheckError('package.json is not a JSON object');
  const { name, version, fluxir } = packageJson;
  if (typeof name !== 'string' || !name) throw new PluginCheckError('package.json has no "name"');
  if (typeof version !== 'string' || !semver.valid(version)) {
    throw new PluginCheckError(`package.json "version" must be a semver version, got ${JSON.stringify(version)}`);
  }
  const expected = '"fluxir": { "plugin": "<entry file>", "engine": "<semver range>" }';
  if (!isObject(fluxir)) throw new PluginCheckError(`bad manifest: expected ${expected}`);
  const { plugin, engine } = fluxir;
  if (typeof plugin !== 'string' || !plugin.trim()) {
    throw new PluginCheckError(`bad manifest: "fluxir.plugin" must name the entry file, got ${JSON.stringify(plugin)}`);
  }
  if (plugin.startsWith('/') || plugin.split(/[\\/]/).includes('..')) {
    throw new PluginCheckError(`bad manifest: "fluxir.plugin" must stay inside the package, got "${plugin}"`);
  }
  if (typeof engine !== 'string' || !semver.validRange(engine)) {
    throw new PluginCheckError(`bad manifest: "fluxir.engine" must be a semver range, got ${JSON.stringify(engine)}`);
  }
  return { name, version, manifest: { plugin, engine } };
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
  const problems = definitionProblems(definition);
  if (problems.length) throw new PluginCheckError(`bad plugin definition: ${problems.join('; ')}`);
  // definePlugin copies both from package.json; a mismatch means a hand-made or stale definition.
  if (definition.packageName !== pkg.name || definition.version !== pkg.version) {
    const claimed = `${String(definition.packageName)}@${String(definition.version)}`;
    throw new PluginCheckError(`the definition says ${claimed}, package.json says ${pkg.name}@${pkg.version}`);
  }
  const containerModule = moduleExports.containerModule;
  if (containerModule !== undefined && !(isObject(containerModule) && typeof containerModule.registry === 'function')) {
    throw new PluginCheckError('"containerModule" is exported but is not an inversify ContainerModule');
  }
  return {
    // Shape checked field by field just above.
    definition: withTrainingSection(definition) as unknown as PluginDefinition,
    containerModule: containerModule as interfaces.ContainerModule | undefined,
  };
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
  return { ...definition, training: Object.fromEntries(FLAT_TRAINING_FIELDS.map((key) => [key, definition[key]])) };
}

const STRINGS = ['id', 'packageName', 'version', 'title', 'prompt'] as const;
/** What a serving host calls; the training section is checked when training or evaluation needs it. */
const FUNCTIONS = ['parseParams', 'prepare'] as const;

function definitionProblems(definition: Record<string, unknown>): string[] {
  const problems: string[] = [];
  for (const key of STRINGS) {
    if (typeof definition[key] !== 'string' || !definition[key]) problems.push(`"${key}" must be a non-empty string`);
  }
  for (const key of FUNCTIONS) {
    if (typeof definition[key] !== 'function') problems.push(`"${key}" must be a function`);
  }
  if (typeof definition.requiresMask !== 'boolean') problems.push('"requiresMask" must be a boolean');
  const budget = definition.stepBudget;
  const inRange = (v: unknown): v is number => Number.isInteger(v) && (v as number) >= 1 && (v as number) <= MAX_STEPS;
  if (!isObject(budget) || !inRange(budget.min) || !inRange(budget.default) || !inRange(budget.max)) {
    problems.push(`"stepBudget" must be { default, min, max }, integers from 1 to ${MAX_STEPS}`);
  } else if (!(budget.min <= budget.default && budget.default <= budget.max)) {
    problems.push('"stepBudget" must have min <= default <= max');
  }
  return problems;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
