import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { createEngine, engineVersion, psnr, readImage, Rng, toChannels, type BackendChoice, type Engine } from '@fluxir/core';
import type { PluginDefinition } from '@fluxir/sdk';
import { pluginContractChecks } from '@fluxir/sdk/testing';
import { checkEngineRange, checkPluginExports, checkPluginManifest, type PluginPackage } from '../plugins/plugin-manifest';
import { trainingOf } from '../plugins/plugin-training';
import { buildPlugin } from './plugin-build';

export interface PluginTestOptions {
  /** Compile the TypeScript sources first (when the folder has a tsconfig.json). */
  readonly build: boolean;
  /** Also run the shared engine on the fixtures (slower: loads the weights). */
  readonly engine: boolean;
  readonly weightsDir?: string;
  readonly backend?: BackendChoice;
  /** Clean photos the engine check degrades and restores. */
  readonly fixtures: readonly string[];
  /** Called as each check finishes, for live output. */
  readonly onResult?: (result: CheckResult) => void;
}

export interface CheckResult {
  readonly name: string;
  readonly ok: boolean;
  readonly detail?: string;
}

/** The clean photos shipped with the engine (core/data/examples/clean-*.png), from which plugins make their examples. */
export function defaultFixtures(): string[] {
  const dir = path.join(path.dirname(require.resolve('@fluxir/core/package.json')), 'data', 'examples');
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => /^clean-.*\.png$/.test(f)).sort().map((f) => path.join(dir, f));
}

/**
 * The plugin contract on a package folder: manifest, engine range, build, entry, the SDK's contract
 * checks and, with the engine, a PSNR gain over the degraded input on the fixtures. Stops after the
 * first failure that leaves nothing to test (no manifest, no entry); never throws for the plugin.
 */
export async function testPluginFolder(dir: string, options: PluginTestOptions): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  const record = (name: string, ok: boolean, detail?: string): boolean => {
    const result = { name, ok, detail };
    results.push(result);
    options.onResult?.(result);
    return ok;
  };
  const attempt = async <T>(name: string, run: () => T | Promise<T>, detail?: (value: T) => string): Promise<T | undefined> => {
    try {
      const value = await run();
      record(name, true, detail?.(value));
      return value;
    } catch (error) {
      record(name, false, error instanceof Error ? error.message : String(error));
      return undefined;
    }
  };

  const pkg = await attempt('package.json has a valid fluxir manifest', () => readManifest(dir), (p) => `${p.name}@${p.version}, entry ${p.manifest.plugin}`);
  if (!pkg) return results;
  await attempt(`the engine range ${pkg.manifest.engine} includes this engine`, () => checkEngineRange(pkg, engineVersion()), () => engineVersion());
  if (options.build && existsSync(path.join(dir, 'tsconfig.json'))) {
    await attempt('builds with TypeScript (type-checked)', () => {
      const problems = buildPlugin(dir);
      if (problems.length) throw new Error(problems.slice(0, 5).join('\n'));
    });
    if (!results[results.length - 1].ok) return results;
  }
  const plugin = await attempt('the entry loads and exports a definition that matches package.json', () => loadDefinition(dir, pkg), (d) => `task ${d.id}`);
  if (!plugin) return results;
  for (const check of pluginContractChecks(plugin)) await attempt(check.name, () => check.run());
  if (options.engine) {
    await attempt('the shared engine improves PSNR over the degraded input on the fixtures', () => engineGain(plugin, options), (r) => r);
  }
  return results;
}

export function readManifest(dir: string): PluginPackage {
  const file = path.join(dir, 'package.json');
  if (!existsSync(file)) throw new Error(`${file} is missing`);
  return checkPluginManifest(JSON.parse(readFileSync(file, 'utf8')));
}

export function loadDefinition(dir: string, pkg: PluginPackage): PluginDefinition {
  const entry = path.join(dir, pkg.manifest.plugin);
  if (!existsSync(entry)) throw new Error(`the entry ${pkg.manifest.plugin} does not exist (build the plugin first)`);
  // A plugin is a CommonJS package chosen at run time: only require can load it.
  return checkPluginExports(require(entry) as unknown, pkg).definition;
}

async function engineGain(plugin: PluginDefinition, options: PluginTestOptions): Promise<string> {
  if (!options.fixtures.length) throw new Error('no fixture photos to restore');
  const engine: Engine = await createEngine({ weightsDir: options.weightsDir, backend: options.backend });
  try {
    const gains: string[] = [];
    let total = 0;
    for (const [index, file] of options.fixtures.entries()) {
      const clean = toChannels((await readImage(file)).image, 3);
      const { input, mask } = trainingOf(plugin).evalDegrade(clean, new Rng(1000 + index));
      const params = plugin.parseParams(trainingOf(plugin).evalParams);
      const prepared = plugin.prepare(input, params, mask);
      const steps = plugin.stepBudget.default;
      const restored = await engine.restore({ task: plugin.id, prompt: plugin.prompt, input: prepared, steps, seed: 0 });
      const before = psnr(clean, prepared.y);
      const after = psnr(clean, restored.image);
      total += after - before;
      gains.push(`${path.basename(file)} ${before.toFixed(2)} -> ${after.toFixed(2)} dB`);
    }
    const mean = total / options.fixtures.length;
    const summary = `${gains.join(', ')}; mean gain ${mean >= 0 ? '+' : ''}${mean.toFixed(2)} dB`;
    if (!(mean > 0)) throw new Error(summary);
    return summary;
  } finally {
    engine.dispose();
  }
}
