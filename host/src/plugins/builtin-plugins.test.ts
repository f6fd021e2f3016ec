import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import type { PluginDefinition } from '@fluxir/sdk';
import * as semver from 'semver';
import { createProgram } from '../cli/main';
import { builtinPackageName, builtinPluginIds } from './builtin-plugins';

/**
 * host/builtin-plugins.json is the one list of built-in tasks. What npm and tsc need as lists of their
 * own (host/package.json's dependencies, the root tsconfig.json's project references) cannot be made
 * from it, so they are checked against it here, as are the workspace folders it names.
 */
const root = path.resolve(__dirname, '..', '..', '..');
const readJson = (file: string): Record<string, unknown> => JSON.parse(readFileSync(path.join(root, file), 'utf8')) as Record<string, unknown>;
const ids = builtinPluginIds();

describe('the built-in plugin list (host/builtin-plugins.json)', () => {
  it('names each workspace folder under plugins/ once', () => {
    const folders = readdirSync(path.join(root, 'plugins')).filter((name) => existsSync(path.join(root, 'plugins', name, 'package.json')));
    expect([...ids].sort()).toEqual(folders.sort());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names each plugin by its package (@fluxir/plugin-<id>) and by the id its definition declares', () => {
    for (const id of ids) {
      const pkg = readJson(`plugins/${id}/package.json`);
      // The definition from the plugin's sources (jest maps the package name to plugins/<id>/src).
      const definition = (require(builtinPackageName(id)) as { default: PluginDefinition }).default;
      expect({ id, name: pkg.name, definitionId: definition.id }).toEqual({ id, name: builtinPackageName(id), definitionId: id });
    }
  });

  it('agrees with host/package.json: the host depends on exactly these plugins, at ranges their versions satisfy', () => {
    const dependencies = readJson('host/package.json').dependencies as Record<string, string>;
    const pluginDependencies = Object.keys(dependencies).filter((name) => name.startsWith('@fluxir/plugin-'));
    expect(pluginDependencies.sort()).toEqual(ids.map(builtinPackageName).sort());
    for (const id of ids) {
      const { version } = readJson(`plugins/${id}/package.json`) as { version: string };
      expect({ id, version, satisfies: semver.satisfies(version, dependencies[builtinPackageName(id)]) }).toEqual({ id, version, satisfies: true });
    }
  });

  it('agrees with the root tsconfig.json: `tsc -b` builds each plugin, and no other plugin folder', () => {
    const references = (readJson('tsconfig.json').references as { path: string }[]).map((r) => r.path);
    expect(references.filter((p) => p.startsWith('plugins/')).sort()).toEqual(ids.map((id) => `plugins/${id}`).sort());
  });

  it('ships with the host package and is what `fluxir --help` names', () => {
    expect(readJson('host/package.json').files).toContain('builtin-plugins.json');
    expect(createProgram({ stdout: process.stdout, stderr: process.stderr, createHost: () => undefined as never, exitCode: 0 }).description()).toBe(
      `learned image restoration: ${ids.join(', ')}`,
    );
  });
});
