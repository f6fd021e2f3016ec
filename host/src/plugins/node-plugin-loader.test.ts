import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { errors } from '@fluxir/core';
import { builtinPluginIds } from './builtin-plugins';
import { PluginRegistry } from './plugin-registry.interface';
import { captureLogger } from '../testing/capture-logger';
import { writeFakePluginPackage } from '../testing/fake-plugin-package';
import { FakeEngine } from '../testing/fake-engine';
import { createHostContainer } from '../host-container';
import { findPluginCandidates, nodeModulesScopes } from './plugin-discovery';

let root: string;
beforeAll(async () => {
  root = await fs.mkdtemp(path.join(os.tmpdir(), 'fluxir-plugins-'));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

async function folder(name: string): Promise<string> {
  const dir = path.join(root, name);
  await fs.mkdir(dir, { recursive: true });
  return dir;
}

function host(pluginDirs: string[]) {
  const { logger, lines } = captureLogger();
  const container = createHostContainer({
    pluginDirs,
    searchNodeModules: false,
    engineVersion: '1.0.0',
    engineFactory: async () => new FakeEngine(),
    logger,
  });
  return { registry: container.get<PluginRegistry>(PluginRegistry), container, lines };
}

describe('plugin loader', () => {
  it('loads good plugins and isolates broken ones, reporting each on the log', async () => {
    const dir = await folder('mixed');
    await writeFakePluginPackage(dir, { id: 'denoise' });
    await writeFakePluginPackage(dir, { id: 'explodes', entrySource: "throw new Error('boom at require time');" });
    await writeFakePluginPackage(dir, { id: 'future', manifest: { plugin: 'dist/index.js', engine: '^2.0.0' } });
    await writeFakePluginPackage(dir, { id: 'badmanifest', manifest: { plugin: 42, engine: '^1.0.0' } });
    await writeFakePluginPackage(dir, { id: 'noengine', manifest: { plugin: 'dist/index.js', engine: 'whenever' } });
    await writeFakePluginPackage(dir, { id: 'hollow', entrySource: 'exports.plugin = { id: "hollow" };' });
    await writeFakePluginPackage(dir, { id: 'escape', manifest: { plugin: '../../evil.js', engine: '^1.0.0' } });
    const stale = await writeFakePluginPackage(dir, { id: 'stale' });
    const entry = path.join(stale, 'dist', 'index.js');
    await fs.writeFile(entry, (await fs.readFile(entry, 'utf8')).replace('version: "1.2.3"', 'version: "1.0.0"'));
    await fs.mkdir(path.join(dir, 'not-a-plugin'));
    await fs.writeFile(path.join(dir, 'not-a-plugin', 'package.json'), '{"name":"left-pad","version":"1.0.0"}');

    const { registry, lines } = host([dir]);
    expect(registry.ids()).toEqual(['denoise']);
    expect(registry.get('denoise')).toMatchObject({ packageName: '@test/plugin-denoise', packageVersion: '1.2.3', engineRange: '^1.0.0' });
    const failures = Object.fromEntries(registry.failures().map((f) => [f.packageName, f.message]));
    expect(failures).toEqual({
      '@test/plugin-explodes': expect.stringContaining('boom at require time'),
      '@test/plugin-future': errors.plugin('@test/plugin-future', 'needs engine ^2.0.0, but this engine is 1.0.0').message,
      '@test/plugin-badmanifest': expect.stringMatching(/E_PLUGIN: .*"fluxir.plugin" must name the entry file, got 42/),
      '@test/plugin-noengine': expect.stringContaining('"fluxir.engine" must be a semver range'),
      '@test/plugin-hollow': expect.stringMatching(/bad plugin definition: .*"version" must be a non-empty string;.*"prepare" must be a function/),
      '@test/plugin-stale': expect.stringContaining('the definition says @test/plugin-stale@1.0.0, package.json says @test/plugin-stale@1.2.3'),
      '@test/plugin-escape': expect.stringContaining('must stay inside the package'),
    });
    expect(registry.failures().every((f) => f.code === 'E_PLUGIN')).toBe(true);
    const logged = lines.filter((l) => l.level >= 50).map((l) => l.msg);
    expect(logged).toHaveLength(7);
    expect(logged).toContain(failures['@test/plugin-explodes']);
  });

  it('accepts a folder that is itself a plugin package, and reports a missing one', async () => {
    const dir = await writeFakePluginPackage(await folder('single'), { id: 'dehaze' });
    const missing = path.join(root, 'nowhere');
    const { registry } = host([dir, missing]);
    expect(registry.ids()).toEqual(['dehaze']);
    expect(registry.failures()).toEqual([
      { dir: missing, packageName: undefined, code: 'E_PLUGIN', message: errors.plugin(missing, 'the plugin folder does not exist').message },
    ]);
  });

  it('keeps the first of two packages with the same task id (plugin dirs before node_modules)', async () => {
    const first = await folder('first');
    const second = await folder('second');
    await writeFakePluginPackage(first, { id: 'derain', version: '1.0.0' });
    await writeFakePluginPackage(second, { id: 'derain', version: '2.0.0', packageName: 'other-derain' });
    const { registry, lines } = host([first, second]);
    expect(registry.get('derain')?.packageVersion).toBe('1.0.0');
    expect(lines.some((l) => l.level === 40 && String(l.msg).includes('two packages provide task derain'))).toBe(true);
  });

  it('serves two versions of one package side by side, the newest by default, an older one by its range', async () => {
    const dir = await folder('versions');
    await writeFakePluginPackage(dir, { id: 'derain', folder: 'derain-1', version: '1.4.0' });
    await writeFakePluginPackage(dir, { id: 'derain', folder: 'derain-2', version: '2.0.0' });
    const { registry } = host([dir]);
    expect(registry.list().map((p) => p.packageVersion)).toEqual(['2.0.0', '1.4.0']);
    expect(registry.ids()).toEqual(['derain']);
    expect(registry.resolve('derain').version).toBe('2.0.0');
    expect(registry.resolve('derain', '^1.0.0').version).toBe('1.4.0');
    expect(() => registry.resolve('derain', '^3')).toThrow('plugin derain ^3 is not loaded; this host has derain 2.0.0, 1.4.0');
  });

  it('applies a plugin container module, and isolates a plugin whose module throws', async () => {
    const dir = await folder('modules');
    const base = "exports.default = require('./definition.js').default;";
    const good = await writeFakePluginPackage(dir, { id: 'lowlight' });
    await fs.rename(path.join(good, 'dist/index.js'), path.join(good, 'dist/definition.js'));
    await fs.writeFile(
      path.join(good, 'dist/index.js'),
      `${base}\nexports.containerModule = { id: 9001, registry: (bind) => bind('lowlight-extra').toConstantValue(42) };`,
    );
    const bad = await writeFakePluginPackage(dir, { id: 'deblur' });
    await fs.rename(path.join(bad, 'dist/index.js'), path.join(bad, 'dist/definition.js'));
    await fs.writeFile(
      path.join(bad, 'dist/index.js'),
      `${base}\nexports.containerModule = { id: 9002, registry: () => { throw new Error('no bindings today'); } };`,
    );
    const { registry, container } = host([dir]);
    expect(container.get('lowlight-extra')).toBe(42);
    expect(registry.ids()).toEqual(['lowlight']);
    expect(registry.failures()[0].message).toBe(
      errors.plugin('@test/plugin-deblur', 'its container module threw: no bindings today').message,
    );
  });
});

describe('plugin loader refusals', () => {
  it('refuses a plugin whose entry file is missing, naming the file', async () => {
    const dir = await folder('unbuilt');
    const pkg = await writeFakePluginPackage(dir, { id: 'unbuilt' });
    await fs.rm(path.join(pkg, 'dist'), { recursive: true });
    await writeFakePluginPackage(dir, { id: 'dehaze' });
    const { registry } = host([dir]);
    expect(registry.ids()).toEqual(['dehaze']);
    expect(registry.failures().map((f) => f.message)).toEqual([
      errors.plugin('@test/plugin-unbuilt', 'the entry file dist/index.js does not exist (is the plugin built?)').message,
    ]);
  });

  it('refuses an entry that leads outside its package through a symbolic link, without running it', async () => {
    const dir = await folder('linked');
    const outside = path.join(await folder('elsewhere'), 'evil.js');
    await fs.writeFile(outside, "globalThis.fluxirEvilRan = true; exports.default = {};");
    const pkg = await writeFakePluginPackage(dir, { id: 'linked' });
    await fs.rm(path.join(pkg, 'dist', 'index.js'));
    await fs.symlink(outside, path.join(pkg, 'dist', 'index.js'));
    const { registry } = host([dir]);
    expect(registry.ids()).toEqual([]);
    expect(registry.failures()[0].message).toBe(
      errors.plugin('@test/plugin-linked', `the entry file dist/index.js leads outside the package, to ${await fs.realpath(outside)}`).message,
    );
    expect((globalThis as { fluxirEvilRan?: boolean }).fluxirEvilRan).toBeUndefined();
  });

  it('refuses a second package with a task id already taken, saying which one holds it, and keeps serving the first', async () => {
    const first = await folder('clash-a');
    const second = await folder('clash-b');
    const kept = await writeFakePluginPackage(first, { id: 'superres', folder: 'one' });
    await writeFakePluginPackage(second, { id: 'superres', folder: 'two' });
    const { registry } = host([first, second]);
    expect(registry.resolve('superres')).toMatchObject({ id: 'superres', version: '1.2.3' });
    expect(registry.failures()).toEqual([
      {
        dir: await fs.realpath(path.join(second, 'two')),
        packageName: '@test/plugin-superres',
        code: 'E_PLUGIN',
        message: errors.plugin('@test/plugin-superres', `task id "superres" is already provided by @test/plugin-superres@1.2.3 from ${await fs.realpath(kept)}`).message,
      },
    ]);
  });
});

describe('plugin discovery', () => {
  it('finds the workspace plugin packages in node_modules/@fluxir, once each', () => {
    const scopes = nodeModulesScopes(__dirname);
    expect(scopes).toContain(path.resolve(__dirname, '../../../node_modules/@fluxir'));
    const { candidates } = findPluginCandidates([], scopes);
    const names = candidates.map((c) => path.basename(c.dir));
    expect(names).toEqual(expect.arrayContaining([...builtinPluginIds()]));
    expect(new Set(candidates.map((c) => c.dir)).size).toBe(candidates.length);
  });
});
