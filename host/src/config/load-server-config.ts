import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_SERVER_CONFIG, type ServerConfig } from './server-config.interface';
import { ENV_FIELDS, serverConfigFileSchema, type ServerConfigFile } from './server-config-schema';

export const CONFIG_FILE_NAME = 'fluxir.config.json';

/** A configuration that cannot be used; the message names the file or variable and the field. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export interface ConfigSources {
  /** Where fluxir.config.json is looked for (default: the working folder). */
  readonly cwd?: string;
  readonly env?: NodeJS.ProcessEnv;
  /** An explicit config file (else FLUXIR_CONFIG, else ./fluxir.config.json when it exists). */
  readonly file?: string;
  /** Command-line flags: they win over everything. */
  readonly overrides?: ServerConfigFile;
}

export interface LoadedServerConfig {
  readonly config: ServerConfig;
  /** What was read, for the startup log: the file, and the FLUXIR_* variables that were set. */
  readonly sources: readonly string[];
}

/** Defaults, then fluxir.config.json, then FLUXIR_* variables, then flags. Paths in the file are relative to it. */
export function loadServerConfig(sources: ConfigSources = {}): LoadedServerConfig {
  const cwd = sources.cwd ?? process.cwd();
  const env = sources.env ?? process.env;
  const used: string[] = [];
  const explicit = sources.file ?? env.FLUXIR_CONFIG;
  const file = explicit ? path.resolve(cwd, explicit) : path.join(cwd, CONFIG_FILE_NAME);
  let fromFile: ServerConfigFile = {};
  if (explicit || fs.existsSync(file)) {
    fromFile = resolvePaths(readConfigFile(file), path.dirname(file));
    used.push(file);
  }
  const fromEnv = readEnv(env, used);
  const layers = [fromFile, fromEnv, sources.overrides ?? {}];
  const merged = Object.assign({}, DEFAULT_SERVER_CONFIG, ...layers.map(withoutUndefined)) as ServerConfig;
  const limits = Object.assign({}, DEFAULT_SERVER_CONFIG.limits, ...layers.map((layer) => withoutUndefined(layer.limits ?? {})));
  return { config: { ...merged, limits }, sources: used };
}

function readConfigFile(file: string): ServerConfigFile {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`cannot read ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  const parsed = serverConfigFileSchema.safeParse(json);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`);
    throw new ConfigError(`${file}: ${problems.join('; ')}`);
  }
  return parsed.data;
}

function readEnv(env: NodeJS.ProcessEnv, used: string[]): ServerConfigFile {
  const out: Record<string, unknown> = {};
  const limits: Record<string, unknown> = {};
  for (const [name, { field, kind }] of Object.entries(ENV_FIELDS)) {
    const raw = env[name];
    if (raw === undefined || raw === '') continue;
    used.push(name);
    const value = kind === 'int' ? Number(raw) : kind === 'list' ? raw.split(',').map((s) => s.trim()).filter(Boolean) : raw;
    if (field.startsWith('limits.')) limits[field.slice('limits.'.length)] = value;
    else out[field] = value;
  }
  if (Object.keys(limits).length) out.limits = limits;
  const parsed = serverConfigFileSchema.safeParse(out);
  if (!parsed.success) {
    const variable = (p: readonly PropertyKey[]) =>
      Object.entries(ENV_FIELDS).find(([, spec]) => spec.field === p.join('.'))?.[0] ?? p.join('.');
    const problems = parsed.error.issues.map((issue) => `${variable(issue.path)}: ${issue.message}`);
    throw new ConfigError(`environment: ${problems.join('; ')}`);
  }
  return parsed.data;
}

function resolvePaths(config: ServerConfigFile, base: string): ServerConfigFile {
  return {
    ...config,
    pluginDirs: config.pluginDirs?.map((dir) => path.resolve(base, dir)),
    installRoots: config.installRoots?.map((dir) => path.resolve(base, dir)),
    weightsDir: config.weightsDir === undefined ? undefined : path.resolve(base, config.weightsDir),
  };
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([key, v]) => v !== undefined && key !== 'limits')) as Partial<T>;
}
