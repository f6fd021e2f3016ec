import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PluginDefinition } from '@fluxir/sdk';
import * as semver from 'semver';
import { createProgram } from '../cli/main';
import { builtinExamples, builtinPackageName, builtinPluginIds } from './builtin-plugins';

/**
 * The built-in tasks are the host's `@fluxir/plugin-*` dependencies. Everything else finds them from
 * there or from the workspace folders: the build (scripts/projects.js), jest's module map, the tests, the
 * command line and the demo.
 */
const root = path.resolve(__dirname, '..', '..', '..');
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;
const ids = builtinPluginIds();
const { tscProjects } = require(path.join(root, 'scripts', 'projects.js')) as { tscProjects(): string[] };

describe('the built-in plugins (the host\'s @fluxir/plugin-* dependencies)', () => {
  it('are each workspace folder under plugins/, once', () => {
    const folders = readdirSync(path.join(root, 'plugins')).filter((name) => existsSync(path.join(root, 'plugins', name, 'package.json')));
    expect([...ids]).toEqual(folders.sort());
  });

  it('are named by their package (@fluxir/plugin-<id>) and by the id their definition declares', () => {
    for (const id of ids) {
      const pkg = readJson(`plugins/${id}/package.json`);
      // The definition from the plugin's sources (jest maps the package name to plugins/<id>/src).
      const definition = (require(builtinPackageName(id)) as { default: PluginDefinition }).default;
      expect({ id, name: pkg.name, definitionId: definition.id }).toEqual({ id, name: builtinPackageName(id), definitionId: id });
    }
  });

  it('are depended on at ranges their versions satisfy', () => {
    const dependencies = readJson('host/package.json').dependencies as Record<string, string>;
    for (const id of ids) {
      const { version } = readJson(`plugins/${id}/package.json`) as { version: string };
      expect({ id, version, satisfies: semver.satisfies(version, dependencies[builtinPackageName(id)]) }).toEqual({ id, version, satisfies: true });
    }
  });

  it('are all built by npm run build, before the host', () => {
    const projects = tscProjects();
    expect(projects.filter((p) => p.startsWith('plugins/'))).toEqual(ids.map((id) => `plugins/${id}`));
    expect(projects.indexOf(`plugins/${ids[ids.length - 1]}`)).toBeLessThan(projects.indexOf('host'));
  });

  it('each ship example inputs (and masks for masked tasks) in their package', () => {
    for (const id of ids) {
      const definition = (require(builtinPackageName(id)) as { default: PluginDefinition }).default;
      const examples = builtinExamples(id);
      const files = readJson(`plugins/${id}/package.json`).files as string[];
      expect({ id, inputs: readdirSync(examples.dir).some((f) => f.endsWith('.png')), masks: Boolean(examples.masks), shipped: files.includes('examples') }).toEqual({
        id,
        inputs: true,
        masks: definition.requiresMask,
        shipped: true,
      });
    }
  });

  it('are what `fluxir --help` names', () => {
    expect(createProgram({ stdout: process.stdout, stderr: process.stderr, createHost: () => undefined as never, exitCode: 0 }).description()).toBe(
      `learned image restoration: ${ids.join(', ')}`,
    );
  });
});
