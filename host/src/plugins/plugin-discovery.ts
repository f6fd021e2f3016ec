import * as fs from 'node:fs';
import * as path from 'node:path';

/** A folder that may hold a plugin package, and where it was found. */
export interface PluginCandidate {
  /** Real path of the package folder. */
  readonly dir: string;
  readonly source: 'plugin-dir' | 'node_modules';
}

/** Every `node_modules/@fluxir` folder from `start` up to the file system root, nearest first. */
export function nodeModulesScopes(start: string): string[] {
  const scopes: string[] = [];
  for (let dir = path.resolve(start); ; dir = path.dirname(dir)) {
    const scope = path.join(dir, 'node_modules', '@fluxir');
    if (isDirectory(scope)) scopes.push(scope);
    if (path.dirname(dir) === dir) return scopes;
  }
}

/**
 * Package folders to examine, in priority order: each `pluginDirs` entry (a package itself, or a folder
 * of packages, `@scope/` folders included), then the packages in `scopes`. A folder reached twice
 * (symlinks, overlapping paths) is listed once. Missing plugin folders are returned in `missing`.
 */
export function findPluginCandidates(
  pluginDirs: readonly string[],
  scopes: readonly string[],
): { candidates: PluginCandidate[]; missing: string[] } {
  const seen = new Set<string>();
  const candidates: PluginCandidate[] = [];
  const missing: string[] = [];
  const add = (dir: string, source: PluginCandidate['source']) => {
    const real = realPath(dir);
    if (!seen.has(real)) {
      seen.add(real);
      candidates.push({ dir: real, source });
    }
  };
  for (const dir of pluginDirs) {
    if (!isDirectory(dir)) missing.push(dir);
    else if (isFile(path.join(dir, 'package.json'))) add(dir, 'plugin-dir');
    else for (const pkg of packagesIn(dir)) add(pkg, 'plugin-dir');
  }
  for (const scope of scopes) for (const pkg of packagesIn(scope)) add(pkg, 'node_modules');
  return { candidates, missing };
}

/** Sub-folders with a package.json, looking one level into `@scope` folders. Sorted by name. */
function packagesIn(dir: string): string[] {
  const found: string[] = [];
  for (const name of safeReaddir(dir).sort()) {
    const child = path.join(dir, name);
    if (name.startsWith('.') || !isDirectory(child)) continue;
    if (name.startsWith('@')) {
      for (const inner of safeReaddir(child).sort()) {
        const pkg = path.join(child, inner);
        if (isFile(path.join(pkg, 'package.json'))) found.push(pkg);
      }
    } else if (isFile(path.join(child, 'package.json'))) {
      found.push(child);
    }
  }
  return found;
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch {
    return [];
  }
}

function isDirectory(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isDirectory() ?? false;
}

function isFile(p: string): boolean {
  return fs.statSync(p, { throwIfNoEntry: false })?.isFile() ?? false;
}

function realPath(p: string): string {
  try {
    return fs.realpathSync(p);
  } catch {
    return path.resolve(p);
  }
}
