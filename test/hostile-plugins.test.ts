import { spawn, type ChildProcess } from 'node:child_process';
import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { writeFakePluginPackage } from '../host/src/testing/fake-plugin-package';
import { EventLog, pngImage, request, startTestServer } from './server-harness';

/**
 * Plugins are trusted code, but a mistake in one must not end the host: a promise it leaves rejected
 * or a timer that throws after it loaded is logged and the plugin is taken out of service. A reload
 * is held to the same folder rules as an install.
 */
const ADMIN = 'admin-token-plugins';
let root: string;
let outside: string;

beforeAll(async () => {
  root = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'fluxir-hostile-plugins-')));
  outside = await fs.realpath(await fs.mkdtemp(path.join(os.tmpdir(), 'fluxir-hostile-elsewhere-')));
});
afterAll(async () => {
  await fs.rm(root, { recursive: true, force: true });
  await fs.rm(outside, { recursive: true, force: true });
});

const headers = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' };

interface Served {
  readonly url: string;
  readonly child: ChildProcess;
  readonly stderr: string[];
}

/** `fluxir serve` in a process of its own (test/fixtures/fake-serve.js, the built host). */
async function serve(config: object, env: Record<string, string> = {}): Promise<Served> {
  const file = path.join(root, `config-${Date.now()}.json`);
  await fs.writeFile(file, JSON.stringify(config));
  const script = path.join(__dirname, 'fixtures', 'fake-serve.js');
  const child = spawn(process.execPath, [script, 'serve', '--config', file, '--port', '0', '--log-level', 'warn'], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stderr: string[] = [];
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`the host did not start: ${stderr.join('')}`)), 30_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /serving on (\S+)/.exec(chunk.toString());
      if (match) (clearTimeout(timer), resolve(match[1]));
    });
    child.once('exit', (code) => (clearTimeout(timer), reject(new Error(`the host exited with ${code}: ${stderr.join('')}`))));
  });
  return { url, child, stderr };
}

function stop(served: Served): Promise<void> {
  return new Promise((resolve) => {
    if (served.child.exitCode !== null || served.child.signalCode !== null) return resolve();
    served.child.once('exit', () => resolve());
    served.child.kill('SIGTERM');
  });
}

describe('a plugin that fails outside any job', () => {
  it('does not end the host: the late rejection and the timer throw are logged and the plugin is isolated', async () => {
    const source = (await fs.readFile(await fakeSource(), 'utf8'))
      .concat("\nPromise.reject(new Error('a promise left rejected at load'));\n")
      .concat("setTimeout(() => { throw new Error('a timer that throws after load'); }, 50);\n")
      .concat('exports.default.title = `admin token in the environment: ${process.env.FLUXIR_ADMIN_TOKEN}`;\n');
    const dir = await writeFakePluginPackage(root, { id: 'sloppy', entrySource: source });
    const served = await serve({ adminToken: ADMIN, installRoots: [root] }, { FLUXIR_ADMIN_TOKEN: ADMIN });
    try {
      const installed = await fetch(`${served.url}/api/admin/plugins`, { method: 'POST', headers, body: JSON.stringify({ path: dir }) });
      expect(installed.status).toBe(201);
      expect(await installed.text()).not.toContain(ADMIN);
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(served.child.exitCode).toBeNull();
      expect((await fetch(`${served.url}/api/health`)).status).toBe(200);
      const status = (await (await fetch(`${served.url}/api/admin/plugins`, { headers })).json()) as { plugins: { id: string }[]; failures: { message: string }[] };
      expect(status.plugins.map((plugin) => plugin.id)).not.toContain('sloppy');
      expect(status.failures.map((failure) => failure.message).join('\n')).toContain('a promise left rejected at load');
      expect(served.stderr.join('')).toContain('a timer that throws after load');
    } finally {
      await stop(served);
    }
  });
});

describe('a plugin whose prepare never returns', () => {
  it('holds only its own job: a time-out or a cancel ends it, and the next jobs run', async () => {
    const source = (await fs.readFile(await fakeSource(), 'utf8')).replace('prepare: (input, params, mask) => ({ y: upsample(input), mask }),', 'prepare: () => { for (;;); },');
    expect(source).toContain('for (;;)');
    const pluginRoot = path.join(root, 'stuck-plugins');
    await writeFakePluginPackage(pluginRoot, { id: 'stuck', entrySource: source.replace(/sloppy/g, 'stuck') });
    const host = await startTestServer({ pluginDirs: [pluginRoot], limits: { jobTimeoutMs: 1500 } });
    try {
      const client = await host.connect();
      const log = new EventLog(client);
      const submit = async (plugin: string) => {
        const ack = await request(client, 'job:submit', { plugin, image: await pngImage(16, 16), steps: 1 });
        if (!ack.ok) throw new Error(ack.error.message);
        return ack.jobId as string;
      };
      const timedOut = await submit('stuck');
      expect((await log.final(timedOut, 10_000)).payload).toMatchObject({ error: { code: 'E_TIMEOUT' } });
      const cancelled = await submit('stuck');
      await log.waitFor((e) => e.name === 'job:started' && e.payload.jobId === cancelled);
      expect(await request(client, 'job:cancel', { jobId: cancelled })).toMatchObject({ ok: true, status: 'cancelled' });
      expect((await log.final(cancelled, 5_000)).name).toBe('job:cancelled');
      expect((await log.final(await submit('denoise'), 10_000)).name).toBe('job:result');
    } finally {
      await host.close();
    }
  });
});

describe('reload', () => {
  it('refuses to reload from a folder that was replaced by a symbolic link to code outside the install roots', async () => {
    const dir = await writeFakePluginPackage(root, { id: 'swapped', version: '1.0.0' });
    const evil = await writeFakePluginPackage(outside, { id: 'swapped', version: '1.0.0', packageName: '@elsewhere/plugin-swapped' });
    const host = await startTestServer({ config: { adminToken: ADMIN, installRoots: [root] } });
    try {
      const installed = await fetch(`${host.url}/api/admin/plugins`, { method: 'POST', headers, body: JSON.stringify({ path: dir }) });
      expect(installed.status).toBe(201);
      await fs.rm(dir, { recursive: true });
      await fs.symlink(evil, dir);
      const reloaded = await fetch(`${host.url}/api/admin/plugins/swapped/reload`, { method: 'POST', headers });
      const body = (await reloaded.json()) as { error: { code: string } };
      expect([reloaded.status, body.error.code]).toEqual([403, 'E_FORBIDDEN']);
      const status = (await (await fetch(`${host.url}/api/admin/plugins`, { headers })).json()) as { plugins: { id: string; packageName: string }[] };
      expect(status.plugins.find((plugin) => plugin.id === 'swapped')?.packageName).toBe('@test/plugin-swapped');
    } finally {
      await host.close();
    }
  });
});

/** The generated entry file of a working fake plugin, as a starting point for a sloppy one. */
async function fakeSource(): Promise<string> {
  const dir = await writeFakePluginPackage(path.join(root, 'templates'), { id: 'sloppy' });
  return path.join(dir, 'dist', 'index.js');
}
