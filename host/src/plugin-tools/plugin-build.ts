import { existsSync } from 'node:fs';
import * as path from 'node:path';
import type * as TS from 'typescript';

/**
 * Packages a plugin shares with the host; taken from this installation when the plugin folder has none.
 * Plugins made with SDK 1.2 import only the SDK and zod; those written against SDK 1.1 import core too.
 */
export const SHARED_PACKAGES = ['@fluxir/sdk', '@fluxir/core', 'zod'] as const;

/** True when the package is installed for the plugin folder itself (its own node_modules or a parent's; NODE_PATH aside). */
export function resolvesFrom(dir: string, name: string): boolean {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, 'node_modules', name, 'package.json'))) return true;
    if (path.dirname(at) === at) return false;
  }
}

/** The node_modules folders this host resolves from, nearest first (for NODE_PATH). */
export function hostModulePaths(): string[] {
  return require.resolve.paths('@fluxir/sdk') ?? [];
}

/**
 * Compiles a plugin's TypeScript with its own tsconfig.json and the TypeScript compiler installed
 * beside fluxir, type-checking it first. Shared packages the folder cannot resolve are mapped to
 * this installation's copies. Returns the error messages (empty when it built).
 */
export function buildPlugin(dir: string): string[] {
  const ts = loadTypeScript();
  const configPath = path.join(dir, 'tsconfig.json');
  const config = ts.getParsedCommandLineOfConfigFile(configPath, {}, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    },
  });
  if (!config) return [`cannot read ${configPath}`];
  const options: TS.CompilerOptions = { ...config.options, noEmitOnError: true, ...sharedPackagePaths(dir) };
  const program = ts.createProgram({ rootNames: config.fileNames, options, projectReferences: config.projectReferences });
  const diagnostics = [...ts.getPreEmitDiagnostics(program), ...program.emit().diagnostics];
  return diagnostics
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .map((d) => ts.formatDiagnostic(d, { getCanonicalFileName: (f) => f, getCurrentDirectory: () => dir, getNewLine: () => '\n' }).trim());
}

function sharedPackagePaths(dir: string): TS.CompilerOptions {
  const missing = SHARED_PACKAGES.filter((name) => !resolvesFrom(dir, name));
  if (!missing.length) return {};
  const paths: Record<string, string[]> = {};
  for (const name of missing) {
    const root = path.dirname(require.resolve(`${name}/package.json`));
    paths[name] = [root];
    paths[`${name}/*`] = [path.join(root, 'dist', '*'), path.join(root, '*')];
  }
  const types = hostModulePaths().map((p) => path.join(p, '@types')).filter((p) => existsSync(p));
  return { baseUrl: dir, paths, typeRoots: types };
}

function loadTypeScript(): typeof TS {
  try {
    // Loaded on demand: only building a plugin from source needs the compiler.
    return require('typescript') as typeof TS;
  } catch {
    throw new Error('the TypeScript compiler is not installed beside fluxir; build the plugin yourself (npm run build) and pass --no-build');
  }
}
