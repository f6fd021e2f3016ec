import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { defaultWeightsDir, errors } from '@fluxir/core';
import { PluginRegistry } from '../plugins/plugin-registry.interface';
import { createHostContainer } from '../host-container';
import { captureLogger } from '../testing/capture-logger';
import { FakeEngine } from '../testing/fake-engine';
import { writeFakePluginPackage } from '../testing/fake-plugin-package';
import { planPluginFineTune } from './plugin-fine-tune';
import { scaffoldPlugin } from './plugin-scaffold';
import { testPluginFolder, type CheckResult } from './plugin-test-runner';

const repo = path.resolve(__dirname, '../../..');
// Inside the checkout (scratch/ is git-ignored) so that jest resolves the plugin's imports.
let inside: string;
let outside: string;
beforeAll(() => {
  mkdirSync(path.join(repo, 'scratch'), { recursive: true });
  inside = mkdtempSync(path.join(repo, 'scratch', 'plugin-tools-'));
  outside = mkdtempSync(path.join(os.tmpdir(), 'fluxir-plugin-tools-'));
});
afterAll(() => {
  rmSync(inside, { recursive: true, force: true });
  rmSync(outside, { recursive: true, force: true });
});

const run = (dir: string) => testPluginFolder(dir, { build: true, engine: false, fixtures: [] });
const failed = (results: CheckResult[]) => results.filter((r) => !r.ok);

describe('fluxir plugin new', () => {
  it('writes a plugin package named after its folder, with the manifest, a definition and a contract test', () => {
    const result = scaffoldPlugin(path.join(inside, 'fluxir-plugin-grain'), '1.0.0');
    expect(result).toMatchObject({ packageName: 'fluxir-plugin-grain', id: 'grain' });
    const pkg = JSON.parse(readFileSync(path.join(result.dir, 'package.json'), 'utf8'));
    expect(pkg).toMatchObject({ name: 'fluxir-plugin-grain', fluxir: { plugin: 'dist/index.js', engine: '^1.0.0' } });
    expect(readFileSync(path.join(result.dir, 'src/index.ts'), 'utf8')).toContain("id: 'grain'");
    expect(readFileSync(path.join(result.dir, 'test/plugin.test.ts'), 'utf8')).toContain('describePluginContract(plugin)');
  });

  it('refuses a folder name that is no task id, and a folder that is not empty', () => {
    expect(() => scaffoldPlugin(path.join(inside, 'My Plugin'), '1.0.0')).toThrow(/E_PARAMS: .*for plugin folder name but received "My Plugin"/);
    const full = path.join(inside, 'taken');
    mkdirSync(full);
    writeFileSync(path.join(full, 'notes.txt'), 'mine');
    expect(() => scaffoldPlugin(full, '1.0.0')).toThrow(errors.write(full, 'the folder exists and is not empty'));
  });
});

describe('fluxir plugin test', () => {
  it('passes a fresh scaffold: manifest, engine range, build, entry and every contract check', async () => {
    const { dir } = scaffoldPlugin(path.join(inside, 'fresh'), '1.0.0');
    const results = await run(dir);
    expect(failed(results)).toEqual([]);
    expect(results.map((r) => r.name)).toEqual(
      expect.arrayContaining(['package.json has a valid fluxir manifest', 'builds with TypeScript (type-checked)', 'degrades reproducibly from a seed, and differently for another seed']),
    );
    expect(existsSync(path.join(dir, 'dist/index.js'))).toBe(true);
  });

  it('fails a degradation that draws from Math.random, saying so', async () => {
    const { dir } = scaffoldPlugin(path.join(inside, 'unseeded'), '1.0.0');
    const file = path.join(dir, 'src/index.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace('rng.uniform(4, 30) / 255', '(4 + 26 * Math.random()) / 255'));
    // Other checks that degrade through the same unseeded code may fail too, at random; this one must.
    expect(failed(await run(dir))).toContainEqual({
      name: 'degrades reproducibly from a seed, and differently for another seed',
      ok: false,
      detail: 'degrade must give the same image for the same seed',
    });
  });

  it('reports type errors and stops before loading', async () => {
    const { dir } = scaffoldPlugin(path.join(inside, 'typo'), '1.0.0');
    const file = path.join(dir, 'src/index.ts');
    writeFileSync(file, readFileSync(file, 'utf8').replace("prompt: 'remove film grain and noise'", 'prompt: 42'));
    const results = await run(dir);
    expect(results.at(-1)).toMatchObject({ name: 'builds with TypeScript (type-checked)', ok: false, detail: expect.stringContaining("Type 'number' is not assignable to type 'string'") });
  });

  it('reports a broken manifest and an engine range this engine is outside of', async () => {
    const broken = await writeFakePluginPackage(inside, { id: 'nomanifest', manifest: { engine: '^1.0.0' } });
    expect(await run(broken)).toEqual([
      { name: 'package.json has a valid fluxir manifest', ok: false, detail: 'bad manifest: "fluxir.plugin" must name the entry file, got undefined' },
    ]);
    const future = await writeFakePluginPackage(inside, { id: 'future', manifest: { plugin: 'dist/index.js', engine: '^2.0.0' } });
    expect(failed(await run(future))[0]).toMatchObject({ name: 'the engine range ^2.0.0 includes this engine', detail: 'needs engine ^2.0.0, but this engine is 1.0.0' });
  });

  it('runs from the built command on a plugin folder outside the installation', async () => {
    const cli = path.join(repo, 'host', 'dist', 'cli', 'main.js');
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
    const exec = promisify(execFile);
    const dir = path.join(outside, 'soft-grain');
    await exec(process.execPath, [cli, 'plugin', 'new', dir], { cwd: outside });
    const { stdout } = await exec(process.execPath, [cli, 'plugin', 'test', dir, '--no-engine', '--json'], { cwd: outside });
    const report = JSON.parse(stdout.trim()) as { failed: number; passed: number };
    expect(report).toMatchObject({ failed: 0, passed: 13 });
  });
});

describe('fluxir plugin examples', () => {
  it("writes the plugin's example input from the engine's clean photo with its evaluation degradation, the same bytes each time", async () => {
    const cli = path.join(repo, 'host', 'dist', 'cli', 'main.js');
    if (!existsSync(cli)) throw new Error(`${cli} is missing: run npm run build first`);
    const exec = promisify(execFile);
    const dir = path.join(outside, 'grain-examples');
    await exec(process.execPath, [cli, 'plugin', 'new', dir], { cwd: outside });
    await exec(process.execPath, [cli, 'plugin', 'test', dir, '--no-engine', '--json'], { cwd: outside }); // builds dist/
    const example = path.join(dir, 'examples', 'fruits.png');
    const { stdout } = await exec(process.execPath, [cli, 'plugin', 'examples', dir], { cwd: outside });
    expect(stdout).toBe(`wrote ${example}\n`);
    const first = readFileSync(example);
    await exec(process.execPath, [cli, 'plugin', 'examples', dir], { cwd: outside });
    expect(readFileSync(example).equals(first)).toBe(true);
    const clean = readFileSync(path.join(repo, 'core', 'data', 'examples', 'clean-fruits.png'));
    expect(first.equals(clean)).toBe(false);
    expect(existsSync(path.join(dir, 'examples', 'masks'))).toBe(false);
  });
});

describe('fluxir train --plugin', () => {
  it('seeds a checkpoint from the starting weights and repeats the new task in the rotation', async () => {
    const plugins = mkdtempSync(path.join(outside, 'ft-'));
    const extra = await writeFakePluginPackage(plugins, { id: 'sharpen' });
    const builtIn = await writeFakePluginPackage(plugins, { id: 'denoise' });
    const { logger } = captureLogger();
    const container = createHostContainer({ pluginDirs: [builtIn, extra], searchNodeModules: false, engineVersion: '1.0.0', engineFactory: async () => new FakeEngine(), logger });
    const registry = container.get<PluginRegistry>(PluginRegistry);
    const checkpointDir = path.join(plugins, 'checkpoint');
    const request = { pluginDir: extra, fromDir: defaultWeightsDir(), outDir: path.join(plugins, 'out'), checkpointDir, steps: 40, weight: 3, resume: false };
    const plan = planPluginFineTune(request, registry, registry.ids());
    expect(plan.added).toEqual(['sharpen']);
    expect(plan.tasks.map((t) => t.id)).toEqual(['denoise', 'sharpen', 'sharpen', 'sharpen']);
    expect(JSON.parse(readFileSync(path.join(checkpointDir, 'state.json'), 'utf8'))).toMatchObject({ step: 0, totalSteps: 40 });
    expect(readFileSync(path.join(checkpointDir, 'weights.bin')).equals(readFileSync(path.join(defaultWeightsDir(), 'weights.bin')))).toBe(true);
    expect(() => planPluginFineTune({ ...request, outDir: defaultWeightsDir() }, registry, registry.ids())).toThrow(/E_PARAMS: .*for --out/);
    const empty = mkdtempSync(path.join(outside, 'empty-'));
    expect(() => planPluginFineTune({ ...request, pluginDir: empty }, registry, registry.ids())).toThrow(/E_PLUGIN: plugin .*no plugin was loaded from this folder/);
  });
});
