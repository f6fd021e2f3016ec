import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { BACKEND_CHOICES, type BackendChoice } from '@fluxir/core';
import { Option, type Command } from 'commander';
import type { CheckResult } from '../plugin-tools/plugin-test-runner';
import type { CliContext } from './cli-context';

interface PluginTestCliOptions {
  readonly build: boolean;
  readonly engine: boolean;
  readonly weights?: string;
  readonly backend: BackendChoice;
  readonly fixture: string[];
  readonly json?: boolean;
}

/** Set in the child process that `fluxir plugin test` starts for a plugin folder outside this installation. */
const CHILD_FLAG = 'FLUXIR_PLUGIN_TEST_CHILD';

/** `fluxir plugin new|examples|test <dir>`: write a plugin package, its example inputs, and check one. */
export const registerPluginCommand = (program: Command, cli: CliContext): void => {
  const plugin = program.command('plugin').description('create and check plugin packages');
  plugin
    .command('new <dir>')
    .description('create a plugin package (package name and task id from the folder name) with a contract test')
    .action(async (dir: string) => {
      // The plugin tools load when a plugin command runs: every other command starts without them.
      const { scaffoldPlugin } = await import('../plugin-tools/plugin-scaffold');
      const sdkVersion = (require('@fluxir/sdk/package.json') as { version: string }).version;
      const result = scaffoldPlugin(dir, sdkVersion);
      cli.stdout.write(`created ${result.packageName} (task ${result.id}) in ${result.dir}:\n${result.files.map((f) => `  ${f}\n`).join('')}`);
      cli.stdout.write(`next: edit src/index.ts, then fluxir plugin test ${dir}\n`);
    });
  plugin
    .command('examples <dir>')
    .description("write the plugin's example inputs (examples/, masks in examples/masks/) from clean photos with its evaluation degradation")
    .addOption(new Option('--photo <png>', 'clean photo (repeatable; default: the engine examples)').argParser(collect).default([], 'the engine examples'))
    .action(async (dir: string, options: { photo: string[] }) => {
      const folder = path.resolve(dir);
      const photos = options.photo.map((f) => path.resolve(f));
      if (await ranInChild(cli, folder, ['plugin', 'examples', folder, ...photos.flatMap((f) => ['--photo', f])])) return;
      const { defaultFixtures } = await import('../plugin-tools/plugin-test-runner');
      const { writePluginExamples } = await import('../plugin-tools/plugin-examples');
      try {
        const written = await writePluginExamples(folder, photos.length ? photos : defaultFixtures());
        for (const file of [...written.inputs, ...written.masks]) cli.stdout.write(`wrote ${file}\n`);
      } catch (error) {
        cli.stderr.write(`fluxir plugin examples: ${error instanceof Error ? error.message : String(error)}\n`);
        cli.exitCode = Math.max(cli.exitCode, 1);
      }
    });
  plugin
    .command('test <dir>')
    .description('run the plugin contract: manifest, engine range, build, shapes, seeded degradation, baseline, and the shared engine on sample photos')
    .option('--no-build', 'load the built entry as it is instead of compiling src/ with TypeScript first')
    .option('--no-engine', 'skip the restoration check with the shared engine')
    .option('--weights <dir>', 'engine weights for the restoration check (default: the shipped ones)')
    .addOption(new Option('--backend <name>', 'tensor backend').choices(BACKEND_CHOICES).default('auto'))
    .addOption(new Option('--fixture <png>', 'clean photo for the restoration check (repeatable; default: the engine examples)').argParser(collect).default([], 'the engine examples'))
    .option('--json', 'print the results as one JSON line')
    .action(async (dir: string, options: PluginTestCliOptions) => {
      const folder = path.resolve(dir);
      if (!existsSync(folder)) {
        cli.stderr.write(`no plugin folder at ${folder}\n`);
        cli.exitCode = Math.max(cli.exitCode, 1);
        return;
      }
      if (await ranInChild(cli, folder, childArguments(folder, options))) return;
      const { defaultFixtures, testPluginFolder } = await import('../plugin-tools/plugin-test-runner');
      const results = await testPluginFolder(folder, {
        build: options.build,
        engine: options.engine,
        weightsDir: options.weights,
        backend: options.backend,
        fixtures: options.fixture.length ? options.fixture.map((f) => path.resolve(f)) : defaultFixtures(),
        onResult: options.json ? undefined : (r) => cli.stdout.write(formatResult(r)),
      });
      const failed = results.filter((r) => !r.ok).length;
      if (options.json) cli.stdout.write(`${JSON.stringify({ dir: folder, passed: results.length - failed, failed, results })}\n`);
      else cli.stdout.write(`${results.length - failed} passed, ${failed} failed\n`);
      if (failed) cli.exitCode = Math.max(cli.exitCode, 1);
    });
};

function formatResult(result: CheckResult): string {
  const detail = result.detail ? `\n      ${result.detail.split('\n').join('\n      ')}` : '';
  return `  ${result.ok ? 'ok  ' : 'FAIL'} ${result.name}${detail}\n`;
}

/**
 * A plugin folder outside this installation cannot resolve @fluxir/sdk, @fluxir/core or zod: the
 * same command (`args`) runs again in a child process whose NODE_PATH falls back to this
 * installation's packages, so the plugin and the checks share one SDK and one engine. True when it
 * ran there (its exit code raised into `cli`); false when this process can do the work itself.
 */
async function ranInChild(cli: CliContext, folder: string, args: readonly string[]): Promise<boolean> {
  const { hostModulePaths, resolvesFrom, SHARED_PACKAGES } = await import('../plugin-tools/plugin-build');
  if (process.env[CHILD_FLAG] || SHARED_PACKAGES.every((name) => resolvesFrom(folder, name))) return false;
  cli.exitCode = Math.max(cli.exitCode, runInChild(cli, args, hostModulePaths()));
  return true;
}

function runInChild(cli: CliContext, args: readonly string[], hostPaths: readonly string[]): number {
  const script = path.join(__dirname, 'main.js');
  if (!existsSync(script)) {
    cli.stderr.write(`cannot re-run for a plugin outside this installation: ${script} is missing (run npm run build)\n`);
    return 1;
  }
  const nodePath = [...hostPaths, process.env.NODE_PATH].filter(Boolean).join(path.delimiter);
  const child = spawnSync(process.execPath, [script, ...args], {
    env: { ...process.env, NODE_PATH: nodePath, [CHILD_FLAG]: '1' },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  cli.stdout.write(child.stdout ?? '');
  cli.stderr.write(child.stderr ?? '');
  return child.status ?? 1;
}

function childArguments(folder: string, options: PluginTestCliOptions): string[] {
  const args = ['plugin', 'test', folder, '--backend', options.backend];
  if (!options.build) args.push('--no-build');
  if (!options.engine) args.push('--no-engine');
  if (options.weights) args.push('--weights', path.resolve(options.weights));
  for (const fixture of options.fixture) args.push('--fixture', path.resolve(fixture));
  if (options.json) args.push('--json');
  return args;
}

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}
