import { MAX_STEPS } from '@fluxir/sdk';
import { checkPluginExports, checkPluginPackage, PluginCheckError } from './plugin-manifest';

const fn = () => undefined;
const definition = {
  id: 'grain',
  packageName: 'fluxir-plugin-grain',
  version: '1.0.0',
  title: 'Grain',
  prompt: 'remove grain',
  parseParams: fn,
  prepare: fn,
  training: { degrade: fn, baseline: fn, trainingParams: fn },
  requiresMask: false,
  stepBudget: { default: 1, min: 1, max: 4 },
  pathEnd: 0,
};
const pkg = { name: 'fluxir-plugin-grain', version: '1.0.0', manifest: { plugin: 'dist/index.js', engine: '^1.0.0' } };
const withManifest = (fluxir: unknown) => ({ name: 'fluxir-plugin-grain', version: '1.0.0', fluxir });
const problem = (check: () => unknown): string => {
  try {
    check();
  } catch (error) {
    if (error instanceof PluginCheckError) return error.message;
    throw error;
  }
  throw new Error('the check passed');
};

describe('plugin package.json checks', () => {
  it('reads the name, version and manifest, keeping nothing else', () => {
    const packageJson = { ...withManifest({ plugin: 'dist/index.js', engine: '^1.0.0', extra: 1 }), keywords: [] };
    expect(checkPluginPackage(packageJson, '1.0.0')).toEqual(pkg);
  });

  it('ends the path at 0 for a definition from before SDK 1.4, which has no path end', () => {
    const { pathEnd: _, ...older } = definition;
    expect(checkPluginExports({ default: older }, pkg).definition).toEqual({ ...older, pathEnd: 0 });
    expect(checkPluginExports({ default: { ...definition, pathEnd: -0.3 } }, pkg).definition.pathEnd).toBe(-0.3);
  });

  it.each<[string, unknown, string]>([
    ['not an object', [], 'package.json is not a JSON object'],
    ['no name', { version: '1.0.0' }, 'package.json has no "name"'],
    ['an empty name', { name: '' }, 'package.json has no "name"'],
    ['a version that is not semver', { name: 'a', version: 'one' }, 'package.json "version" must be a semver version, got "one"'],
    ['no manifest', { name: 'a', version: '1.0.0' }, 'bad manifest: expected "fluxir": { "plugin": "<entry file>", "engine": "<semver range>" }'],
    ['no entry', withManifest({ engine: '^1.0.0' }), 'bad manifest: "fluxir.plugin" must name the entry file, got undefined'],
    ['a blank entry', withManifest({ plugin: ' ', engine: '^1.0.0' }), 'bad manifest: "fluxir.plugin" must name the entry file, got " "'],
    ['an entry outside the package', withManifest({ plugin: 'a/../../b.js', engine: '^1.0.0' }), 'bad manifest: "fluxir.plugin" must stay inside the package, got "a/../../b.js"'],
    ['an absolute entry', withManifest({ plugin: '/b.js', engine: '^1.0.0' }), 'bad manifest: "fluxir.plugin" must stay inside the package, got "/b.js"'],
    ['an engine that is not a range', withManifest({ plugin: 'x.js', engine: 'whenever' }), 'bad manifest: "fluxir.engine" must be a semver range, got "whenever"'],
    ['an engine range this engine is outside', withManifest({ plugin: 'x.js', engine: '^2.0.0' }), 'needs engine ^2.0.0, but this engine is 1.0.0'],
  ])('refuses %s, saying so', (_case, packageJson, message) => {
    expect(problem(() => checkPluginPackage(packageJson, '1.0.0'))).toBe(message);
  });
});

describe('plugin definition checks', () => {
  it('accepts a definition as default export or as `plugin`, with or without a container module', () => {
    expect(checkPluginExports({ default: definition }, pkg).definition).toBe(definition);
    expect(checkPluginExports({ plugin: definition }, pkg).definition).toBe(definition);
    const containerModule = { registry: fn };
    expect(checkPluginExports({ default: definition, containerModule }, pkg).containerModule).toBe(containerModule);
  });

  it('ends the path at 0 for a definition from before SDK 1.4, which has no path end', () => {
    const { pathEnd: _, ...older } = definition;
    expect(checkPluginExports({ default: older }, pkg).definition).toEqual({ ...older, pathEnd: 0 });
    expect(checkPluginExports({ default: { ...definition, pathEnd: -0.3 } }, pkg).definition.pathEnd).toBe(-0.3);
  });

  it.each<[string, unknown, string]>([
    ['no exports', null, 'the entry exports nothing'],
    ['no definition', { other: definition }, 'the entry has no plugin definition (a default export or an export named "plugin")'],
    [
      'several broken fields, in field order',
      { default: { ...definition, id: 5, prepare: 'no', requiresMask: 1 } },
      'bad plugin definition: "id" must be a non-empty string; "prepare" must be a function; "requiresMask" must be a boolean',
    ],
    ['a step budget outside the limit', { default: { ...definition, stepBudget: { default: 1, min: 1, max: MAX_STEPS + 1 } } }, `bad plugin definition: "stepBudget" must be { default, min, max }, integers from 1 to ${MAX_STEPS}`],
    ['a step budget that is not integers', { default: { ...definition, stepBudget: { default: 1.5, min: 1, max: 4 } } }, `bad plugin definition: "stepBudget" must be { default, min, max }, integers from 1 to ${MAX_STEPS}`],
    ['a step budget out of order', { default: { ...definition, stepBudget: { default: 5, min: 1, max: 4 } } }, 'bad plugin definition: "stepBudget" must have min <= default <= max'],
    ['a path end past -1', { default: { ...definition, pathEnd: -2 } }, 'bad plugin definition: "pathEnd" must be a number from -1 to 0'],
    ['a path end that is no number', { default: { ...definition, pathEnd: '-0.3' } }, 'bad plugin definition: "pathEnd" must be a number from -1 to 0'],
    ['a stale definition', { default: { ...definition, version: '0.9.0' } }, 'the definition says fluxir-plugin-grain@0.9.0, package.json says fluxir-plugin-grain@1.0.0'],
    ['a container module that is not one', { default: definition, containerModule: {} }, '"containerModule" is exported but is not an inversify ContainerModule'],
  ])('refuses %s, saying so', (_case, moduleExports, message) => {
    expect(problem(() => checkPluginExports(moduleExports, pkg))).toBe(message);
  });
});
