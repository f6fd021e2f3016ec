import * as fs from 'node:fs';
import * as path from 'node:path';
import { errors } from '@fluxir/core';
import { inject, injectable } from 'inversify';
import { EngineVersion } from '../restore/engine-provider.interface';
import { HostOptions } from '../host-options.interface';
import { Logger } from '../logging/logger.interface';
import {
  checkPluginExports,
  checkPluginPackage,
  declaresPlugin,
  PluginCheckError,
} from './plugin-manifest';
import type { LoadedPlugin, PluginFailure, PluginLoader, PluginLoadResult } from './plugin-registry.interface';
import { findPluginCandidates, nodeModulesScopes, type PluginCandidate } from './plugin-discovery';

/**
 * Loads plugin packages from --plugin-dir folders and node_modules/@fluxir. Each package is checked
 * (manifest, engine range, exported definition) and required inside its own try/catch, so a broken
 * plugin becomes a failure entry and a log line, never an exception for the host.
 */
@injectable()
export class NodePluginLoader implements PluginLoader {
  constructor(
    @inject(HostOptions) private readonly options: HostOptions,
    @inject(EngineVersion) private readonly engineVersion: EngineVersion,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  load(): PluginLoadResult {
    const scopes = this.options.searchNodeModules ? nodeModulesScopes(__dirname) : [];
    const { candidates, missing } = findPluginCandidates(this.options.pluginDirs, scopes);
    const plugins: LoadedPlugin[] = [];
    const failures = missing.map((dir) => this.failure({ dir, source: 'plugin-dir' }, undefined, 'the plugin folder does not exist'));
    for (const candidate of candidates) {
      const outcome = this.loadOne(candidate);
      if (outcome === undefined) continue;
      if ('definition' in outcome) plugins.push(outcome);
      else failures.push(outcome);
    }
    for (const failure of failures) this.logger.error({ dir: failure.dir, package: failure.packageName }, failure.message);
    for (const plugin of plugins) {
      this.logger.debug({ dir: plugin.dir, package: plugin.packageName, version: plugin.packageVersion }, `plugin ${plugin.definition.id} loaded`);
    }
    return { plugins, failures };
  }

  loadPackage(dir: string, options: { readonly fresh?: boolean } = {}): LoadedPlugin | PluginFailure {
    const candidate: PluginCandidate = { dir: realPath(dir), source: 'plugin-dir' };
    const outcome = this.loadOne(candidate, options.fresh ?? false);
    return outcome ?? this.failure(candidate, undefined, 'not a fluxir plugin (no "fluxir" field in package.json)');
  }

  /** A loaded plugin, a failure, or undefined for a package that is not a fluxir plugin. */
  private loadOne(candidate: PluginCandidate, fresh = false): LoadedPlugin | PluginFailure | undefined {
    let packageJson: unknown;
    try {
      packageJson = JSON.parse(fs.readFileSync(path.join(candidate.dir, 'package.json'), 'utf8'));
    } catch (error) {
      return this.failure(candidate, undefined, `cannot read package.json: ${message(error)}`);
    }
    if (!declaresPlugin(packageJson)) {
      if (candidate.source === 'plugin-dir') this.logger.warn({ dir: candidate.dir }, 'not a fluxir plugin (no "fluxir" field in package.json)');
      return undefined;
    }
    const name = (packageJson as { name?: unknown }).name;
    const packageName = typeof name === 'string' ? name : undefined;
    try {
      const pkg = checkPluginPackage(packageJson, this.engineVersion);
      const entry = this.entryFile(candidate.dir, pkg.manifest.plugin);
      if (fresh) forgetModules(candidate.dir);
      const exported = this.requireEntry(entry);
      const { definition, containerModule } = checkPluginExports(exported, pkg);
      return {
        definition,
        packageName: pkg.name,
        packageVersion: pkg.version,
        dir: candidate.dir,
        entry,
        engineRange: pkg.manifest.engine,
        containerModule,
      };
    } catch (error) {
      return this.failure(candidate, packageName, message(error));
    }
  }

  /** The entry's real path: it must exist, and must not lead out of the package (a symbolic link elsewhere). */
  private entryFile(dir: string, plugin: string): string {
    const entry = path.join(dir, plugin);
    const found = [entry, `${entry}.js`].find((file) => fs.statSync(file, { throwIfNoEntry: false })?.isFile());
    if (!found) throw new PluginCheckError(`the entry file ${plugin} does not exist (is the plugin built?)`);
    const real = fs.realpathSync(found);
    if (!real.startsWith(fs.realpathSync(dir) + path.sep)) {
      throw new PluginCheckError(`the entry file ${plugin} leads outside the package, to ${real}`);
    }
    return real;
  }

  private requireEntry(entry: string): unknown {
    try {
      // Plugins are CommonJS packages found at run time, so a static import is not possible.
      return require(entry) as unknown;
    } catch (error) {
      const missing = (error as { code?: unknown }).code === 'MODULE_NOT_FOUND' && /@fluxir\/|'zod'/.test(message(error));
      const hint = missing ? ' (install its dependencies with npm install, or keep it inside the fluxir installation)' : '';
      throw new PluginCheckError(`cannot load ${entry}: ${message(error)}${hint}`);
    }
  }

  private failure(candidate: PluginCandidate, packageName: string | undefined, reason: string): PluginFailure {
    const error = errors.plugin(packageName ?? candidate.dir, reason);
    return { dir: candidate.dir, packageName, code: error.code as 'E_PLUGIN', message: error.message };
  }
}

/** Drops every cached module under `dir`, so the next require reads the files again. */
function forgetModules(dir: string): void {
  const inside = dir + path.sep;
  for (const file of Object.keys(require.cache)) if (file.startsWith(inside)) delete require.cache[file];
}

function realPath(dir: string): string {
  try {
    return fs.realpathSync(dir);
  } catch {
    return path.resolve(dir);
  }
}

function message(error: unknown): string {
  return error instanceof Error ? error.message.split('\n')[0] : String(error);
}
