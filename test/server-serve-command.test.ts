import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { io } from 'socket.io-client';
import type { CliContext } from '../host/src/cli/cli-context';
import { run } from '../host/src/cli/main';
import { builtinPluginIds } from '../host/src/plugins/builtin-plugins';
import { createHostContainer } from '../host/src/host-container';
import { FakeEngine } from '../host/src/testing/fake-engine';

/** `fluxir serve` with a config file: it listens, serves, and stops gracefully on SIGTERM. */
it('serves with the configuration file and the flags, and stops on SIGTERM after telling clients', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fluxir-serve-'));
  const file = path.join(dir, 'fluxir.config.json');
  await fs.writeFile(file, JSON.stringify({ port: 1, token: 'serve-token-1', limits: { shutdownGraceMs: 300 } }));
  let stdout = '';
  let stderr = '';
  const cli: CliContext = {
    stdout: { write: (s: string) => (stdout += s) },
    stderr: { write: (s: string) => (stderr += s) },
    createHost: (options) => createHostContainer({ ...options, engineFactory: async () => new FakeEngine() }),
    exitCode: 0,
  };
  const exited = run(['serve', '--config', file, '--port', '0', '--host', '127.0.0.1', '--log-level', 'error'], cli);
  for (let i = 0; i < 200 && !stdout.includes('serving on'); i++) await new Promise((resolve) => setTimeout(resolve, 25));
  const url = /serving on (\S+)/.exec(stdout)?.[1];
  expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  expect((await fetch(`${url}/api/plugins`)).status).toBe(401);
  const plugins = (await (await fetch(`${url}/api/plugins`, { headers: { authorization: 'Bearer serve-token-1' } })).json()) as { plugins: unknown[] };
  expect(plugins.plugins).toHaveLength(builtinPluginIds().length);
  const client = io(url!, { auth: { token: 'serve-token-1' }, transports: ['websocket'], reconnection: false });
  await new Promise((resolve) => client.once('connect', () => resolve(undefined)));
  const shutdown = new Promise((resolve) => client.once('server:shutdown', resolve));
  process.emit('SIGTERM');
  expect(await shutdown).toEqual({ graceMs: 300 });
  expect(await exited).toBe(0);
  expect(stderr).toBe('');
  client.close();
  await fs.rm(dir, { recursive: true, force: true });
});

it('refuses a broken configuration with a readable message and exit code 1', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fluxir-serve-'));
  const file = path.join(dir, 'fluxir.config.json');
  await fs.writeFile(file, JSON.stringify({ limits: { concurrency: 0 } }));
  let stderr = '';
  const cli: CliContext = { stdout: { write: () => true }, stderr: { write: (s: string) => (stderr += s) }, createHost: createHostContainer, exitCode: 0 };
  expect(await run(['serve', '--config', file], cli)).toBe(1);
  expect(stderr).toMatch(/fluxir serve: .*fluxir\.config\.json: limits\.concurrency/);
  await fs.rm(dir, { recursive: true, force: true });
});
