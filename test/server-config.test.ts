import { promises as fs } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { DEFAULT_LIMITS } from '../host/src/config/server-config.interface';
import { ConfigError, loadServerConfig } from '../host/src/config/load-server-config';

/** fluxir.config.json, FLUXIR_* variables and flags, in that order of precedence. */
let dir: string;
beforeEach(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'fluxir-config-'));
});
afterEach(() => fs.rm(dir, { recursive: true, force: true }));

const write = (name: string, value: unknown) => fs.writeFile(path.join(dir, name), typeof value === 'string' ? value : JSON.stringify(value));

describe('server configuration', () => {
  it('uses the defaults when there is no file and no variable', () => {
    const { config, sources } = loadServerConfig({ cwd: dir, env: {} });
    expect(config).toMatchObject({ port: 7860, host: '127.0.0.1', corsOrigins: [], limits: DEFAULT_LIMITS });
    expect(config.token).toBeUndefined();
    expect(sources).toEqual([]);
  });

  it('reads fluxir.config.json, resolving its folders against the file, then variables, then flags', async () => {
    await write('fluxir.config.json', { port: 9000, token: 'file-token-123', pluginDirs: ['plugins'], limits: { maxQueued: 5, concurrency: 2 } });
    const env = { FLUXIR_PORT: '9100', FLUXIR_CORS_ORIGINS: 'https://a.example, https://b.example', FLUXIR_MAX_QUEUED: '7' };
    const { config, sources } = loadServerConfig({ cwd: dir, env, overrides: { port: 9200, host: undefined } });
    expect(config.port).toBe(9200);
    expect(config.token).toBe('file-token-123');
    expect(config.pluginDirs).toEqual([path.join(dir, 'plugins')]);
    expect(config.corsOrigins).toEqual(['https://a.example', 'https://b.example']);
    expect(config.limits).toEqual({ ...DEFAULT_LIMITS, maxQueued: 7, concurrency: 2 });
    expect(sources).toEqual([path.join(dir, 'fluxir.config.json'), 'FLUXIR_PORT', 'FLUXIR_CORS_ORIGINS', 'FLUXIR_MAX_QUEUED']);
  });

  it('reads the file named by FLUXIR_CONFIG', async () => {
    await write('team.json', { adminToken: 'admin-token-1' });
    expect(loadServerConfig({ cwd: dir, env: { FLUXIR_CONFIG: 'team.json' } }).config.adminToken).toBe('admin-token-1');
  });

  it.each([
    ['invalid JSON', '{ port: 1 ', /is not valid JSON/],
    ['an unknown field', { prot: 80 }, /Unrecognized key.*prot/],
    ['a port out of range', { port: 70000 }, /port: /],
    ['a short token', { token: 'abc' }, /token: a token needs at least 8 characters/],
    ['a limit of the wrong type', { limits: { maxQueued: 'many' } }, /limits\.maxQueued/],
  ])('refuses a file with %s, naming the file and field', async (_name, content, message) => {
    await write('fluxir.config.json', content);
    expect(() => loadServerConfig({ cwd: dir, env: {} })).toThrow(ConfigError);
    expect(() => loadServerConfig({ cwd: dir, env: {} })).toThrow(message);
  });

  it('refuses variables of the wrong type, naming the variable', () => {
    expect(() => loadServerConfig({ cwd: dir, env: { FLUXIR_CONCURRENCY: 'lots' } })).toThrow(/environment: FLUXIR_CONCURRENCY: /);
    expect(() => loadServerConfig({ cwd: dir, env: { FLUXIR_BACKEND: 'quantum' } })).toThrow(/FLUXIR_BACKEND: expected one of: auto/);
  });

  it('refuses a config file that was asked for but does not exist', () => {
    expect(() => loadServerConfig({ cwd: dir, env: {}, file: 'missing.json' })).toThrow(/cannot read .*missing\.json/);
  });
});
