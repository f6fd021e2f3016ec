import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { engineVersion } from '@fluxir/core';
import { adminErrors } from '../host/src/admin/admin-errors';
import { loadServerConfig } from '../host/src/config/load-server-config';
import { writeFakePluginPackage } from '../host/src/testing/fake-plugin-package';
import { EventLog, PacedEngine, pngImage, request, startTestServer, type Client, type TestServer } from './server-harness';

/** Plugins installed, disabled, enabled, reloaded and removed over REST while the host serves jobs. */
const ADMIN = 'admin-token-lifecycle';
let root: string;
let outside: string;
let host: TestServer;

beforeAll(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'fluxir-installs-')));
  outside = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'fluxir-elsewhere-')));
  await writeFakePluginPackage(root, { id: 'echo', folder: 'echo-1.0.0', version: '1.0.0' });
  await writeFakePluginPackage(root, { id: 'echo', folder: 'echo-2.0.0', version: '2.0.0' });
  host = await startTestServer({ config: { adminToken: ADMIN, installRoots: [root] }, engine: () => new PacedEngine(40) });
});
afterAll(async () => {
  await host.close();
  await fs.rm(root, { recursive: true, force: true });
  await fs.rm(outside, { recursive: true, force: true });
});

interface Answer {
  readonly status: number;
  // Bodies are checked field by field below.
  readonly body: { readonly error?: { code: string; message: string }; readonly [field: string]: unknown };
}

/** `token` null sends none. */
async function admin(method: string, route: string, body?: unknown, token: string | null = ADMIN): Promise<Answer> {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (token !== null) headers.authorization = `Bearer ${token}`;
  const res = await fetch(`${host.url}${route}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as Answer['body'] };
}

const install = (dir: string) => admin('POST', '/api/admin/plugins', { path: dir });

/** Submits a job and waits for its last event. */
async function runJob(client: Client, log: EventLog, job: Record<string, unknown>): Promise<{ name: string; payload: Record<string, unknown> }> {
  const ack = await request(client, 'job:submit', { image: await pngImage(16, 12), steps: 2, ...job });
  if (!ack.ok) return { name: 'refused', payload: { error: ack.error } };
  return log.final(ack.jobId as string);
}

async function catalogVersions(id: string): Promise<string[]> {
  const body = (await (await fetch(`${host.url}/api/plugins`)).json()) as { plugins: { id: string; version: string }[] };
  return body.plugins.filter((p) => p.id === id).map((p) => p.version);
}

describe('plugin lifecycle over REST', () => {
  it('installs a plugin at run time, tells connected panels, and runs a socket job on it', async () => {
    const client = await host.connect();
    const log = new EventLog(client);
    expect(await catalogVersions('echo')).toEqual([]);
    const answer = await install(path.join(root, 'echo-1.0.0'));
    expect(answer.status).toBe(201);
    expect(answer.body.plugin).toMatchObject({ id: 'echo', version: '1.0.0', packageName: '@test/plugin-echo', state: 'enabled' });
    expect((await log.waitFor((e) => e.name === 'plugins:changed')).payload).toEqual({ change: 'installed', id: 'echo', version: '1.0.0' });
    const listed = await request(client, 'plugins:list');
    expect(listed.ok && (listed.plugins as { id: string }[]).some((p) => p.id === 'echo')).toBe(true);
    const done = await runJob(client, log, { plugin: 'echo' });
    expect(done.name).toBe('job:result');
    expect(done.payload).toMatchObject({ plugin: 'echo', version: '1.0.0', width: 16, height: 12 });
  });

  it('serves two versions side by side: the newest by default, each when a client pins it', async () => {
    expect((await install(path.join(root, 'echo-2.0.0'))).status).toBe(201);
    expect(await catalogVersions('echo')).toEqual(['2.0.0', '1.0.0']);
    const client = await host.connect();
    const log = new EventLog(client);
    expect((await runJob(client, log, { plugin: 'echo' })).payload.version).toBe('2.0.0');
    expect((await runJob(client, log, { plugin: 'echo', version: '1.0.0' })).payload.version).toBe('1.0.0');
    expect((await runJob(client, log, { plugin: 'echo', version: '^2.0.0' })).payload.version).toBe('2.0.0');
    const refused = await runJob(client, log, { plugin: 'echo', version: '^3.0.0' });
    expect(refused.payload.error).toEqual({ code: 'E_UNKNOWN_VERSION', message: 'plugin echo ^3.0.0 is not loaded; this host has echo 2.0.0, 1.0.0' });
  });

  it('disabling a version ends its running and queued jobs with E_PLUGIN; other plugins carry on; enable brings it back', async () => {
    const client = await host.connect();
    const log = new EventLog(client);
    const image = await pngImage(16, 12);
    const submit = async (job: object) => {
      const ack = await request(client, 'job:submit', { image, steps: 8, ...job });
      if (!ack.ok) throw new Error(ack.error.message);
      return ack.jobId as string;
    };
    const running = await submit({ plugin: 'echo', version: '2.0.0' });
    const queued = await submit({ plugin: 'echo', version: '2.0.0' });
    const other = await submit({ plugin: 'denoise' });
    await log.waitFor((e) => e.name === 'job:started' && e.payload.jobId === running);
    const answer = await admin('POST', '/api/admin/plugins/echo/disable?version=2.0.0');
    expect(answer.status).toBe(200);
    expect(answer.body.plugins).toEqual([expect.objectContaining({ id: 'echo', version: '2.0.0', state: 'disabled' })]);
    const disabled = { code: 'E_PLUGIN', message: 'plugin echo@2.0.0: the plugin was disabled' };
    expect(await log.final(running)).toMatchObject({ name: 'job:error', payload: { error: disabled } });
    expect(await log.final(queued)).toMatchObject({ name: 'job:error', payload: { error: disabled } });
    expect((await log.final(other)).name).toBe('job:result');
    expect(await catalogVersions('echo')).toEqual(['1.0.0']);
    expect((await runJob(client, log, { plugin: 'echo' })).payload.version).toBe('1.0.0');
    expect((await runJob(client, log, { plugin: 'echo', version: '^2' })).payload.error).toMatchObject({ code: 'E_UNKNOWN_VERSION' });
    const status = await admin('GET', '/api/admin/plugins');
    expect(status.body.plugins).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'echo', version: '2.0.0', state: 'disabled' }), expect.objectContaining({ id: 'echo', version: '1.0.0', state: 'enabled' })]),
    );
    expect((await admin('POST', '/api/admin/plugins/echo/enable?version=2.0.0')).status).toBe(200);
    expect((await runJob(client, log, { plugin: 'echo' })).payload.version).toBe('2.0.0');
  });

  it('reloads a plugin from its folder; a reload that fails leaves the loaded code serving', async () => {
    const client = await host.connect();
    const log = new EventLog(client);
    const reloaded = await admin('POST', '/api/admin/plugins/echo/reload?version=1.0.0');
    expect(reloaded.status).toBe(200);
    expect(reloaded.body.plugins).toEqual([expect.objectContaining({ id: 'echo', version: '1.0.0', state: 'enabled' })]);
    expect((await log.waitFor((e) => e.name === 'plugins:changed' && e.payload.change === 'reloaded')).payload).toMatchObject({ id: 'echo', version: '1.0.0' });
    const manifest = path.join(root, 'echo-1.0.0', 'package.json');
    const good = await fs.readFile(manifest, 'utf8');
    await fs.writeFile(manifest, '{ "name": "@test/plugin-echo", ');
    const refused = await admin('POST', '/api/admin/plugins/echo/reload?version=1.0.0');
    await fs.writeFile(manifest, good);
    expect(refused.status).toBe(422);
    expect(refused.body.error?.code).toBe('E_PLUGIN');
    expect(refused.body.error?.message).toMatch(/^plugin \/.*echo-1\.0\.0: cannot read package\.json: .*; version 1\.0\.0 keeps serving$/);
    expect((await runJob(client, log, { plugin: 'echo', version: '1.0.0' })).payload.version).toBe('1.0.0');
  });

  it('removes a version: its running job ends with E_PLUGIN, the other version keeps serving', async () => {
    const client = await host.connect();
    const log = new EventLog(client);
    const ack = await request(client, 'job:submit', { plugin: 'echo', version: '1.0.0', image: await pngImage(16, 12), steps: 8 });
    if (!ack.ok) throw new Error(ack.error.message);
    await log.waitFor((e) => e.name === 'job:started' && e.payload.jobId === ack.jobId);
    const removed = await admin('DELETE', '/api/admin/plugins/echo?version=1.0.0');
    expect(removed.status).toBe(200);
    expect(removed.body.removed).toEqual([expect.objectContaining({ id: 'echo', version: '1.0.0' })]);
    expect((await log.final(ack.jobId as string)).payload.error).toEqual({ code: 'E_PLUGIN', message: 'plugin echo@1.0.0: the plugin was removed' });
    expect(await catalogVersions('echo')).toEqual(['2.0.0']);
    const again = await admin('DELETE', '/api/admin/plugins/echo?version=1.0.0');
    expect(again.body.error).toEqual({ code: 'E_NOT_FOUND', message: 'plugin echo 1.0.0 is not loaded; loaded: echo 2.0.0' });
    expect(again.status).toBe(404);
    // Installed again from the same folder: the version is back.
    expect((await install(path.join(root, 'echo-1.0.0'))).status).toBe(201);
    expect(await catalogVersions('echo')).toEqual(['2.0.0', '1.0.0']);
  });
});

describe('bad installs are refused with a reason while the host keeps serving', () => {
  const cases: [string, () => Promise<string>, number, string, RegExp][] = [
    ['a broken manifest', () => writeFakePluginPackage(root, { id: 'bent', manifest: { plugin: 42, engine: '^1.0.0' } }), 422, 'E_PLUGIN', /^plugin @test\/plugin-bent: bad manifest: "fluxir\.plugin" must name the entry file, got 42/],
    [
      'a missing entry file',
      async () => {
        const dir = await writeFakePluginPackage(root, { id: 'unbuilt' });
        await fs.rm(path.join(dir, 'dist'), { recursive: true });
        return dir;
      },
      422,
      'E_PLUGIN',
      /^plugin @test\/plugin-unbuilt: the entry file dist\/index\.js does not exist \(is the plugin built\?\)/,
    ],
    ['a name clash at the same version', () => writeFakePluginPackage(root, { id: 'echo', folder: 'echo-copy', version: '2.0.0' }), 422, 'E_PLUGIN', /^plugin @test\/plugin-echo: task id "echo" is already provided by @test\/plugin-echo@2\.0\.0 from .*echo-2\.0\.0/],
    ['another package with the same task id', () => writeFakePluginPackage(root, { id: 'echo', folder: 'echo-rival', packageName: 'rival-echo', version: '5.0.0' }), 422, 'E_PLUGIN', /^plugin rival-echo: task id "echo" is already provided by @test\/plugin-echo/],
    ['code that throws at load', () => writeFakePluginPackage(root, { id: 'bomb', entrySource: "throw new Error('no licence file');" }), 422, 'E_PLUGIN', /^plugin @test\/plugin-bomb: cannot load .*index\.js: no licence file/],
    [
      'an engine range this engine is outside of',
      () => writeFakePluginPackage(root, { id: 'future', manifest: { plugin: 'dist/index.js', engine: '^99.0.0' } }),
      422,
      'E_PLUGIN',
      new RegExp(`^plugin @test/plugin-future: needs engine \\^99\\.0\\.0, but this engine is ${engineVersion().replace(/\./g, '\\.')}$`),
    ],
    ['a folder outside the install roots', () => writeFakePluginPackage(outside, { id: 'stray' }), 403, 'E_FORBIDDEN', /is outside the folders plugins may be installed from: /],
    ['a path that climbs out with ..', async () => `${root}/../${path.basename(outside)}/plugin-stray`, 403, 'E_FORBIDDEN', /is outside the folders plugins may be installed from/],
    [
      'a symbolic link inside the roots that leads out',
      async () => {
        const link = path.join(root, 'link-out');
        await fs.symlink(path.join(outside, 'plugin-stray'), link);
        return link;
      },
      403,
      'E_FORBIDDEN',
      /link-out is a symbolic link to .*plugin-stray, outside the folders plugins may be installed from/,
    ],
    ['a folder that does not exist', async () => path.join(root, 'nothing-here'), 400, 'E_BAD_REQUEST', /nothing-here is not a folder on the server/],
  ];

  it.each(cases)('refuses %s', async (_name, make, status, code, message) => {
    const answer = await install(await make());
    expect(answer.status).toBe(status);
    expect(answer.body.error?.code).toBe(code);
    expect(answer.body.error?.message).toMatch(message);
  });

  it('applies the container module of a plugin installed at run time, refuses one whose module throws, and withdraws it on removal', async () => {
    const withModule = async (id: string, registry: string, moduleId: number) => {
      const dir = await writeFakePluginPackage(root, { id });
      await fs.rename(path.join(dir, 'dist/index.js'), path.join(dir, 'dist/definition.js'));
      const entry = `exports.default = require('./definition.js').default;\nexports.containerModule = { id: ${moduleId}, registry: ${registry} };`;
      await fs.writeFile(path.join(dir, 'dist/index.js'), entry);
      return dir;
    };
    const container = host.server.container;
    expect((await install(await withModule('helper', "(bind) => bind('helper-extra').toConstantValue(7)", 9101))).status).toBe(201);
    expect(container.get('helper-extra')).toBe(7);
    const refused = await install(await withModule('tangle', "() => { throw new Error('no bindings today'); }", 9102));
    expect([refused.status, refused.body.error?.message]).toEqual([422, 'plugin @test/plugin-tangle: its container module threw: no bindings today']);
    expect(await catalogVersions('tangle')).toEqual([]);
    expect((await admin('DELETE', '/api/admin/plugins/helper')).status).toBe(200);
    expect(container.isBound('helper-extra')).toBe(false);
  });

  it('lists the refused packages with their reasons, and still serves jobs', async () => {
    const status = await admin('GET', '/api/admin/plugins');
    const failures = (status.body.failures as { packageName?: string; message: string }[]).map((f) => f.packageName);
    expect(failures).toEqual(expect.arrayContaining(['@test/plugin-bent', '@test/plugin-unbuilt', '@test/plugin-bomb', '@test/plugin-future', 'rival-echo', '@test/plugin-tangle']));
    expect((await fetch(`${host.url}/api/health`)).status).toBe(200);
    const client = await host.connect();
    const log = new EventLog(client);
    expect((await runJob(client, log, { plugin: 'denoise' })).name).toBe('job:result');
    expect((await runJob(client, log, { plugin: 'echo' })).name).toBe('job:result');
  });

  it('refuses a body without a path', async () => {
    const answer = await admin('POST', '/api/admin/plugins', { folder: root });
    expect([answer.status, answer.body.error]).toEqual([400, { code: 'E_BAD_REQUEST', message: adminErrors.badInstallBody().detail }]);
  });

  it('keeps a plugin whose code throws at run time to its own jobs (E_PLUGIN), the others carry on', async () => {
    const dir = await writeFakePluginPackage(root, { id: 'glitch' });
    const entry = path.join(dir, 'dist', 'index.js');
    const source = await fs.readFile(entry, 'utf8');
    await fs.writeFile(entry, source.replace('prepare: (input, params, mask) => ({ y: upsample(input), mask })', "prepare: () => { throw new Error('lookup table missing'); }"));
    expect((await install(dir)).status).toBe(201);
    const client = await host.connect();
    const log = new EventLog(client);
    const failed = await runJob(client, log, { plugin: 'glitch' });
    expect(failed.payload.error).toEqual({ code: 'E_PLUGIN', message: 'plugin glitch: lookup table missing' });
    expect((await runJob(client, log, { plugin: 'echo' })).name).toBe('job:result');
  });
});

describe('admin access', () => {
  it('answers E_UNAUTHORIZED without a token and E_FORBIDDEN with a token that is not the admin one', async () => {
    const none = await admin('GET', '/api/admin/plugins', undefined, null);
    expect([none.status, none.body.error?.code]).toEqual([401, 'E_UNAUTHORIZED']);
    const wrong = await admin('POST', '/api/admin/plugins/echo/disable', undefined, 'not-the-admin-token');
    expect([wrong.status, wrong.body.error]).toEqual([403, { code: 'E_FORBIDDEN', message: adminErrors.notAdmin().detail }]);
    expect(await catalogVersions('echo')).toContain('2.0.0');
  });

  it('is off, saying how to turn it on, on a host without an admin token', async () => {
    const plain = await startTestServer({ config: { installRoots: [root] } });
    try {
      const res = await fetch(`${plain.url}/api/admin/plugins`, { method: 'POST', headers: { authorization: 'Bearer anything-at-all' } });
      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ error: { code: 'E_FORBIDDEN', message: adminErrors.off().detail } });
    } finally {
      await plain.close();
    }
  });
});

describe('reload in a plain Node process', () => {
  it('reads the edited entry file again, where a plain load keeps the cached code', async () => {
    const dir = await writeFakePluginPackage(outside, { id: 'edited' });
    const repo = path.resolve(__dirname, '..');
    const script = path.join(__dirname, 'fixtures', 'plugins', 'reload-in-node.ts');
    const tsx = path.join(repo, 'node_modules', 'tsx', 'dist', 'cli.mjs');
    const args = [tsx, '--tsconfig', path.join(repo, 'tsconfig.test.json'), script, dir, 'Edited title'];
    const { stdout } = await promisify(execFile)(process.execPath, args, { cwd: repo });
    expect(JSON.parse(stdout)).toEqual({ before: 'Fake edited', cached: 'Fake edited', fresh: 'Edited title' });
  });
});

describe('configuration', () => {
  it('reads installRoots from fluxir.config.json (relative to the file) and FLUXIR_INSTALL_ROOTS', async () => {
    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fluxir-config-'));
    await fs.writeFile(path.join(dir, 'fluxir.config.json'), JSON.stringify({ adminToken: 'admin-token-1', installRoots: ['plugins', '/srv/extra'] }));
    expect(loadServerConfig({ cwd: dir, env: {} }).config).toMatchObject({ adminToken: 'admin-token-1', installRoots: [path.join(dir, 'plugins'), '/srv/extra'] });
    const env = { FLUXIR_INSTALL_ROOTS: '/opt/a, /opt/b', FLUXIR_ADMIN_TOKEN: 'admin-token-2' };
    expect(loadServerConfig({ cwd: dir, env }).config).toMatchObject({ adminToken: 'admin-token-2', installRoots: ['/opt/a', '/opt/b'] });
    await fs.rm(dir, { recursive: true, force: true });
  });
});
